package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.ScoreDataType;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceTree;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Langfuse's ingestion endpoint over real HTTP, against a real server on a free port and a real file store: every
 * event type, Langfuse's merge rules, every usage shape, and bad input, each answered as documented while the server
 * keeps serving.
 */
class IngestionApiTest {

    private static final String INGESTION = "/api/public/ingestion";
    private static final String T0 = "2026-11-21T05:34:52.082Z";

    @TempDir
    static Path directory;

    static TraceStore store;
    static DevServer server;
    static ApiClient api;

    @BeforeAll
    static void startServer() {
        store = TraceStore.open(directory);
        server = DevServer.start(store, "127.0.0.1", 0);
        api = new ApiClient(server.url());
    }

    @AfterAll
    static void stopServer() {
        server.close();
        store.close();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers: events as the SDKs write them

    static String newId() {
        return UUID.randomUUID().toString();
    }

    static ObjectNode event(String type, String timestamp, ObjectNode body) {
        ObjectNode event = ApiJson.MAPPER.createObjectNode();
        event.put("id", newId());
        event.put("type", type);
        event.put("timestamp", timestamp);
        event.set("body", body);
        return event;
    }

    static ObjectNode event(String type, ObjectNode body) {
        return event(type, T0, body);
    }

    static ObjectNode body(String json) {
        try {
            return (ObjectNode) ApiJson.MAPPER.readTree(json);
        } catch (IOException notJson) {
            throw new UncheckedIOException(notJson);
        }
    }

    static String batch(JsonNode... events) {
        ObjectNode batch = ApiJson.MAPPER.createObjectNode();
        ArrayNode array = batch.putArray("batch");
        for (JsonNode event : events) {
            array.add(event);
        }
        return batch.toString();
    }

    /** Sends the events as one batch and checks that every one of them succeeded. */
    static ApiClient.Response ingest(JsonNode... events) {
        return ingestInto(api, events);
    }

    /** Sends the events as one batch to this server and checks that every one of them succeeded. */
    static ApiClient.Response ingestInto(ApiClient api, JsonNode... events) {
        ApiClient.Response response = api.post(INGESTION, batch(events));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(207);
        assertThat(response.json().get("errors")).as(response.raw().body()).isEmpty();
        assertThat(response.json().get("successes")).hasSize(events.length);
        return response;
    }

    static TraceTree storedTrace(String id) {
        return store.trace(id).orElseThrow(() -> new AssertionError("Expecting trace " + id + " to be stored"));
    }

    static Observation storedObservation(String id) {
        return store.observation(id).orElseThrow(() -> new AssertionError("Expecting observation " + id
                + " to be stored"));
    }

    static JsonNode json(String text) {
        try {
            return ApiJson.MAPPER.readTree(text);
        } catch (IOException notJson) {
            throw new UncheckedIOException(notJson);
        }
    }

    /** Returns the requests a real SDK sent, as the fixture file recorded them. */
    static List<JsonNode> fixture(String name) {
        try (InputStream in = IngestionApiTest.class.getResourceAsStream("langfuse-sdk/" + name)) {
            List<JsonNode> requests = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    requests.add(json(line));
                }
            }
            return requests;
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @Nested
    class RecordedSdkRequests {

        @Test
        void theBatchLangfuseJs3SentIsStoredFieldByField() {
            JsonNode request = fixture("langfuse-js-3.39.2-ingestion.jsonl").get(0);

            ApiClient.Response response = api.post(INGESTION, request.get("body").asText());

            assertThat(response.status()).isEqualTo(207);
            assertThat(response.json().get("errors")).isEmpty();
            assertThat(response.json().get("successes")).extracting(success -> success.get("status").asInt())
                    .containsOnly(201).hasSize(8);
            TraceTree tree = storedTrace("c2269186-612d-49e9-8301-96d39be72c5b");
            Trace trace = tree.trace();
            assertThat(trace.name()).isEqualTo("chat");
            assertThat(trace.timestamp()).isEqualTo(Instant.parse("2026-11-21T05:34:52.081Z"));
            assertThat(trace.userId()).isEqualTo("u1");
            assertThat(trace.sessionId()).isEqualTo("s1");
            assertThat(trace.tags()).containsExactly("t1");
            assertThat(json(trace.metadata())).isEqualTo(json("{\"k\":\"v\"}"));
            assertThat(json(trace.input())).isEqualTo(json("{\"q\":\"hi\"}"));
            // The update (trace.update({output})) reached the server before the create; both are kept.
            assertThat(json(trace.output())).isEqualTo(json("\"bye\""));
            assertThat(trace.environment()).isEqualTo("default");

            Observation span = storedObservation("b0ea60d6-7634-46bd-abb2-bbdc954dff2a");
            assertThat(span.type()).isEqualTo(ObservationType.SPAN);
            assertThat(span.name()).isEqualTo("retrieve");
            assertThat(span.startTime()).isEqualTo(Instant.parse(T0));
            assertThat(span.endTime()).isEqualTo(Instant.parse(T0));
            assertThat(json(span.input())).isEqualTo(json("\"query\""));
            assertThat(json(span.output())).isEqualTo(json("[\"doc1\"]"));

            Observation generation = storedObservation("6d590f78-35eb-4915-ba51-ff572928357d");
            assertThat(generation.type()).isEqualTo(ObservationType.GENERATION);
            assertThat(generation.name()).isEqualTo("llm");
            assertThat(generation.model()).isEqualTo("gpt-4o");
            assertThat(json(generation.modelParameters())).isEqualTo(json("{\"temperature\":0.2}"));
            assertThat(json(generation.input())).isEqualTo(json("[{\"role\":\"user\",\"content\":\"hi\"}]"));
            assertThat(json(generation.output())).isEqualTo(json("{\"role\":\"assistant\",\"content\":\"hello\"}"));
            assertThat(generation.usage().details()).containsExactly(Map.entry("input", 12L),
                    Map.entry("output", 5L), Map.entry("total", 17L), Map.entry("cached_input", 2L));
            assertThat(generation.endTime()).isEqualTo(Instant.parse(T0));

            Observation event = storedObservation("e53b4f0f-adac-4520-8b59-8493f732c76f");
            assertThat(event.type()).isEqualTo(ObservationType.EVENT);
            assertThat(event.name()).isEqualTo("evt");
            assertThat(event.level()).isEqualTo(ObservationLevel.WARNING);
            assertThat(event.endTime()).isEqualTo(event.startTime());

            assertThat(tree.scores()).singleElement().satisfies(score -> {
                assertThat(score.id()).isEqualTo("d9d10c19-47ca-41ad-b41f-efe44115f978");
                assertThat(score.name()).isEqualTo("quality");
                assertThat(score.value()).isEqualTo(0.9);
                assertThat(score.dataType()).isEqualTo(ScoreDataType.NUMERIC);
                assertThat(score.observationId()).isNull();
            });
        }

        @Test
        void theBooleanScoreLangfuseClient5SentIsStoredAsABoolean() {
            JsonNode request = fixture("langfuse-client-5.11.1-reads.jsonl").stream()
                    .filter(each -> each.get("method").asText().equals("POST")).findFirst().orElseThrow();

            ApiClient.Response response = api.post(INGESTION, request.get("body").asText());

            assertThat(response.json().get("successes")).hasSize(1);
            Score score = storedTrace("abc").scores().stream()
                    .filter(each -> each.id().equals("0fb2e119-7d64-4db0-8c55-b477fe989b1f")).findFirst()
                    .orElseThrow();
            assertThat(score.dataType()).isEqualTo(ScoreDataType.BOOLEAN);
            assertThat(score.isTrue()).isTrue();
            assertThat(score.name()).isEqualTo("quality");
        }
    }

    @Nested
    class EventTypes {

        @ParameterizedTest(name = "{0} creates {1}")
        @CsvSource({
            "span-create, SPAN", "generation-create, GENERATION", "event-create, EVENT", "agent-create, AGENT",
            "tool-create, TOOL", "chain-create, CHAIN", "retriever-create, RETRIEVER",
            "evaluator-create, EVALUATOR", "embedding-create, EMBEDDING", "guardrail-create, GUARDRAIL"})
        void eachCreateEventCreatesItsObservationType(String eventType, ObservationType type) {
            String traceId = newId();
            String id = newId();

            ingest(event(eventType, body("{\"id\":\"" + id + "\",\"traceId\":\"" + traceId + "\",\"name\":\"step\","
                    + "\"startTime\":\"" + T0 + "\"}")));

            assertThat(storedObservation(id).type()).isEqualTo(type);
            assertThat(storedObservation(id).traceId()).isEqualTo(traceId);
        }

        @Test
        void theLegacyObservationEventsCreateAndUpdateTheTypeTheyName() {
            String id = newId();
            String traceId = newId();

            ingest(event("observation-create", body("{\"id\":\"" + id + "\",\"traceId\":\"" + traceId
                            + "\",\"type\":\"GENERATION\",\"name\":\"llm\",\"startTime\":\"" + T0 + "\"}")),
                    event("observation-update", "2026-11-21T05:34:53Z", body("{\"id\":\"" + id + "\",\"traceId\":\""
                            + traceId + "\",\"type\":\"GENERATION\",\"endTime\":\"2026-11-21T05:34:53Z\","
                            + "\"output\":\"done\"}")));

            Observation stored = storedObservation(id);
            assertThat(stored.type()).isEqualTo(ObservationType.GENERATION);
            assertThat(stored.name()).isEqualTo("llm");
            assertThat(stored.endTime()).isEqualTo(Instant.parse("2026-11-21T05:34:53Z"));
        }

        @Test
        void sdkLogEventsAreAcceptedAndDropped() {
            long before = store.observations(dev.loupe.store.ObservationQuery.builder().build()).totalItems();

            ApiClient.Response response = ingest(event("sdk-log", body("{\"log\":{\"message\":\"hello\"}}")));

            assertThat(response.json().get("successes").get(0).get("status").asInt()).isEqualTo(201);
            assertThat(store.observations(dev.loupe.store.ObservationQuery.builder().build()).totalItems())
                    .isEqualTo(before);
        }

        @Test
        void anObservationCreatedWithoutATraceGetsATraceOfItsOwn() {
            String id = newId();

            ingest(event("span-create", body("{\"id\":\"" + id + "\",\"name\":\"lonely\",\"startTime\":\"" + T0
                    + "\"}")), event("span-update", body("{\"id\":\"" + id + "\",\"output\":\"done\"}")));

            Observation stored = storedObservation(id);
            assertThat(storedTrace(stored.traceId()).observations()).extracting(Observation::id).containsExactly(id);
            assertThat(storedTrace(stored.traceId()).name()).isEqualTo("lonely");
            assertThat(json(stored.output())).isEqualTo(json("\"done\""));
        }

        @Test
        void aScoreOfAStoredObservationThatNamesNoTraceJoinsTheObservationsTrace() {
            String traceId = newId();
            String spanId = newId();
            ingest(event("span-create", body("{\"id\":\"" + spanId + "\",\"traceId\":\"" + traceId + "\"}")));

            ingest(event("score-create", body("{\"id\":\"s-" + spanId + "\",\"observationId\":\"" + spanId
                    + "\",\"name\":\"relevance\",\"value\":0.4}")));

            assertThat(storedTrace(traceId).scores()).singleElement().satisfies(score -> {
                assertThat(score.observationId()).isEqualTo(spanId);
                assertThat(score.value()).isEqualTo(0.4);
            });
        }

        @Test
        void aScoreOfAnObservationJudgesThatObservation() {
            String traceId = newId();
            String spanId = newId();

            ingest(event("span-create", body("{\"id\":\"" + spanId + "\",\"traceId\":\"" + traceId + "\"}")),
                    event("score-create", body("{\"id\":\"s-" + spanId + "\",\"traceId\":\"" + traceId
                            + "\",\"observationId\":\"" + spanId + "\",\"name\":\"tone\",\"value\":\"polite\","
                            + "\"comment\":\"checked by hand\"}")));

            assertThat(storedTrace(traceId).scores()).singleElement().satisfies(score -> {
                assertThat(score.observationId()).isEqualTo(spanId);
                assertThat(score.dataType()).isEqualTo(ScoreDataType.CATEGORICAL);
                assertThat(score.stringValue()).isEqualTo("polite");
                assertThat(score.comment()).isEqualTo("checked by hand");
            });
        }
    }

    @Nested
    class MergeRules {

        @Test
        void anUpdateSentInAnEarlierBatchThanItsCreateIsCompletedByTheCreate() {
            String traceId = newId();
            String id = newId();

            ingest(event("generation-update", "2026-11-21T05:34:54Z", body("{\"id\":\"" + id + "\",\"traceId\":\""
                    + traceId + "\",\"endTime\":\"2026-11-21T05:34:54Z\",\"output\":\"answer\","
                    + "\"usage\":{\"input\":3,\"output\":4}}")));
            ingest(event("generation-create", body("{\"id\":\"" + id + "\",\"traceId\":\"" + traceId
                    + "\",\"name\":\"llm\",\"startTime\":\"" + T0 + "\",\"model\":\"gpt-4o\",\"input\":\"q\"}")));

            Observation stored = storedObservation(id);
            assertThat(stored.type()).isEqualTo(ObservationType.GENERATION);
            assertThat(stored.name()).isEqualTo("llm");
            assertThat(stored.startTime()).isEqualTo(Instant.parse(T0));
            assertThat(stored.endTime()).isEqualTo(Instant.parse("2026-11-21T05:34:54Z"));
            assertThat(json(stored.input())).isEqualTo(json("\"q\""));
            assertThat(json(stored.output())).isEqualTo(json("\"answer\""));
            assertThat(stored.usage().input()).isEqualTo(3);
            assertThat(storedTrace(traceId).trace().timestamp()).isEqualTo(Instant.parse(T0));
        }

        @Test
        void withinABatchEventsApplyInTheOrderTheyWereMadeWhateverOrderTheyArriveIn() {
            String id = newId();
            String traceId = newId();

            ingest(event("span-update", "2026-11-21T05:34:56Z", body("{\"id\":\"" + id + "\",\"traceId\":\""
                            + traceId + "\",\"name\":\"final\"}")),
                    event("span-create", "2026-11-21T05:34:55Z", body("{\"id\":\"" + id + "\",\"traceId\":\""
                            + traceId + "\",\"name\":\"draft\",\"startTime\":\"" + T0 + "\"}")));

            assertThat(storedObservation(id).name()).isEqualTo("final");
        }

        @Test
        void theLastNonNullValueWinsAndNullsKeepWhatIsStored() {
            String traceId = newId();

            ingest(event("trace-create", body("{\"id\":\"" + traceId + "\",\"name\":\"first\",\"userId\":\"u1\","
                    + "\"release\":\"1.0\"}")));
            ingest(event("trace-create", body("{\"id\":\"" + traceId + "\",\"name\":\"second\",\"userId\":null}")));

            Trace stored = storedTrace(traceId).trace();
            assertThat(stored.name()).isEqualTo("second");
            assertThat(stored.userId()).isEqualTo("u1");
            assertThat(stored.release()).isEqualTo("1.0");
        }

        @Test
        void metadataIsMergedAndTagsAreUnited() {
            String traceId = newId();

            ingest(event("trace-create", body("{\"id\":\"" + traceId + "\",\"metadata\":{\"a\":1,\"b\":1},"
                    + "\"tags\":[\"x\",\"y\"]}")));
            ingest(event("trace-create", body("{\"id\":\"" + traceId + "\",\"metadata\":{\"b\":2,\"c\":[3]},"
                    + "\"tags\":[\"y\",\"z\"]}")));

            Trace stored = storedTrace(traceId).trace();
            assertThat(json(stored.metadata())).isEqualTo(json("{\"a\":1,\"b\":2,\"c\":[3]}"));
            assertThat(stored.tags()).containsExactly("x", "y", "z");
        }

        @Test
        void theStartTimeAndEnvironmentAreFixedByTheFirstEvent() {
            String traceId = newId();
            String id = newId();

            ingest(event("trace-create", body("{\"id\":\"" + traceId + "\",\"environment\":\"staging\"}")),
                    event("span-create", body("{\"id\":\"" + id + "\",\"traceId\":\"" + traceId
                            + "\",\"startTime\":\"" + T0 + "\"}")));
            ingest(event("trace-create", body("{\"id\":\"" + traceId + "\",\"environment\":\"production\"}")),
                    event("span-update", body("{\"id\":\"" + id + "\",\"traceId\":\"" + traceId
                            + "\",\"startTime\":\"2026-11-21T05:40:00Z\"}")));

            assertThat(storedTrace(traceId).trace().environment()).isEqualTo("staging");
            assertThat(storedObservation(id).startTime()).isEqualTo(Instant.parse(T0));
        }

        @Test
        void theSameEventSentTwiceIsStoredOnce() {
            String traceId = newId();
            ObjectNode create = event("trace-create", body("{\"id\":\"" + traceId + "\",\"name\":\"once\","
                    + "\"tags\":[\"a\"],\"metadata\":{\"k\":1}}"));
            ObjectNode span = event("span-create", body("{\"id\":\"span-" + traceId + "\",\"traceId\":\"" + traceId
                    + "\",\"startTime\":\"" + T0 + "\",\"usage\":{\"input\":1,\"output\":2}}"));

            ApiClient.Response first = ingest(create, span, create);
            TraceTree afterFirst = storedTrace(traceId);
            ApiClient.Response second = ingest(create, span);

            assertThat(first.json().get("successes")).extracting(success -> success.get("id").asText())
                    .containsExactly(create.get("id").asText(), span.get("id").asText(), create.get("id").asText());
            assertThat(second.json().get("successes")).hasSize(2);
            assertThat(storedTrace(traceId)).isEqualTo(afterFirst);
            assertThat(afterFirst.observations()).hasSize(1);
        }

        @Test
        void idsOfUpTo800CharactersOfAnyFormAreKept() {
            String traceId = "t".repeat(800);
            String id = "öbs/" + "x".repeat(796);

            ingest(event("span-create", body("{\"id\":\"" + id + "\",\"traceId\":\"" + traceId + "\"}")));

            assertThat(storedObservation(id).traceId()).isEqualTo(traceId);
        }
    }

    @Nested
    class UsageShapes {

        Observation ingestGeneration(String usageFields) {
            String id = newId();
            ingest(event("generation-create", body("{\"id\":\"" + id + "\",\"traceId\":\"" + newId()
                    + "\",\"model\":\"gpt-4o\"," + usageFields + "}")));
            return storedObservation(id);
        }

        @Test
        void usageWithInputOutputTotalAndUnit() {
            Observation stored = ingestGeneration("\"usage\":{\"input\":10,\"output\":20,\"total\":30,"
                    + "\"unit\":\"TOKENS\"}");

            assertThat(stored.usage().details()).containsExactly(Map.entry("input", 10L), Map.entry("output", 20L),
                    Map.entry("total", 30L));
        }

        @Test
        void usageWithTheCostsOfItsParts() {
            Observation stored = ingestGeneration("\"usage\":{\"input\":10,\"output\":20,\"inputCost\":0.001,"
                    + "\"outputCost\":0.004,\"totalCost\":0.005}");

            assertThat(stored.usage().total()).isEqualTo(30);
            assertThat(stored.cost().input()).isEqualByComparingTo("0.001");
            assertThat(stored.cost().output()).isEqualByComparingTo("0.004");
            assertThat(stored.cost().total()).isEqualByComparingTo("0.005");
        }

        @Test
        void usageWithPromptAndCompletionTokens() {
            Observation stored = ingestGeneration("\"usage\":{\"promptTokens\":7,\"completionTokens\":3,"
                    + "\"totalTokens\":10}");

            assertThat(stored.usage().details()).containsExactly(Map.entry("input", 7L), Map.entry("output", 3L),
                    Map.entry("total", 10L));
        }

        @Test
        void usageDetailsAsAFreeMapKeepEveryCountAddTheInputPartsToTheInputAndGetTheirSumAsTotal() {
            Observation stored = ingestGeneration("\"usageDetails\":{\"input\":8,\"output\":4,"
                    + "\"input_audio\":2,\"cache_read_input_tokens\":5}");

            assertThat(stored.usage().details()).containsExactly(Map.entry("input", 15L), Map.entry("output", 4L),
                    Map.entry("total", 19L), Map.entry("input_audio", 2L), Map.entry("cached_input", 5L));
        }

        @Test
        void usageDetailsInOpenAisChatShapeKeepCachedAndReasoningTokensAsPartsOfTheirTotals() {
            Observation stored = ingestGeneration("\"usageDetails\":{\"prompt_tokens\":100,"
                    + "\"completion_tokens\":50,\"total_tokens\":150,\"prompt_tokens_details\":{\"cached_tokens\":40,"
                    + "\"audio_tokens\":null},\"completion_tokens_details\":{\"reasoning_tokens\":30}}");

            assertThat(stored.usage().details()).containsExactly(Map.entry("input", 100L),
                    Map.entry("output", 50L), Map.entry("total", 150L), Map.entry("cached_input", 40L),
                    Map.entry("reasoning", 30L));
        }

        @Test
        void usageDetailsInOpenAisResponsesShapeKeepCachedAndReasoningTokensAsPartsOfTheirTotals() {
            Observation stored = ingestGeneration("\"usageDetails\":{\"input_tokens\":90,\"output_tokens\":60,"
                    + "\"total_tokens\":150,\"input_tokens_details\":{\"cached_tokens\":10},"
                    + "\"output_tokens_details\":{\"reasoning_tokens\":25}}");

            assertThat(stored.usage().details()).containsExactly(Map.entry("input", 90L),
                    Map.entry("output", 60L), Map.entry("total", 150L), Map.entry("cached_input", 10L),
                    Map.entry("reasoning", 25L));
        }

        @Test
        void usageDetailsWinOverTheOlderUsage() {
            Observation stored = ingestGeneration("\"usage\":{\"input\":1,\"output\":1},"
                    + "\"usageDetails\":{\"input\":5,\"output\":6,\"total\":11}");

            assertThat(stored.usage().details()).containsExactly(Map.entry("input", 5L), Map.entry("output", 6L),
                    Map.entry("total", 11L));
        }

        @Test
        void costDetailsKeepEveryAmountWithTheInputIncludingItsCachedPart() {
            Observation stored = ingestGeneration("\"usageDetails\":{\"input\":5,\"output\":6},"
                    + "\"costDetails\":{\"input\":0.000015,\"output\":0.00006,\"input_cached_tokens\":0.0000025}");

            assertThat(stored.cost().details().get("input")).isEqualByComparingTo("0.0000175");
            assertThat(stored.cost().details().get("output")).isEqualByComparingTo("0.00006");
            assertThat(stored.cost().details().get("cached_input")).isEqualByComparingTo("0.0000025");
            assertThat(stored.cost().total()).isEqualByComparingTo("0.0000775");
        }

        @Test
        void aGenerationWithUsageButNoCostIsPricedFromTheModel() {
            Observation stored = ingestGeneration("\"usageDetails\":{\"input\":1000,\"output\":1000}");

            assertThat(stored.cost()).isNotNull();
            assertThat(stored.cost().total()).isPositive();
        }
    }

    @Nested
    class Environments {

        @ParameterizedTest(name = "{0} is stored as {1}")
        @CsvSource(value = {"'', default", "null, default", "production, production", "' Staging ', staging",
            "eu_west-1, eu_west-1"}, nullValues = "null")
        void environmentsAreNormalisedAsLangfuseDoes(String given, String stored) {
            String traceId = newId();
            ObjectNode body = body("{\"id\":\"" + traceId + "\"}");
            if (given != null) {
                body.put("environment", given);
            }

            ingest(event("trace-create", body));

            assertThat(storedTrace(traceId).trace().environment()).isEqualTo(stored);
        }

        @ParameterizedTest(name = "{0} is refused")
        @ValueSource(strings = {"langfuse-internal", "prod env", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "pröd"})
        void anEnvironmentLangfuseRefusesIsAnErrorOfThatEvent(String given) {
            ObjectNode body = body("{\"id\":\"" + newId() + "\"}");
            body.put("environment", given);

            ApiClient.Response response = api.post(INGESTION, batch(event("trace-create", body)));

            assertThat(response.status()).isEqualTo(207);
            assertThat(response.json().get("errors").get(0).get("message").asText())
                    .startsWith("body.environment '" + given + "' is not an environment name");
        }
    }

    @Nested
    class SdkReads {

        @Test
        void theProjectsListHoldsTheDevserversOneProject() {
            JsonNode project = api.get("/api/public/projects").json().get("data").get(0);

            assertThat(project.get("id").asText()).isEqualTo("loupe");
            assertThat(project.get("name").asText()).isEqualTo("Loupe devserver");
        }

        @Test
        void theHealthCheckSaysOk() {
            ApiClient.Response response = api.get("/api/public/health");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("status").asText()).isEqualTo("OK");
            assertThat(response.json().get("version").asText()).isNotBlank();
        }

        @Test
        void v2ObservationsArePagedWithTheCursorOfEachAnswer() {
            String traceId = newId();
            List<ObjectNode> events = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                events.add(event("span-create", body("{\"id\":\"" + traceId + "-" + i + "\",\"traceId\":\"" + traceId
                        + "\",\"startTime\":\"2026-11-21T05:34:5" + i + "Z\"}")));
            }
            ingest(events.toArray(JsonNode[]::new));

            List<String> seen = new ArrayList<>();
            List<Integer> pageSizes = new ArrayList<>();
            String cursor = null;
            do {
                JsonNode answer = api.get("/api/public/v2/observations?limit=2&traceId=" + traceId
                        + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor,
                                StandardCharsets.UTF_8))).json();
                answer.get("data").forEach(observation -> seen.add(observation.get("id").asText()));
                pageSizes.add(answer.get("data").size());
                cursor = answer.get("meta").hasNonNull("cursor") ? answer.get("meta").get("cursor").asText() : null;
            } while (cursor != null);

            assertThat(pageSizes).containsExactly(2, 2, 1);
            assertThat(seen).containsExactly(traceId + "-0", traceId + "-1", traceId + "-2", traceId + "-3",
                    traceId + "-4");
        }

        @Test
        void v2ObservationsCarryLangfusesObservationFields() {
            JsonNode request = fixture("langfuse-js-3.39.2-ingestion.jsonl").get(0);
            api.post(INGESTION, request.get("body").asText());

            JsonNode generation = api.get("/api/public/v2/observations?traceId=c2269186-612d-49e9-8301-96d39be72c5b"
                    + "&type=GENERATION&fields=core,basic,usage").json().get("data").get(0);

            assertThat(generation.get("id").asText()).isEqualTo("6d590f78-35eb-4915-ba51-ff572928357d");
            assertThat(generation.get("model").asText()).isEqualTo("gpt-4o");
            assertThat(generation.get("usageDetails").get("cached_input").asLong()).isEqualTo(2);
            assertThat(generation.get("startTime").asText()).isEqualTo(T0);
        }

        @Test
        void aCursorTheDevserverDidNotGiveIsRefusedWith400() {
            ApiClient.Response response = api.get("/api/public/v2/observations?cursor=bm9wZQ==");

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.message()).startsWith("cursor 'bm9wZQ==' is not a cursor this devserver gave");
        }

        @Test
        void aFilterTheDevserverCannotApplyIsRefusedRatherThanIgnored() {
            ApiClient.Response response = api.get("/api/public/v2/observations?userId=u1&environment=prod");

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.message()).isEqualTo("The devserver cannot filter observations by environment, "
                    + "userId: leave them out and filter the answer yourself");
        }

        @Test
        void v2ScoresAreListedAPageAtATimeWithTheirFilters() {
            String traceId = newId();
            ingest(event("score-create", body("{\"id\":\"a-" + traceId + "\",\"traceId\":\"" + traceId
                            + "\",\"name\":\"quality\",\"value\":0.2}")),
                    event("score-create", body("{\"id\":\"b-" + traceId + "\",\"traceId\":\"" + traceId
                            + "\",\"name\":\"quality\",\"value\":0.8}")));

            JsonNode answer = api.get("/api/public/v2/scores?traceId=" + traceId + "&operator=%3E%3D&value=0.5")
                    .json();

            assertThat(answer.get("data")).singleElement()
                    .satisfies(score -> assertThat(score.get("id").asText()).isEqualTo("b-" + traceId));
            assertThat(answer.get("meta").get("totalItems").asLong()).isEqualTo(1);
        }
    }
}
