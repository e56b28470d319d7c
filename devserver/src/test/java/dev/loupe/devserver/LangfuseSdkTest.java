package dev.loupe.devserver;

import static dev.loupe.devserver.IngestionApiTest.body;
import static dev.loupe.devserver.IngestionApiTest.event;
import static dev.loupe.devserver.IngestionApiTest.newId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.ScoreDataType;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceTree;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Langfuse SDKs from npm, run by Node against a devserver this test started with API keys: what they send
 * is read back through Loupe's query API field by field, and through the SDKs' own read calls. Skipped when node or
 * npm is not installed.
 */
class LangfuseSdkTest {

    private static final String PUBLIC_KEY = "pk-lf-sdk-test";
    private static final String SECRET_KEY = "sk-lf-sdk-test";

    @TempDir
    static Path directory;

    static TraceStore store;
    static DevServer server;

    @BeforeAll
    static void installSdksAndStartServer() {
        LangfuseSdks.install();
        store = TraceStore.open(directory);
        server = DevServer.start(store, "127.0.0.1", 0, new ApiKeys(PUBLIC_KEY, SECRET_KEY));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
            store.close();
        }
    }

    private static String baseUrl() {
        String url = server.url().toString();
        return url.substring(0, url.length() - 1);
    }

    private static Map<String, String> sdkEnvironment(String baseUrlVariable) {
        Map<String, String> environment = new HashMap<>();
        environment.put("LANGFUSE_PUBLIC_KEY", PUBLIC_KEY);
        environment.put("LANGFUSE_SECRET_KEY", SECRET_KEY);
        environment.put(baseUrlVariable, baseUrl());
        environment.put("LANGFUSE_MEDIA_UPLOAD_ENABLED", "false");
        return environment;
    }

    private static JsonNode json(String text) {
        try {
            return ApiJson.MAPPER.readTree(text);
        } catch (IOException notJson) {
            throw new UncheckedIOException(notJson);
        }
    }

    private static Observation observation(TraceTree tree, String id) {
        return tree.observations().stream().filter(each -> each.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("Expecting observation " + id + " in trace " + tree.trace().id()
                        + ", but it has " + tree.observations().stream().map(Observation::id).toList()));
    }

    private static Score score(TraceTree tree, String id) {
        return tree.scores().stream().filter(each -> each.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("Expecting score " + id + " in trace " + tree.trace().id()));
    }

    @Test
    void aTraceRecordedWithLangfuseJs3IsStoredFieldByFieldAndReadBackByTheSdk() {
        Map<String, String> ids = new HashMap<>();
        for (String name : new String[] {"TRACE_ID", "SESSION_ID", "SPAN_ID", "GENERATION_ID", "EVENT_ID", "TOOL_ID",
            "TRACE_SCORE_ID", "OBSERVATION_SCORE_ID"}) {
            ids.put(name, newId());
        }
        Map<String, String> environment = sdkEnvironment("LANGFUSE_BASEURL");
        environment.putAll(ids);

        JsonNode printed = LangfuseSdks.runScript("langfuse-v3-trace.mjs", environment);

        assertThat(printed.get("failures")).isEmpty();
        assertThat(printed.get("toolCall").get("successes")).hasSize(1);
        TraceTree tree = store.trace(ids.get("TRACE_ID")).orElseThrow();
        Trace trace = tree.trace();
        assertThat(trace.name()).isEqualTo("support-agent");
        assertThat(trace.userId()).isEqualTo("user-7");
        assertThat(trace.sessionId()).isEqualTo(ids.get("SESSION_ID"));
        assertThat(trace.tags()).containsExactly("answered", "sdk-v3");
        assertThat(json(trace.metadata())).isEqualTo(json("{\"tier\":\"gold\",\"resolved\":true}"));
        assertThat(json(trace.input())).isEqualTo(json("{\"question\":\"Where is order 42?\"}"));
        assertThat(json(trace.output())).isEqualTo(json("{\"answer\":\"Order 42 ships today.\"}"));
        assertThat(trace.release()).isEqualTo("1.2.3");
        assertThat(trace.version()).isEqualTo("agent-v7");
        assertThat(trace.environment()).isEqualTo("sdk-test");
        assertThat(trace.timestamp()).isNotNull();
        assertThat(tree.observations()).hasSize(4);

        Observation span = observation(tree, ids.get("SPAN_ID"));
        assertThat(span.type()).isEqualTo(ObservationType.SPAN);
        assertThat(span.name()).isEqualTo("plan");
        assertThat(span.parentObservationId()).isNull();
        assertThat(span.startTime()).isEqualTo(Instant.parse("2026-01-05T10:00:00Z"));
        assertThat(span.endTime()).isEqualTo(Instant.parse("2026-01-05T10:00:02Z"));
        assertThat(json(span.input())).isEqualTo(json("{\"goal\":\"find order 42\"}"));
        assertThat(json(span.output())).isEqualTo(json("{\"answer\":\"Order 42 ships today.\"}"));
        assertThat(json(span.metadata())).isEqualTo(json("{\"step\":1}"));

        Observation generation = observation(tree, ids.get("GENERATION_ID"));
        assertThat(generation.type()).isEqualTo(ObservationType.GENERATION);
        assertThat(generation.name()).isEqualTo("answer");
        assertThat(generation.parentObservationId()).isEqualTo(ids.get("SPAN_ID"));
        assertThat(generation.startTime()).isEqualTo(Instant.parse("2026-01-05T10:00:00.100Z"));
        assertThat(generation.completionStartTime()).isEqualTo(Instant.parse("2026-01-05T10:00:00.300Z"));
        assertThat(generation.endTime()).isEqualTo(Instant.parse("2026-01-05T10:00:01Z"));
        assertThat(generation.model()).isEqualTo("gpt-4o");
        assertThat(json(generation.modelParameters())).isEqualTo(json("{\"temperature\":0.1,\"max_tokens\":200}"));
        assertThat(json(generation.input()))
                .isEqualTo(json("[{\"role\":\"user\",\"content\":\"Where is order 42?\"}]"));
        assertThat(json(generation.output()))
                .isEqualTo(json("{\"role\":\"assistant\",\"content\":\"Order 42 ships today.\"}"));
        // Langfuse's input leaves its cached part out; Loupe's includes it (one usage model, see Usage).
        assertThat(generation.usage().details()).containsExactly(Map.entry("input", 140L), Map.entry("output", 30L),
                Map.entry("total", 170L), Map.entry("cached_input", 20L));
        assertThat(generation.cost().details().get("input")).isEqualByComparingTo("0.00031");
        assertThat(generation.cost().details().get("output")).isEqualByComparingTo("0.0006");
        assertThat(generation.cost().details().get("cached_input")).isEqualByComparingTo("0.00001");
        assertThat(generation.cost().total()).isEqualByComparingTo("0.00091");
        // Sent by generation.update() after the create was stored.
        assertThat(generation.statusMessage()).isEqualTo("finished");
        assertThat(json(generation.metadata())).isEqualTo(json("{\"retries\":0}"));

        Observation event = observation(tree, ids.get("EVENT_ID"));
        assertThat(event.type()).isEqualTo(ObservationType.EVENT);
        assertThat(event.name()).isEqualTo("cache-miss");
        assertThat(event.parentObservationId()).isEqualTo(ids.get("SPAN_ID"));
        assertThat(event.level()).isEqualTo(ObservationLevel.WARNING);
        assertThat(event.statusMessage()).isEqualTo("no cached answer");
        assertThat(event.startTime()).isEqualTo(Instant.parse("2026-01-05T10:00:00.050Z"));
        assertThat(event.endTime()).isEqualTo(event.startTime());

        Observation tool = observation(tree, ids.get("TOOL_ID"));
        assertThat(tool.type()).isEqualTo(ObservationType.TOOL);
        assertThat(tool.name()).isEqualTo("lookup-order");
        assertThat(tool.parentObservationId()).isEqualTo(ids.get("SPAN_ID"));
        assertThat(tool.duration()).hasMillis(200);
        assertThat(json(tool.input())).isEqualTo(json("{\"orderId\":42}"));
        assertThat(json(tool.output())).isEqualTo(json("{\"status\":\"shipping\"}"));

        Score traceScore = score(tree, ids.get("TRACE_SCORE_ID"));
        assertThat(traceScore.name()).isEqualTo("helpfulness");
        assertThat(traceScore.value()).isEqualTo(0.9);
        assertThat(traceScore.comment()).isEqualTo("answered the question");
        assertThat(traceScore.observationId()).isNull();
        Score observationScore = score(tree, ids.get("OBSERVATION_SCORE_ID"));
        assertThat(observationScore.name()).isEqualTo("grounded");
        assertThat(observationScore.dataType()).isEqualTo(ScoreDataType.BOOLEAN);
        assertThat(observationScore.isTrue()).isTrue();
        assertThat(observationScore.observationId()).isEqualTo(ids.get("GENERATION_ID"));

        // What the SDK's own read calls returned.
        JsonNode fetched = printed.get("trace");
        assertThat(fetched.get("id").asText()).isEqualTo(ids.get("TRACE_ID"));
        assertThat(fetched.get("name").asText()).isEqualTo("support-agent");
        assertThat(fetched.get("environment").asText()).isEqualTo("sdk-test");
        assertThat(fetched.get("observations")).hasSize(4);
        assertThat(fetched.get("scores")).hasSize(2);
        assertThat(StreamSupport.stream(printed.get("observations").spliterator(), false)
                .map(each -> each.get("type").asText())).containsExactlyInAnyOrder("SPAN", "GENERATION", "EVENT",
                        "TOOL");
        JsonNode fetchedGeneration = StreamSupport.stream(printed.get("observations").spliterator(), false)
                .filter(each -> each.get("id").asText().equals(ids.get("GENERATION_ID"))).findFirst().orElseThrow();
        assertThat(fetchedGeneration.get("usageDetails").get("cached_input").asLong()).isEqualTo(20);
        assertThat(fetchedGeneration.get("costDetails").get("output").decimalValue()).isEqualByComparingTo("0.0006");
        assertThat(printed.get("scores")).extracting(each -> each.get("name").asText())
                .containsExactlyInAnyOrder("helpfulness", "grounded");
        assertThat(printed.get("sessions")).extracting(each -> each.get("id").asText())
                .contains(ids.get("SESSION_ID"));
        assertThat(printed.get("projects").get(0).get("id").asText()).isEqualTo("loupe");
    }

    @Test
    void scoresSentWithLangfuseClient5AreStoredAndItsReadsPageThroughTheTrace() {
        String traceId = newId();
        String generationId = newId();
        ApiClient api = new ApiClient(server.url());
        String authorization = ApiClient.basic(PUBLIC_KEY, SECRET_KEY);
        ApiClient.Response ingested = api.post("/api/public/ingestion", IngestionApiTest.batch(
                event("trace-create", body("{\"id\":\"" + traceId + "\",\"name\":\"v5 reads\"}")),
                event("span-create", body("{\"id\":\"" + traceId + "-a\",\"traceId\":\"" + traceId
                        + "\",\"startTime\":\"2026-01-05T10:00:00Z\"}")),
                event("span-create", body("{\"id\":\"" + traceId + "-b\",\"traceId\":\"" + traceId
                        + "\",\"startTime\":\"2026-01-05T10:00:01Z\"}")),
                event("generation-create", body("{\"id\":\"" + generationId + "\",\"traceId\":\"" + traceId
                        + "\",\"startTime\":\"2026-01-05T10:00:02Z\",\"model\":\"gpt-4o\","
                        + "\"usageDetails\":{\"input\":7,\"output\":3}}")),
                event("event-create", body("{\"id\":\"" + traceId + "-c\",\"traceId\":\"" + traceId
                        + "\",\"startTime\":\"2026-01-05T10:00:03Z\"}"))), "Authorization", authorization);
        assertThat(ingested.json().get("successes")).hasSize(5);
        Map<String, String> environment = sdkEnvironment("LANGFUSE_BASE_URL");
        environment.put("TRACE_ID", traceId);
        environment.put("GENERATION_ID", generationId);
        environment.put("TRACE_SCORE_ID", traceId + "-correct");
        environment.put("OBSERVATION_SCORE_ID", traceId + "-tone");

        JsonNode printed = LangfuseSdks.runScript("langfuse-v5-scores-and-reads.mjs", environment);

        TraceTree tree = store.trace(traceId).orElseThrow();
        Score correct = score(tree, traceId + "-correct");
        assertThat(correct.name()).isEqualTo("correct");
        assertThat(correct.dataType()).isEqualTo(ScoreDataType.BOOLEAN);
        assertThat(correct.isTrue()).isTrue();
        assertThat(correct.comment()).isEqualTo("checked against the order system");
        Score tone = score(tree, traceId + "-tone");
        assertThat(tone.dataType()).isEqualTo(ScoreDataType.CATEGORICAL);
        assertThat(tone.stringValue()).isEqualTo("friendly");
        assertThat(tone.observationId()).isEqualTo(generationId);

        assertThat(printed.get("pages").toString()).isEqualTo("[[\"" + traceId + "-a\",\"" + traceId + "-b\"],[\""
                + generationId + "\",\"" + traceId + "-c\"]]");
        assertThat(printed.get("generation").get("id").asText()).isEqualTo(generationId);
        assertThat(printed.get("generation").get("usageDetails").get("total").asLong()).isEqualTo(10);
        assertThat(printed.get("scores")).extracting(each -> each.get("id").asText())
                .containsExactlyInAnyOrder(traceId + "-correct", traceId + "-tone");
        assertThat(printed.get("trace").get("name").asText()).isEqualTo("v5 reads");
        assertThat(printed.get("projects").get(0).get("id").asText()).isEqualTo("loupe");
        assertThat(printed.get("health").get("status").asText()).isEqualTo("OK");
    }
}
