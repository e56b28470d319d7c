package dev.loupe.opentelemetry.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.loupe.engine.RecordSink;
import dev.loupe.engine.RecordSinkProvider;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.trace.Tracer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExportConfigurationTest {

    private static OtlpExport.Settings fromSettings(String kind, Map<String, String> settings) {
        return OtlpExport.fromSettings(kind, settings::get).build().settings();
    }

    @Test
    void langfuseIsReachedAtItsOtlpPathWithBasicAuthFromTheProjectKeys() {
        OtlpExport.Settings settings = fromSettings("langfuse", Map.of(
                "langfuse.base.url", "https://langfuse.example.com/",
                "langfuse.public.key", "pk-lf-1",
                "langfuse.secret.key", "sk-lf-2",
                "otel.service.name", "support-agent"));

        assertThat(settings.endpoint()).isEqualTo(URI.create("https://langfuse.example.com/api/public/otel/v1/traces"));
        assertThat(settings.headers()).contains(
                entry("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("pk-lf-1:sk-lf-2".getBytes(StandardCharsets.UTF_8))),
                entry("x-langfuse-ingestion-version", "4"));
        assertThat(settings.serviceName()).isEqualTo("support-agent");
    }

    @Test
    void withoutABaseUrlLangfuseCloudIsUsedAsLangfusesOwnSdksDo() {
        OtlpExport.Settings settings = fromSettings("langfuse", Map.of(
                "langfuse.public.key", "pk-lf-1", "langfuse.secret.key", "sk-lf-2"));

        assertThat(settings.endpoint()).isEqualTo(URI.create("https://cloud.langfuse.com/api/public/otel/v1/traces"));
    }

    @Test
    void theOlderLangfuseHostVariableIsReadWhenTheBaseUrlIsNotSet() {
        OtlpExport.Settings settings = fromSettings("langfuse", Map.of("langfuse.host", "http://localhost:3000",
                "langfuse.public.key", "pk-lf-1", "langfuse.secret.key", "sk-lf-2"));

        assertThat(settings.endpoint()).isEqualTo(URI.create("http://localhost:3000/api/public/otel/v1/traces"));
    }

    @Test
    void aMissingLangfuseKeyIsNamedWithWhereToFindIt() {
        assertThatThrownBy(() -> fromSettings("langfuse", Map.of("langfuse.public.key", "pk-lf-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LANGFUSE_SECRET_KEY is not set")
                .hasMessageContaining("API keys");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "http://collector:4318, http://collector:4318/v1/traces",
            "http://collector:4318/, http://collector:4318/v1/traces",
            "https://otel.example.com/otlp, https://otel.example.com/otlp/v1/traces"})
    void theOtlpBaseEndpointGetsTheTracesPathAppendedAsTheSpecificationSays(String base, String expected) {
        OtlpExport.Settings settings = fromSettings("otlp", Map.of("otel.exporter.otlp.endpoint", base));

        assertThat(settings.endpoint()).isEqualTo(URI.create(expected));
    }

    @Test
    void theTracesEndpointIsUsedAsItIsAndWinsOverTheBaseEndpoint() {
        OtlpExport.Settings settings = fromSettings("otlp", Map.of(
                "otel.exporter.otlp.endpoint", "http://collector:4318",
                "otel.exporter.otlp.traces.endpoint", "http://tracing:9000/ingest"));

        assertThat(settings.endpoint()).isEqualTo(URI.create("http://tracing:9000/ingest"));
    }

    @Test
    void withoutAnEndpointTheCollectorOnThisMachineIsUsed() {
        assertThat(fromSettings("otlp", Map.of()).endpoint()).isEqualTo(URI.create("http://localhost:4318/v1/traces"));
    }

    @Test
    void otlpHeadersArePairsWithPercentDecodedValuesAndTheTracesOnesWin() {
        OtlpExport.Settings settings = fromSettings("otlp", Map.of(
                "otel.exporter.otlp.headers", "api-key=secret%20one, x-team=agents",
                "otel.exporter.otlp.traces.headers", "x-team=tracing",
                "otel.exporter.otlp.timeout", "2500"));

        assertThat(settings.headers()).contains(entry("api-key", "secret one"), entry("x-team", "tracing"));
        assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void gzipCompressionIsSwitchedOnByTheOtlpVariableAndTheServerReadsTheBody() throws Exception {
        try (LoopbackOtlpReceiver receiver = new LoopbackOtlpReceiver()) {
            OtlpExport export = OtlpExport.fromSettings("otlp", Map.of(
                    "otel.exporter.otlp.endpoint", receiver.baseUrl(),
                    "otel.exporter.otlp.compression", "gzip")::get).build();
            try (Tracer tracer = TracerBuilder.create().withoutStore().sink(export).shutdownHook(false).build()) {
                tracer.trace("agent", root -> root.output("done"));
                assertThat(tracer.flush()).isTrue();
            }

            assertThat(receiver.requests()).singleElement().satisfies(request -> {
                assertThat(request.headers()).containsEntry("content-encoding", "gzip");
                assertThat(request.spans()).singleElement()
                        .satisfies(span -> assertThat(span.getName()).isEqualTo("agent"));
            });
        }
    }

    @Test
    void anUnknownCompressionIsRejectedWithTheChoices() {
        assertThatThrownBy(() -> fromSettings("otlp", Map.of("otel.exporter.otlp.compression", "zstd")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OTEL_EXPORTER_OTLP_COMPRESSION is 'zstd'")
                .hasMessageContaining("gzip or none");
    }

    @Test
    void aMalformedHeaderListIsRejectedNamingTheVariableAndTheEntry() {
        assertThatThrownBy(() -> fromSettings("otlp", Map.of("otel.exporter.otlp.headers", "api-key")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OTEL_EXPORTER_OTLP_HEADERS has 'api-key'")
                .hasMessageContaining("name=value");
    }

    @Test
    void grpcIsRejectedWithWhereToPointTheExportInstead() {
        assertThatThrownBy(() -> fromSettings("otlp", Map.of("otel.exporter.otlp.protocol", "grpc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL is 'grpc'")
                .hasMessageContaining("4318");
    }

    @Test
    void anEndpointThatIsNotAnHttpUrlIsRejectedNamingIt() {
        assertThatThrownBy(() -> OtlpExport.builder().endpoint("collector:4318"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint is 'collector:4318'")
                .hasMessageContaining("http://localhost:4318/v1/traces");
    }

    @Test
    void aHeaderTheHttpClientSetsItselfIsRejectedAtOnce() {
        assertThatThrownBy(() -> fromSettings("otlp", Map.of("otel.exporter.otlp.headers", "Host=collector")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("header 'Host' is set by the HTTP client itself");
    }

    @Test
    void buildingWithoutAnEndpointSaysWhatToCall() {
        assertThatThrownBy(() -> OtlpExport.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("endpoint(")
                .hasMessageContaining("langfuse(");
    }

    @Test
    void loupeExportFindsTheLangfuseAndOtlpExportsOnTheClassPath() {
        RecordSinkProvider provider = ServiceLoader.load(RecordSinkProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.names().contains("langfuse")).findFirst()
                .orElseThrow();

        RecordSink langfuse = provider.create("langfuse", Map.of(
                "langfuse.public.key", "pk-lf-1", "langfuse.secret.key", "sk-lf-2")::get);
        RecordSink otlp = provider.create("otlp", Map.of("otel.exporter.otlp.endpoint", "http://collector:4318")::get);

        assertThat(provider.names()).containsExactlyInAnyOrder("langfuse", "otlp");
        assertThat(langfuse.describe())
                .isEqualTo("the OTLP export to https://cloud.langfuse.com/api/public/otel/v1/traces");
        assertThat(otlp.describe()).isEqualTo("the OTLP export to http://collector:4318/v1/traces");
    }

    @Test
    void anExportConfiguredFromTheEnvironmentSendsItsHeadersToItsEndpoint() throws Exception {
        try (LoopbackOtlpReceiver receiver = new LoopbackOtlpReceiver()) {
            OtlpExport export = OtlpExport.fromSettings("otlp", Map.of(
                    "otel.exporter.otlp.endpoint", receiver.baseUrl(),
                    "otel.exporter.otlp.headers", "api-key=secret%3Done")::get).build();
            try (Tracer tracer = TracerBuilder.create().withoutStore().sink(export).shutdownHook(false).build()) {
                tracer.trace("agent", root -> root.output("done"));
                assertThat(tracer.flush()).isTrue();
            }

            assertThat(receiver.requests()).singleElement().satisfies(request -> {
                assertThat(request.path()).isEqualTo("/v1/traces");
                assertThat(request.headers()).containsEntry("api-key", "secret=one");
                assertThat(request.spans()).singleElement()
                        .satisfies(span -> assertThat(span.getName()).isEqualTo("agent"));
            });
        }
    }
}
