package dev.loupe.opentelemetry.export;

import dev.loupe.opentelemetry.SpanAttributes;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;

/** The resource and instrumentation scope every exported span is sent under. */
final class SpanResources {

    /** The instrumentation scope's name: the spans come from Loupe's tracer. */
    static final String SCOPE_NAME = "dev.loupe";

    private SpanResources() {
    }

    static Resource resource(String serviceName) {
        return Resource.newBuilder()
                .addAttributes(attribute(SpanAttributes.SERVICE_NAME, serviceName))
                .addAttributes(attribute(SpanAttributes.TELEMETRY_SDK_NAME, "loupe"))
                .addAttributes(attribute(SpanAttributes.TELEMETRY_SDK_LANGUAGE, "java"))
                .addAttributes(attribute(SpanAttributes.TELEMETRY_SDK_VERSION, version()))
                .build();
    }

    static InstrumentationScope scope() {
        return InstrumentationScope.newBuilder().setName(SCOPE_NAME).setVersion(version()).build();
    }

    private static String version() {
        String version = SpanResources.class.getPackage().getImplementationVersion();
        return version != null ? version : "unknown";
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
