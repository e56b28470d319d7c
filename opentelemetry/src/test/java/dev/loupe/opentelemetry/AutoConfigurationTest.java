package dev.loupe.opentelemetry;

import static dev.loupe.assertj.LoupeAssertions.assertThat;

import dev.loupe.junit.CapturedTraces;
import dev.loupe.junit.TraceCapture;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SDK's autoconfigure module, configured by properties only, finds Loupe's customizer on the class path. */
@ExtendWith(TraceCapture.class)
class AutoConfigurationTest {

    private static OpenTelemetrySdk sdk(Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(Map.of("otel.traces.exporter", "none",
                "otel.metrics.exporter", "none", "otel.logs.exporter", "none", "otel.service.name", "orders"));
        properties.putAll(extra);
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> properties)
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
    }

    @Test
    void anAutoconfiguredSdkRecordsItsSpansIntoLoupeWithoutCode(CapturedTraces traces) {
        try (OpenTelemetrySdk sdk = sdk(Map.of())) {
            sdk.getTracer("app").spanBuilder("checkout").startSpan().end();
        }

        assertThat(traces.single()).hasName("checkout");
        org.assertj.core.api.Assertions.assertThat(traces.single().root().metadata())
                .contains("\"service.name\":\"orders\"");
    }

    @Test
    void theCapturePropertySetToFalseLeavesTheSdkAlone(CapturedTraces traces) {
        try (OpenTelemetrySdk sdk = sdk(Map.of(LoupeAutoConfiguration.CAPTURE_PROPERTY, "false"))) {
            sdk.getTracer("app").spanBuilder("checkout").startSpan().end();
        }

        assertThat(traces).hasCount(0);
    }
}
