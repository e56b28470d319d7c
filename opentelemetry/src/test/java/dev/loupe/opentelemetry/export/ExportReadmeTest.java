package dev.loupe.opentelemetry.export;

import static dev.loupe.opentelemetry.export.LoopbackOtlpReceiver.attributes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.engine.Exporter;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.trace.Tracer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's export examples, run against a loopback OTLP receiver standing in for Langfuse. */
class ExportReadmeTest {

    @TempDir
    Path directory;

    @Test
    void theReadmesExportKeepsTheLocalStoreAndSendsEverySpanToLangfuse() throws Exception {
        try (LoopbackOtlpReceiver receiver = new LoopbackOtlpReceiver()) {
            String langfuseUrl = receiver.baseUrl();
            String publicKey = "pk-lf-readme";
            String secretKey = "sk-lf-readme";
            // tag::export-builder[]
            OtlpExport export = OtlpExport.builder()
                    .langfuse(langfuseUrl, publicKey, secretKey)  // or .endpoint("http://collector:4318/v1/traces")
                    .serviceName("support-agent")
                    .build();
            Tracer tracer = TracerBuilder.create()
                    .storePath(directory.resolve("traces"))       // keep the local store, or .withoutStore()
                    .sink(export)
                    .build();
            // end::export-builder[]
            String traceId;
            try (tracer) {
                traceId = tracer.trace("support-agent", root -> {
                    tracer.generation("answer", generation -> generation.model("gpt-4o-mini").usage(10, 5));
                    return root.traceId();
                });
                assertThat(tracer.flush(Duration.ofSeconds(10))).isTrue();
                assertThat(Exporter.of(tracer).orElseThrow().store().trace(traceId)).isPresent();
            }

            assertThat(receiver.acceptedSpans()).hasSize(2);
            assertThat(attributes(receiver.span("answer"))).containsEntry("gen_ai.usage.input_tokens", 10L)
                    .containsEntry("langfuse.trace.name", "support-agent");
            assertThat(receiver.requests().get(0).headers().get("authorization")).startsWith("Basic ");
            assertThat(export.stats().exported()).isEqualTo(2);
        }
    }

    @Test
    void langfuseFromEnvironmentReadsTheKeysFromSystemPropertiesOrEnvironmentVariables() {
        System.setProperty("langfuse.base.url", "http://127.0.0.1:3000");
        System.setProperty("langfuse.public.key", "pk-lf-env");
        System.setProperty("langfuse.secret.key", "sk-lf-env");
        try {
            OtlpExport export = OtlpExport.langfuseFromEnvironment();

            assertThat(export.endpoint()).hasToString("http://127.0.0.1:3000/api/public/otel/v1/traces");
            assertThat(export.settings().headers()).containsKey("Authorization");
        } finally {
            System.clearProperty("langfuse.base.url");
            System.clearProperty("langfuse.public.key");
            System.clearProperty("langfuse.secret.key");
        }
    }
}
