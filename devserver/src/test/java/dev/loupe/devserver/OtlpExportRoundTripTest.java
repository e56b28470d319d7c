package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.engine.Exporter;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.opentelemetry.export.OtlpExport;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.RootSpan;
import dev.loupe.trace.Span;
import dev.loupe.trace.Tracer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round trip of issue 11: Loupe's tracer records a trace into its local store and exports it over OTLP/HTTP to the
 * devserver's receiver, which maps the spans back through the capture's normaliser into its own store; the two trace
 * trees must agree field by field.
 */
class OtlpExportRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    TraceStore received;
    DevServer server;

    @BeforeEach
    void startServer() {
        received = TraceStore.open(directory.resolve("devserver"));
        server = DevServer.start(received, "127.0.0.1", 0);
    }

    @AfterEach
    void stopServer() {
        server.close();
        received.close();
    }

    private static String recordAgentRun(Tracer tracer) {
        try (RootSpan root = tracer.startTrace("support-agent")) {
            root.input("reset my password").userId("user-7").sessionId("session-3").tags("beta", "web")
                    .traceMetadata("tenant", "acme").release("1.4.2").environment("production")
                    .metadata("channel", "chat");
            tracer.generation("answer", generation -> {
                Map<String, Object> parameters = new LinkedHashMap<>();
                parameters.put("temperature", 0.2);
                parameters.put("max_tokens", 256);
                generation.model("gpt-4o-mini").modelParameters(parameters)
                        .input(List.of(Map.of("role", "user", "content", "reset my password")))
                        .usage(120, 30).cost(0.0012, 0.0006)
                        .completionStartTime(Instant.now())
                        .prompt("support-prompt", 3)
                        .metadata("provider", "openai");
                return Map.of("role", "assistant", "content", "Use the reset link.");
            });
            tracer.generation("answer-from-cache", generation -> {
                Map<String, Long> usage = new LinkedHashMap<>();
                usage.put("input", 1_460L);
                usage.put("output", 400L);
                usage.put("total", 1_860L);
                usage.put("cached_input", 1_024L);
                usage.put("cache_write", 100L);
                usage.put("reasoning", 320L);
                generation.model("gpt-4o").usageDetails(usage);   // priced by the local tracer from the usage
                return "Use the reset link.";
            });
            try (Span failing = tracer.startObservation(ObservationType.TOOL, "send-email")) {
                failing.input(Map.of("to", "user-7")).error(new IllegalStateException("mail server down"));
            }
            tracer.tool("lookup-user", tool -> Map.of("id", "user-7"));
            tracer.retriever("search-docs", retriever -> List.of("doc-1", "doc-2"));
            tracer.embedding("embed-query", embedding -> {
                embedding.model("text-embedding-3-small").usage(8, 0);
                return null;
            });
            tracer.event("cache-miss", Map.of("key", "user-7"));
            root.output("done");
            return root.traceId();
        }
    }

    @Test
    void aTraceExportedOverOtlpToTheDevserverIsTheSameTreeFieldByField() {
        OtlpExport export = OtlpExport.builder()
                .endpoint(server.url().resolve("/api/public/otel/v1/traces").toString())
                .scheduleDelay(Duration.ofMillis(10)).build();
        String traceId;
        TraceTree local;
        try (Tracer tracer = TracerBuilder.create().inMemoryStore().sink(export).shutdownHook(false).build()) {
            traceId = recordAgentRun(tracer);
            assertThat(tracer.flush()).isTrue();
            local = Exporter.of(tracer).orElseThrow().store().trace(traceId).orElseThrow();
        }
        assertThat(export.stats().dropped()).isZero();
        TraceTree remote = received.trace(traceId).orElseThrow(() -> new AssertionError("not received: " + traceId));

        assertThat(remote.name()).isEqualTo(local.name());
        assertThat(remote.trace().userId()).isEqualTo(local.trace().userId());
        assertThat(remote.trace().sessionId()).isEqualTo(local.trace().sessionId());
        assertThat(remote.trace().tags()).isEqualTo(local.trace().tags());
        assertThat(remote.trace().release()).isEqualTo(local.trace().release());
        assertThat(remote.trace().environment()).isEqualTo(local.trace().environment());
        assertThat(remote.trace().input()).isEqualTo(local.trace().input());
        assertThat(remote.trace().output()).isEqualTo(local.trace().output());
        assertThat(remote.trace().timestamp()).isEqualTo(local.trace().timestamp());
        assertContainsMetadata(remote.trace().metadata(), local.trace().metadata());

        assertThat(remote.walk()).extracting(Observation::id)
                .containsExactlyElementsOf(local.walk().stream().map(Observation::id).toList());
        for (Observation expected : local.walk()) {
            Observation actual = remote.observation(expected.id()).orElseThrow();
            String what = "observation '" + expected.name() + "'";
            assertThat(actual.traceId()).as(what).isEqualTo(expected.traceId());
            assertThat(actual.parentObservationId()).as(what).isEqualTo(expected.parentObservationId());
            assertThat(actual.type()).as(what).isEqualTo(expected.type());
            assertThat(actual.name()).as(what).isEqualTo(expected.name());
            assertThat(actual.startTime()).as(what).isEqualTo(expected.startTime());
            assertThat(actual.endTime()).as(what).isEqualTo(expected.endTime());
            assertThat(actual.completionStartTime()).as(what).isEqualTo(expected.completionStartTime());
            assertThat(actual.input()).as(what).isEqualTo(expected.input());
            assertThat(actual.output()).as(what).isEqualTo(expected.output());
            assertThat(actual.level()).as(what).isEqualTo(expected.level());
            assertThat(actual.statusMessage()).as(what).isEqualTo(expected.statusMessage());
            assertThat(actual.version()).as(what).isEqualTo(expected.version());
            assertThat(actual.model()).as(what).isEqualTo(expected.model());
            assertThat(actual.modelParameters()).as(what).isEqualTo(expected.modelParameters());
            assertThat(actual.usage()).as(what).isEqualTo(expected.usage());
            assertThat(actual.cost()).as(what).isEqualTo(expected.cost());
            assertThat(actual.promptName()).as(what).isEqualTo(expected.promptName());
            assertThat(actual.promptVersion()).as(what).isEqualTo(expected.promptVersion());
            assertContainsMetadata(actual.metadata(), expected.metadata());
        }
    }

    /** The received metadata holds every local key with the same value (it also holds the span's unmapped ones). */
    private static void assertContainsMetadata(String receivedJson, String localJson) {
        if (localJson == null) {
            return;
        }
        try {
            JsonNode local = JSON.readTree(localJson);
            JsonNode remote = JSON.readTree(receivedJson == null ? "{}" : receivedJson);
            for (Iterator<Map.Entry<String, JsonNode>> fields = local.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                assertThat(remote.get(field.getKey())).as("metadata %s", field.getKey()).isEqualTo(field.getValue());
            }
        } catch (java.io.IOException invalid) {
            throw new AssertionError(invalid);
        }
    }
}
