package dev.loupe.opentelemetry.export;

import dev.loupe.engine.RecordSink;
import dev.loupe.engine.RecordSinkProvider;
import java.util.List;
import java.util.function.Function;

/**
 * Makes {@code loupe.export=langfuse} and {@code loupe.export=otlp} (environment variable {@code LOUPE_EXPORT}) add an
 * {@link OtlpExport} configured from the environment; the {@link java.util.ServiceLoader} service that
 * {@link dev.loupe.engine.TracerBuilder#fromEnvironment()} looks for.
 */
public final class OtlpExportProvider implements RecordSinkProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls it. */
    public OtlpExportProvider() {
    }

    @Override
    public List<String> names() {
        return List.of("langfuse", "otlp");
    }

    @Override
    public RecordSink create(String name, Function<String, String> settings) {
        return OtlpExport.fromSettings(name, settings).build();
    }
}
