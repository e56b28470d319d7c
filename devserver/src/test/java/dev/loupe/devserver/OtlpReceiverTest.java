package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OTLP/HTTP receiver over real HTTP, against a real server and a real file store. */
class OtlpReceiverTest {

    private static final String FIXTURE_TRACE = "8dc0dba1cca7672eeecdd75f97ff596b";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    static TraceStore store;
    static DevServer server;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startServer() {
        store = TraceStore.open(directory);
        server = DevServer.start(store, "127.0.0.1", 0);
    }

    @AfterAll
    static void stopServer() {
        server.close();
        store.close();
    }

    private static HttpResponse<byte[]> post(String path, String contentType, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.url().resolve(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** The body that @langfuse/otel 5.11.1 sent (captured from the real SDK; see src/test/resources/otlp). */
    private static String fixtureBody() throws IOException {
        try (InputStream in = OtlpReceiverTest.class.getResourceAsStream("/otlp/langfuse-otel-5.11.1-otlp.jsonl")) {
            JsonNode request = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .findFirst().orElseThrow());
            return request.get("body").asText();
        }
    }

    private static TraceTree trace(String id) {
        return store.trace(id).orElseThrow(() -> new AssertionError("trace " + id + " was not stored"));
    }

    @Test
    void theLangfuseJsSdksOtlpJsonBecomesTheTraceItDescribes() throws Exception {
        HttpResponse<byte[]> response = post("/api/public/otel/v1/traces", "application/json",
                fixtureBody().getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(text(response)).isEqualTo("{}");
        TraceTree trace = trace(FIXTURE_TRACE);
        assertThat(trace.name()).isEqualTo("chat");
        assertThat(trace.trace().userId()).isEqualTo("u1");
        assertThat(trace.trace().sessionId()).isEqualTo("s1");
        assertThat(trace.trace().tags()).containsExactly("t1");
        assertThat(trace.trace().environment()).isEqualTo("dev");
        assertThat(trace.trace().release()).isEqualTo("r1");
        assertThat(trace.trace().metadata()).contains("\"k\":\"v\"");
        assertThat(trace.root().name()).isEqualTo("root-agent");
        assertThat(trace.root().type()).isEqualTo(ObservationType.AGENT);
        assertThat(trace.root().input()).isEqualTo("{\"q\":\"hi\"}");
        assertThat(trace.root().output()).isEqualTo("\"bye\"");

        Observation llm = trace.find("llm").orElseThrow();
        assertThat(llm.type()).isEqualTo(ObservationType.GENERATION);
        assertThat(llm.parentObservationId()).isEqualTo(trace.root().id());
        assertThat(llm.model()).isEqualTo("gpt-4o");
        assertThat(llm.modelParameters()).isEqualTo("{\"temperature\":0.2}");
        assertThat(llm.input()).isEqualTo("[{\"role\":\"user\",\"content\":\"hi\"}]");
        assertThat(llm.usage().input()).isEqualTo(10);
        assertThat(llm.usage().output()).isEqualTo(5);
        assertThat(llm.cost().input()).isEqualByComparingTo("0.0001");
        assertThat(llm.startTime()).hasToString("2026-11-21T05:34:53.500Z");

        Observation search = trace.find("search").orElseThrow();
        assertThat(search.type()).isEqualTo(ObservationType.TOOL);
        assertThat(search.level()).isEqualTo(ObservationLevel.WARNING);
        assertThat(search.statusMessage()).isEqualTo("slow");
        assertThat(search.output()).isEqualTo("\"res\"");
        assertThat(search.metadata()).contains("\"service.name\":\"unknown_service:node\"")
                .doesNotContain("langfuse.");
    }

    @Test
    void theRealOpenTelemetryJavaSdkExportingOtlpProtobufWithGzipIsStored() {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(server.url().resolve("/v1/traces").toString())
                .setCompression("gzip")
                .build();
        String traceId;
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), "java-agent-app"))))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build()) {
            var tracer = provider.get("java-test");
            Span root = tracer.spanBuilder("invoke_agent planner")
                    .setAttribute("gen_ai.operation.name", "invoke_agent")
                    .setAttribute("gen_ai.agent.name", "planner")
                    .setAttribute("gen_ai.conversation.id", "conv-1")
                    .startSpan();
            traceId = root.getSpanContext().getTraceId();
            try (Scope ignored = root.makeCurrent()) {
                tracer.spanBuilder("chat gpt-4o")
                        .setAttribute("gen_ai.operation.name", "chat")
                        .setAttribute("gen_ai.request.model", "gpt-4o")
                        .setAttribute("gen_ai.usage.input_tokens", 20L)
                        .setAttribute("gen_ai.usage.output_tokens", 5L)
                        .startSpan().end();
            } finally {
                root.end();
            }
            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }

        TraceTree trace = trace(traceId);
        assertThat(trace.name()).isEqualTo("invoke_agent planner");
        assertThat(trace.trace().sessionId()).isEqualTo("conv-1");
        assertThat(trace.root().type()).isEqualTo(ObservationType.AGENT);
        Observation chat = trace.find("chat gpt-4o").orElseThrow();
        assertThat(chat.type()).isEqualTo(ObservationType.GENERATION);
        assertThat(chat.model()).isEqualTo("gpt-4o");
        assertThat(chat.usage().total()).isEqualTo(25);
        assertThat(chat.parentObservationId()).isEqualTo(trace.root().id());
    }

    @Test
    void aGzippedJsonBodyIsReadAtTheStandardPath() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            // other ids, so that these spans are new ones rather than updates of the first test's
            gzip.write(fixtureBody().replace(FIXTURE_TRACE, "11112222333344445555666677778888")
                    .replace("8b63c007d640c73d", "0000000000000001").replace("12a648d727f85d45", "0000000000000002")
                    .replace("ee57bdb6947e48bb", "0000000000000003").getBytes(StandardCharsets.UTF_8));
        }

        HttpResponse<byte[]> response = post("/v1/traces", "application/json; charset=utf-8", zipped.toByteArray(),
                "Content-Encoding", "gzip");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(trace("11112222333344445555666677778888").observations()).hasSize(3);
    }

    @Test
    void spansWithInvalidIdsAreRejectedInAPartialSuccessAndTheOthersStored() throws Exception {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(span("good", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "1111111111111111"))
                        .addSpans(span("bad-id", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "2222"))))
                .build();

        HttpResponse<byte[]> response = post("/v1/traces", "application/x-protobuf", request.toByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
        assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
        assertThat(answer.getPartialSuccess().getErrorMessage())
                .contains("span 'bad-id' has the span id '2222'").contains("8 bytes");
        assertThat(trace("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").observations()).extracting(Observation::name)
                .containsExactly("good");
    }

    private static io.opentelemetry.proto.trace.v1.Span span(String name, String traceId, String spanId) {
        return io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setName(name)
                .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
                .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanId)))
                .setStartTimeUnixNano(1_700_000_000_000_000_000L)
                .setEndTimeUnixNano(1_700_000_000_100_000_000L)
                .build();
    }

    @Test
    void aBodyThatIsNotProtobufIsRefusedWith400() throws Exception {
        HttpResponse<byte[]> response = post("/v1/traces", "application/x-protobuf", new byte[] {(byte) 0xff, 1, 2});

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(text(response)).contains("not an OTLP trace export request in protobuf");
    }

    @Test
    void jsonWithAnIdThatIsNotHexIsRefusedWith400NamingTheId() throws Exception {
        String body = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"not-hex\",\"spanId\":"
                + "\"1111111111111111\",\"name\":\"x\",\"startTimeUnixNano\":\"1\"}]}]}]}";

        HttpResponse<byte[]> response = post("/v1/traces", "application/json", body.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(text(response)).get("message").asText())
                .contains("traceId 'not-hex' is not hex");
    }

    @Test
    void jsonThatIsNotJsonIsRefusedWith400() throws Exception {
        HttpResponse<byte[]> response = post("/api/public/otel/v1/traces", "application/json",
                "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(text(response)).contains("not JSON");
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413() throws Exception {
        HttpResponse<byte[]> response = post("/v1/traces", "application/x-protobuf",
                new byte[OtlpReceiver.MAX_BODY_BYTES + 1]);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(text(response)).contains("over the limit of 16777216 bytes");
    }

    @Test
    void aGzipBombOverTheLimitOnceGunzippedIsRefusedWith413() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(new byte[OtlpReceiver.MAX_BODY_BYTES + 1]);
        }

        HttpResponse<byte[]> response = post("/v1/traces", "application/x-protobuf", zipped.toByteArray(),
                "Content-Encoding", "gzip");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(text(response)).contains("once gunzipped");
    }

    @Test
    void anotherMediaTypeIsRefusedWith415() throws Exception {
        HttpResponse<byte[]> response = post("/v1/traces", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(text(response)).contains("application/x-protobuf or application/json");
    }

    @Test
    void theReceiverPathsAnswerOnlyPost() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.url().resolve("/v1/traces")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST, OPTIONS");
    }

    static URI url(String path) {
        return server.url().resolve(path);
    }
}
