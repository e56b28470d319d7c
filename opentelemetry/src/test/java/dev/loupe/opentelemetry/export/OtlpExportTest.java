package dev.loupe.opentelemetry.export;

import static dev.loupe.opentelemetry.export.LoopbackOtlpReceiver.attributes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.entry;

import dev.loupe.engine.Exporter;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.internal.Json;
import dev.loupe.opentelemetry.export.LoopbackOtlpReceiver.Received;
import dev.loupe.store.TraceQuery;
import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.RootSpan;
import dev.loupe.trace.Span;
import dev.loupe.trace.Tracer;
import dev.loupe.trace.spi.ObservationRecord;
import dev.loupe.trace.spi.TraceRecord;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtlpExportTest {

    private final LoopbackOtlpReceiver receiver;

    OtlpExportTest() throws IOException {
        receiver = new LoopbackOtlpReceiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    /** An export to the loopback receiver as a Langfuse server, with retries fast enough for a test. */
    private OtlpExport.Builder langfuseExport() {
        return OtlpExport.builder().langfuse(receiver.baseUrl(), "pk-lf-test", "sk-lf-test")
                .serviceName("support-agent")
                .scheduleDelay(Duration.ofMillis(10))
                .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .flushTimeout(Duration.ofSeconds(5));
    }

    private static Tracer exportOnly(OtlpExport export) {
        return TracerBuilder.create().withoutStore().sink(export).shutdownHook(false).build();
    }

    /** Records an agent that calls a model, a tool that fails, and a tool that succeeds. */
    private static String recordAgentRun(Tracer tracer) {
        try (RootSpan root = tracer.startTrace("support-agent")) {
            root.input("reset my password").userId("user-7").sessionId("session-3").tags("beta", "web")
                    .traceMetadata("tenant", "acme").traceMetadata("attempt", 2)
                    .release("1.4.2").environment("production");
            tracer.generation("answer", generation -> {
                Map<String, Object> parameters = new LinkedHashMap<>();
                parameters.put("temperature", 0.2);
                parameters.put("max_tokens", 256);
                Map<String, Object> message = new LinkedHashMap<>();
                message.put("role", "user");
                message.put("content", "reset my password");
                generation.model("gpt-4o-mini").modelParameters(parameters)
                        .input(List.of(message))
                        .usage(120, 30).cost(0.0012, 0.0006)
                        .completionStartTime(Instant.parse("2025-03-01T10:00:00.250Z"))
                        .prompt("support-prompt", 3)
                        .metadata("provider", "openai");
                return Map.of("role", "assistant", "content", "Use the reset link.");
            });
            try (Span failing = tracer.startObservation(ObservationType.TOOL, "send-email")) {
                failing.input(Map.of("to", "user-7")).error(new IllegalStateException("mail server down"));
            }
            tracer.tool("lookup-user", tool -> Map.of("id", "user-7"));
            root.output("done");
            return root.traceId();
        }
    }

    @Test
    void aGenerationIsSentWithLangfuseAttributesAndTheGenAiConventions() {
        OtlpExport export = langfuseExport().build();
        try (Tracer tracer = exportOnly(export)) {
            recordAgentRun(tracer);
            assertThat(tracer.flush()).isTrue();
        }

        Map<String, Object> generation = attributes(receiver.span("answer"));
        assertThat(generation).contains(
                entry("langfuse.observation.type", "generation"),
                entry("langfuse.observation.model.name", "gpt-4o-mini"),
                entry("langfuse.observation.model.parameters", "{\"temperature\":0.2,\"max_tokens\":256}"),
                entry("langfuse.observation.input", "[{\"role\":\"user\",\"content\":\"reset my password\"}]"),
                entry("langfuse.observation.usage_details", "{\"input\":120,\"output\":30,\"total\":150}"),
                entry("langfuse.observation.completion_start_time", "2025-03-01T10:00:00.250Z"),
                entry("langfuse.observation.prompt.name", "support-prompt"),
                entry("langfuse.observation.prompt.version", 3L),
                entry("langfuse.observation.metadata.provider", "openai"),
                entry("gen_ai.operation.name", "chat"),
                entry("gen_ai.request.model", "gpt-4o-mini"),
                entry("gen_ai.request.temperature", 0.2),
                entry("gen_ai.request.max_tokens", 256L),
                entry("gen_ai.usage.input_tokens", 120L),
                entry("gen_ai.usage.output_tokens", 30L),
                entry("gen_ai.conversation.id", "session-3"));
        assertThat((String) generation.get("langfuse.observation.output"))
                .contains("\"role\":\"assistant\"").contains("\"content\":\"Use the reset link.\"");
        assertThat((String) generation.get("langfuse.observation.cost_details"))
                .isEqualTo("{\"input\":0.0012,\"output\":0.0006,\"total\":0.0018}");
        assertThat(generation).doesNotContainKeys("langfuse.observation.level", "langfuse.trace.input");
    }

    @Test
    void usageAndCostAreSentWithLangfusesDisjointKeysAndTheGenAiTokensAsTotals() throws IOException {
        OtlpExport export = langfuseExport().build();
        Cost local;
        try (Tracer tracer = TracerBuilder.create().inMemoryStore().sink(export).shutdownHook(false).build()) {
            String traceId;
            try (RootSpan root = tracer.startTrace("cached-call")) {
                traceId = root.traceId();
                tracer.generation("answer", generation -> {
                    Map<String, Long> usage = new LinkedHashMap<>();
                    usage.put("input", 1_460L);
                    usage.put("output", 400L);
                    usage.put("total", 1_860L);
                    usage.put("cached_input", 1_024L);
                    usage.put("cache_write", 100L);
                    usage.put("reasoning", 320L);
                    usage.put("input_audio_tokens", 6L);
                    usage.put("images", 2L);
                    generation.model("gpt-4o").usageDetails(usage);
                    return "ok";
                });
            }
            assertThat(tracer.flush()).isTrue();
            local = Exporter.of(tracer).orElseThrow().store().trace(traceId).orElseThrow()
                    .find("answer").orElseThrow().cost();
        }

        Map<String, Object> generation = attributes(receiver.span("answer"));
        assertThat(Json.mapper().readValue((String) generation.get("langfuse.observation.usage_details"), Map.class))
                .containsExactly(entry("input", 330), entry("output", 80), entry("total", 1_860),
                        entry("input_cached_tokens", 1_024), entry("input_cache_creation", 100),
                        entry("output_reasoning_tokens", 320), entry("input_audio_tokens", 6), entry("images", 2));
        assertThat(generation).contains(entry("gen_ai.usage.input_tokens", 1_460L),
                entry("gen_ai.usage.output_tokens", 400L), entry("gen_ai.usage.cache_read.input_tokens", 1_024L),
                entry("gen_ai.usage.cache_creation.input_tokens", 100L),
                entry("gen_ai.usage.reasoning.output_tokens", 320L));
        Map<String, BigDecimal> cost = new LinkedHashMap<>();
        Json.mapper().readTree((String) generation.get("langfuse.observation.cost_details")).fields()
                .forEachRemaining(field -> cost.put(field.getKey(), field.getValue().decimalValue()));
        assertThat(cost).containsKeys("input", "input_cached_tokens", "input_cache_creation", "output",
                "output_reasoning_tokens").doesNotContainKeys("cached_input", "cache_write", "reasoning");
        assertThat(cost.get("input_cached_tokens")).isEqualByComparingTo(local.details().get("cached_input"));
        assertThat(cost.get("input").add(cost.get("input_cached_tokens")).add(cost.get("input_cache_creation")))
                .isEqualByComparingTo(local.input());
        assertThat(cost.get("output").add(cost.get("output_reasoning_tokens"))).isEqualByComparingTo(local.output());
    }

    @Test
    void aToolIsSentAsAnExecuteToolSpanNestedUnderTheRoot() {
        OtlpExport export = langfuseExport().build();
        String traceId;
        try (Tracer tracer = exportOnly(export)) {
            traceId = recordAgentRun(tracer);
            assertThat(tracer.flush()).isTrue();
        }

        var tool = receiver.span("lookup-user");
        var root = receiver.span("support-agent");
        assertThat(attributes(tool)).contains(
                entry("langfuse.observation.type", "tool"),
                entry("langfuse.observation.output", "{\"id\":\"user-7\"}"),
                entry("gen_ai.operation.name", "execute_tool"),
                entry("gen_ai.tool.name", "lookup-user"));
        assertThat(HexFormat.of().formatHex(tool.getTraceId().toByteArray())).isEqualTo(traceId);
        assertThat(tool.getParentSpanId()).isEqualTo(root.getSpanId());
        assertThat(root.getParentSpanId().isEmpty()).isTrue();
        assertThat(tool.getStartTimeUnixNano()).isPositive().isLessThanOrEqualTo(tool.getEndTimeUnixNano());
        assertThat(tool.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    }

    @Test
    void aFailedObservationIsSentWithStatusErrorLevelAndMessage() {
        OtlpExport export = langfuseExport().build();
        try (Tracer tracer = exportOnly(export)) {
            recordAgentRun(tracer);
            assertThat(tracer.flush()).isTrue();
        }

        var failed = receiver.span("send-email");
        assertThat(failed.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(failed.getStatus().getMessage()).isEqualTo("mail server down");
        assertThat(attributes(failed)).contains(
                entry("langfuse.observation.level", ObservationLevel.ERROR.name()),
                entry("langfuse.observation.status_message", "mail server down"),
                entry("langfuse.observation.metadata.exception.type", IllegalStateException.class.getName()));
    }

    @Test
    void theTracesAttributesAreOnEverySpanAndItsInputAndOutputOnTheRootOnlyWhereTheyDiffer() {
        OtlpExport export = langfuseExport().build();
        try (Tracer tracer = exportOnly(export)) {
            recordAgentRun(tracer);
            assertThat(tracer.flush()).isTrue();
        }

        assertThat(receiver.acceptedSpans()).hasSize(4).allSatisfy(span -> assertThat(attributes(span)).contains(
                entry("langfuse.trace.name", "support-agent"),
                entry("user.id", "user-7"),
                entry("session.id", "session-3"),
                entry("langfuse.trace.tags", List.of("beta", "web")),
                entry("langfuse.trace.metadata.tenant", "acme"),
                entry("langfuse.trace.metadata.attempt", "2"),
                entry("langfuse.environment", "production"),
                entry("langfuse.release", "1.4.2")));
        assertThat(attributes(receiver.span("support-agent"))).contains(
                entry("langfuse.observation.input", "reset my password"),
                entry("langfuse.observation.output", "done"))
                .doesNotContainKeys("langfuse.trace.input", "langfuse.trace.output");
    }

    @Test
    void requestsCarryLangfusesHeaderBasicAuthAndProtobufToItsOtlpPath() {
        OtlpExport export = langfuseExport().build();
        try (Tracer tracer = exportOnly(export)) {
            recordAgentRun(tracer);
            assertThat(tracer.flush()).isTrue();
        }

        Received request = receiver.requests().get(0);
        assertThat(request.path()).isEqualTo("/api/public/otel/v1/traces");
        assertThat(request.headers()).contains(
                entry("x-langfuse-ingestion-version", "4"),
                entry("content-type", "application/x-protobuf"),
                entry("authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("pk-lf-test:sk-lf-test".getBytes(StandardCharsets.UTF_8))));
        var resource = request.request().getResourceSpans(0);
        assertThat(resource.getResource().getAttributesList()).anySatisfy(attribute -> {
            assertThat(attribute.getKey()).isEqualTo("service.name");
            assertThat(attribute.getValue().getStringValue()).isEqualTo("support-agent");
        });
        assertThat(resource.getScopeSpans(0).getScope().getName()).isEqualTo("dev.loupe");
    }

    @Test
    void a429AndA500AreRetriedHonouringRetryAfterAndNothingIsLost() {
        receiver.thenAnswer(429, Map.of("Retry-After", "0")).thenAnswer(500);
        OtlpExport export = langfuseExport().build();
        try (Tracer tracer = exportOnly(export)) {
            recordAgentRun(tracer);
            assertThat(tracer.flush()).isTrue();
        }

        assertThat(receiver.requests()).extracting(Received::answeredWith).containsExactly(429, 500, 200);
        assertThat(receiver.requests()).extracting(Received::request).containsOnly(
                receiver.requests().get(0).request());
        assertThat(export.stats()).isEqualTo(new OtlpExportStats(4, 0, 0, 2, 1, 0));
    }

    @Test
    void spansAreDroppedAndCountedWhenTheRetriesRunOutAndTheApplicationSeesNoException() {
        receiver.thenAnswer(503).thenAnswer(503).thenAnswer(503);
        OtlpExport export = langfuseExport().maxAttempts(3).build();
        try (Tracer tracer = exportOnly(export)) {
            recordAgentRun(tracer);

            assertThat(tracer.flush()).isFalse();
            assertThat(export.stats().dropped()).isEqualTo(4);
            assertThat(export.stats().retries()).isEqualTo(2);

            // the next trace goes through: a failure costs only the spans it hit
            recordAgentRun(tracer);
            assertThat(tracer.flush()).isTrue();
        }
        assertThat(export.stats().exported()).isEqualTo(4);
        assertThat(export.stats().dropped()).isEqualTo(4);
    }

    @Test
    void aRefusalOtherThan429IsNotRetriedAndItsSpansAreCountedAsDropped() {
        receiver.thenAnswer(401);
        OtlpExport export = langfuseExport().build();
        try (Tracer tracer = exportOnly(export)) {
            recordAgentRun(tracer);
            assertThat(tracer.flush()).isFalse();
        }

        assertThat(receiver.requests()).extracting(Received::answeredWith).containsExactly(401);
        assertThat(export.stats().dropped()).isEqualTo(4);
        assertThat(export.stats().retries()).isZero();
    }

    @Test
    void spansTheServerRejectsInAPartialSuccessAreCountedAsDroppedAndTheRestAsExported() {
        receiver.thenRejectSpans(1);
        OtlpExport export = langfuseExport().build();
        try (Tracer tracer = exportOnly(export)) {
            recordAgentRun(tracer);
            assertThat(tracer.flush()).isFalse();
        }

        assertThat(receiver.requests()).hasSize(1);
        assertThat(export.stats().exported()).isEqualTo(3);
        assertThat(export.stats().dropped()).isEqualTo(1);
    }

    @Test
    void anUnreachableServerCostsTheApplicationNothingButTheCountedSpans() {
        receiver.close();
        OtlpExport export = langfuseExport().maxAttempts(2).build();
        Tracer tracer = exportOnly(export);

        assertThatCode(() -> recordAgentRun(tracer)).doesNotThrowAnyException();
        assertThat(tracer.flush()).isFalse();
        assertThatCode(tracer::close).doesNotThrowAnyException();

        assertThat(export.stats().dropped()).isEqualTo(4);
        assertThat(tracer.stats().lost()).isZero();
    }

    @Test
    void whatDoesNotFitTheBoundedQueueWhileTheServerIsSlowIsDroppedAndCounted() {
        receiver.delay(Duration.ofMillis(300));
        OtlpExport export = langfuseExport().maxQueueSize(8).maxBatchSize(4).build();
        try (Tracer tracer = exportOnly(export)) {
            for (int i = 0; i < 10; i++) {
                recordAgentRun(tracer);
            }
            tracer.flush();
            assertThat(export.stats().dropped()).isPositive();
            assertThat(export.stats().exported() + export.stats().dropped()).isEqualTo(40);
        }
    }

    @Test
    void closingTheTracerSendsWhatWaitsWithoutAFlush() {
        OtlpExport export = langfuseExport().scheduleDelay(Duration.ofMinutes(1)).build();
        Tracer tracer = exportOnly(export);
        recordAgentRun(tracer);

        tracer.close();

        assertThat(receiver.acceptedSpans()).hasSize(4);
        assertThat(export.stats().exported()).isEqualTo(4);
        assertThat(export.stats().queued()).isZero();
    }

    @Test
    void theExportRunsAlongsideTheLocalStoreWhichKeepsEveryTrace() {
        OtlpExport export = langfuseExport().build();
        try (Tracer tracer = TracerBuilder.create().inMemoryStore().sink(export).shutdownHook(false).build()) {
            String traceId = recordAgentRun(tracer);
            assertThat(tracer.flush()).isTrue();

            assertThat(Exporter.of(tracer).orElseThrow().store().trace(traceId)).isPresent();
            assertThat(OtlpExport.of(tracer)).containsSame(export);
            assertThat(Exporter.of(tracer).orElseThrow().store().traces(TraceQuery.all()).items()).hasSize(1);
        }
        assertThat(receiver.acceptedSpans()).hasSize(4);
    }

    @Test
    void anObservationWhoseTraceRecordDoesNotComeLeavesAfterTheTraceWaitWithoutTraceAttributes() throws Exception {
        OtlpExport export = langfuseExport().traceWait(Duration.ofMillis(50)).build();
        try (Tracer tracer = exportOnly(export)) {
            RootSpan root = tracer.startTrace("long-running").userId("user-7");
            tracer.tool("step", tool -> "ok");

            assertThat(receiver.awaitSpans(1, Duration.ofSeconds(5))).isTrue();
            assertThat(attributes(receiver.span("step"))).containsEntry("langfuse.observation.type", "tool")
                    .doesNotContainKeys("langfuse.trace.name", "user.id");
            root.end();
        }
        assertThat(attributes(receiver.span("long-running"))).containsEntry("user.id", "user-7");
    }

    @Test
    void anObservationRecordedInPiecesLeavesOnceAsOneSpanWhenItEndsAndLaterPiecesAreSkipped() {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        String spanId = "b7ad6b7169203331";
        Instant start = Instant.parse("2025-03-01T10:00:00Z");
        OtlpExport export = langfuseExport().build();
        try (Tracer tracer = exportOnly(export)) {
            tracer.record(new TraceRecord(traceId, "ingested", start, null, null, "user-9", null, Map.of(),
                    List.of(), null, null, null));
            tracer.record(piece(traceId, spanId, start, null, "question", null, null));
            assertThat(tracer.flush()).isTrue();
            assertThat(receiver.acceptedSpans()).as("an observation that has not ended is not sent").isEmpty();

            tracer.record(piece(traceId, spanId, null, start.plusMillis(30), null, "answer", "gpt-4o"));
            assertThat(tracer.flush()).isTrue();
            tracer.record(piece(traceId, spanId, null, start.plusMillis(40), null, "late", null));
            assertThat(tracer.flush()).isTrue();
        }

        assertThat(receiver.acceptedSpans()).singleElement().satisfies(span -> {
            assertThat(span.getStartTimeUnixNano()).isEqualTo(start.toEpochMilli() * 1_000_000);
            assertThat(span.getEndTimeUnixNano()).isEqualTo(start.plusMillis(30).toEpochMilli() * 1_000_000);
            assertThat(attributes(span)).contains(
                    entry("langfuse.observation.input", "question"),
                    entry("langfuse.observation.output", "answer"),
                    entry("langfuse.observation.model.name", "gpt-4o"),
                    entry("user.id", "user-9"));
        });
        assertThat(export.stats().skipped()).isEqualTo(1);
        assertThat(export.stats().exported()).isEqualTo(1);
    }

    private static ObservationRecord piece(String traceId, String id, Instant start, Instant end, String input,
            String output, String model) {
        return new ObservationRecord(id, traceId, null, ObservationType.GENERATION, "llm", start, end, null, input,
                output, Map.of(), null, null, null, model, null, null, null, null, null);
    }

    @Test
    void scoresHaveNoPlaceInOtlpAndAreCountedAsSkipped() {
        OtlpExport export = langfuseExport().build();
        try (Tracer tracer = exportOnly(export)) {
            tracer.trace("judged", root -> root.score("helpfulness", 0.9));
            assertThat(tracer.flush()).isTrue();
        }
        assertThat(export.stats().skipped()).isEqualTo(1);
        assertThat(export.stats().exported()).isEqualTo(1);
    }
}
