package dev.loupe.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.model.MatchedObservation;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.ScoreDataType;
import dev.loupe.model.Session;
import dev.loupe.model.SessionSummary;
import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TestStatus;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.model.TraceStats;
import dev.loupe.model.TraceSummary;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link TraceStore} must have, whatever keeps its data: each implementation runs this suite
 * through a subclass that says how to open an empty store.
 */
abstract class TraceStoreConformanceTest {

    /** A start instant with microseconds, so that every round trip also checks that they are kept. */
    static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456Z");

    TraceStore store;

    /** Opens a new, empty store of the implementation under test. */
    abstract TraceStore openStore();

    @BeforeEach
    void openEmptyStore() {
        store = openStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Test data and reading helpers

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** Puts traces, observations and scores, in the order given, into one batch. */
    static TraceBatch batch(Object... records) {
        List<Trace> traces = new ArrayList<>();
        List<Observation> observations = new ArrayList<>();
        List<Score> scores = new ArrayList<>();
        for (Object record : records) {
            if (record instanceof Trace trace) {
                traces.add(trace);
            } else if (record instanceof Observation observation) {
                observations.add(observation);
            } else if (record instanceof Score score) {
                scores.add(score);
            } else {
                throw new IllegalArgumentException("Not a trace, observation or score: " + record);
            }
        }
        return new TraceBatch(traces, observations, scores);
    }

    /** A trace named after its id that began at {@link #T0}. */
    static Trace.Builder trace(String id) {
        return Trace.builder(id).name("trace " + id).timestamp(T0);
    }

    /** A span named after its id that started at {@link #T0}. */
    static Observation.Builder span(String id, String traceId) {
        return Observation.builder(id, traceId).type(ObservationType.SPAN).name(id).startTime(T0);
    }

    static Usage usage(long input, long output, long total, Map<String, Long> namedDetails) {
        Map<String, Long> details = new LinkedHashMap<>();
        details.put(Usage.INPUT, input);
        details.put(Usage.OUTPUT, output);
        details.put(Usage.TOTAL, total);
        details.putAll(namedDetails);
        return new Usage(details);
    }

    static Cost cost(String input, String output) {
        return Cost.of(new BigDecimal(input), new BigDecimal(output));
    }

    void write(Object... records) {
        store.write(batch(records));
    }

    TraceTree storedTrace(String traceId) {
        return store.trace(traceId).orElseThrow(() -> new AssertionError("Expecting trace " + traceId
                + " to be stored, but it is not"));
    }

    TraceSummary summaryOf(String traceId) {
        List<TraceSummary> items = store.traces(TraceQuery.builder().ids(List.of(traceId)).build()).items();
        assertThat(items).as("traces listed with id %s", traceId).hasSize(1);
        return items.get(0);
    }

    Observation storedObservation(String observationId) {
        return store.observation(observationId).orElseThrow(() -> new AssertionError("Expecting observation "
                + observationId + " to be stored, but it is not"));
    }

    Score storedScore(String scoreId) {
        return store.scores(ScoreQuery.builder().page(PageRequest.first(1000)).build()).items().stream()
                .filter(score -> score.id().equals(scoreId)).findFirst()
                .orElseThrow(() -> new AssertionError("Expecting score " + scoreId + " to be stored, but it is not"));
    }

    List<String> traceIds(TraceQuery.Builder query) {
        return store.traces(query.build()).items().stream().map(summary -> summary.trace().id()).toList();
    }

    List<String> observationIds(ObservationQuery.Builder query) {
        return store.observations(query.build()).items().stream().map(Observation::id).toList();
    }

    List<String> scoreIds(ScoreQuery.Builder query) {
        return store.scores(query.build()).items().stream().map(Score::id).toList();
    }

    List<String> sessionIds(SessionQuery query) {
        return store.sessions(query).items().stream().map(SessionSummary::id).toList();
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class RoundTrip {

        @Test
        void everyFieldOfATraceRoundTrips() {
            // Tags are given in alphabetical order: the store returns a set of tags in that order.
            Trace trace = Trace.builder("trace-1").name("support-agent").timestamp(T0)
                    .input("{\"question\":\"How do I reset my password?\"}").output("\"Go to Settings\"")
                    .userId("user-123").sessionId("session-456").metadata("{\"channel\":\"chat\",\"attempt\":2}")
                    .tags(List.of("beta", "support")).release("1.4.0").version("v7").environment("production")
                    .build();

            write(trace);

            assertThat(storedTrace("trace-1").trace()).isEqualTo(trace);
        }

        @Test
        void aListedTraceCarriesTheSameRecordAsTheTraceItself() {
            Trace trace = Trace.builder("trace-1").name("support-agent").timestamp(T0).input("\"question\"")
                    .output("\"answer\"").userId("user-123").sessionId("session-456").metadata("{\"k\":\"v\"}")
                    .tags(List.of("beta", "support")).release("1.4.0").version("v7").environment("production")
                    .build();

            write(trace);

            assertThat(summaryOf("trace-1").trace()).isEqualTo(trace);
        }

        @Test
        void everyFieldOfAGenerationRoundTrips() {
            Observation generation = Observation.builder("gen-1", "trace-1").parentObservationId("root-1")
                    .type(ObservationType.GENERATION).name("draft-reply")
                    .startTime(at(1)).completionStartTime(at(2).plusNanos(250_000)).endTime(at(3))
                    .input("[{\"role\":\"user\",\"content\":\"reset?\"}]").output("\"Go to Settings\"")
                    .metadata("{\"retry\":false}").level(ObservationLevel.WARNING).statusMessage("slow answer")
                    .version("agent-v3").model("gpt-4o-mini")
                    .modelParameters("{\"temperature\":0.2,\"max_tokens\":256}")
                    .usage(usage(120, 45, 165, Map.of("cached_input", 100L)))
                    .cost(new Cost(Map.of(Usage.INPUT, new BigDecimal("0.000018"),
                            Usage.OUTPUT, new BigDecimal("0.000027"), Usage.TOTAL, new BigDecimal("0.000045"),
                            "cached_input", new BigDecimal("0.0000075"))))
                    .prompt("support-reply", 4)
                    .build();

            write(trace("trace-1").build(), generation);

            assertThat(storedObservation("gen-1")).isEqualTo(generation);
        }

        @Test
        void namedUsageDetailsKeepTheirNamesAndValues() {
            Observation generation = Observation.builder("gen-1", "trace-1").type(ObservationType.GENERATION)
                    .startTime(T0).usage(usage(120, 45, 165, Map.of("cached_input", 100L, "reasoning", 12L)))
                    .build();

            write(generation);

            Usage stored = storedObservation("gen-1").usage();
            assertThat(stored.detail("cached_input")).isEqualTo(100L);
            assertThat(stored.detail("reasoning")).isEqualTo(12L);
            assertThat(stored.details()).containsOnlyKeys("input", "output", "total", "cached_input", "reasoning");
        }

        @Test
        void theTreeOfATraceHoldsItsObservationsAsWritten() {
            Observation root = span("root-1", "trace-1").name("agent").endTime(at(4))
                    .level(ObservationLevel.DEFAULT).build();
            Observation child = Observation.builder("tool-1", "trace-1").parentObservationId("root-1")
                    .type(ObservationType.TOOL).name("search_docs").startTime(at(1)).endTime(at(2))
                    .input("{\"query\":\"reset\"}").output("[\"doc-1\"]").level(ObservationLevel.DEFAULT)
                    .build();

            write(trace("trace-1").build(), root, child);

            TraceTree tree = storedTrace("trace-1");
            assertThat(tree.observations()).containsExactly(root, child);
            assertThat(tree.children(tree.root())).containsExactly(child);
        }

        @ParameterizedTest
        @EnumSource(ObservationType.class)
        void everyObservationTypeRoundTrips(ObservationType type) {
            Observation observation = Observation.builder("obs-1", "trace-1").type(type).name(type.name())
                    .startTime(T0).endTime(at(1)).input("\"in\"").output("\"out\"").metadata("{\"k\":1}")
                    .level(ObservationLevel.DEBUG).statusMessage("done").version("v1").model("model-x")
                    .modelParameters("{\"temperature\":1}")
                    .usage(Usage.of(3, 4)).cost(cost("0.1", "0.2")).prompt("prompt", 1).build();

            write(observation);

            assertThat(storedObservation("obs-1")).isEqualTo(observation);
        }

        @ParameterizedTest
        @EnumSource(ObservationLevel.class)
        void everyObservationLevelRoundTrips(ObservationLevel level) {
            Observation observation = span("obs-1", "trace-1").level(level).statusMessage("level " + level).build();

            write(observation);

            assertThat(storedObservation("obs-1").level()).isEqualTo(level);
        }

        @Test
        void aNumericScoreOfATraceRoundTrips() {
            Score score = Score.builder("score-1", "helpfulness").traceId("trace-1").value(0.92)
                    .comment("answered from the docs").source("EVAL").timestamp(at(5))
                    .metadata("{\"judge\":\"gpt-4o\"}").build();

            write(trace("trace-1").build(), score);

            assertThat(storedScore("score-1")).isEqualTo(score);
            assertThat(storedTrace("trace-1").traceScores()).containsExactly(score);
        }

        @Test
        void aBooleanScoreOfAnObservationRoundTrips() {
            Score score = Score.builder("score-1", "tool-succeeded").traceId("trace-1").observationId("tool-1")
                    .value(false).comment("timed out").source("TEST").timestamp(at(5)).build();

            write(trace("trace-1").build(), span("tool-1", "trace-1").build(), score);

            Score stored = storedScore("score-1");
            assertThat(stored).isEqualTo(score);
            assertThat(stored.dataType()).isEqualTo(ScoreDataType.BOOLEAN);
            assertThat(stored.isTrue()).isFalse();
            TraceTree tree = storedTrace("trace-1");
            assertThat(tree.scoresOf(tree.observation("tool-1").orElseThrow())).containsExactly(score);
        }

        @Test
        void aCategoricalScoreOfASessionAloneRoundTrips() {
            Score score = Score.builder("score-1", "resolution").sessionId("session-1").value("resolved")
                    .comment("user said thanks").source("ANNOTATION").timestamp(at(5))
                    .metadata("{\"reviewer\":\"ana\"}").build();

            write(score);

            assertThat(storedScore("score-1")).isEqualTo(score);
            assertThat(store.session("session-1").orElseThrow().scores()).containsExactly(score);
        }

        @Test
        void timestampsKeepTheirMicroseconds() {
            Instant start = Instant.parse("2025-03-01T10:15:30.000001Z");
            Instant completion = Instant.parse("2025-03-01T10:15:30.999999Z");
            Instant end = Instant.parse("2025-03-01T10:15:31.123457Z");
            Instant scored = Instant.parse("2025-03-01T10:15:32.654321Z");

            write(trace("trace-1").timestamp(start).build(),
                    Observation.builder("gen-1", "trace-1").type(ObservationType.GENERATION).startTime(start)
                            .completionStartTime(completion).endTime(end).build(),
                    Score.builder("score-1", "quality").traceId("trace-1").value(1).timestamp(scored).build());

            TraceTree tree = storedTrace("trace-1");
            Observation generation = tree.observation("gen-1").orElseThrow();
            assertThat(tree.trace().timestamp()).isEqualTo(start);
            assertThat(generation.startTime()).isEqualTo(start);
            assertThat(generation.completionStartTime()).isEqualTo(completion);
            assertThat(generation.endTime()).isEqualTo(end);
            assertThat(tree.scores().get(0).timestamp()).isEqualTo(scored);
        }

        static Stream<Arguments> idForms() {
            return Stream.of(
                    Arguments.of("W3C hex", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"),
                    Arguments.of("UUID", "0f8fad5b-d9cb-469f-a165-70867728950e",
                            "7c9e6679-7425-40de-944b-e07fc1f90ae7"),
                    Arguments.of("800 characters", "t".repeat(800), "o".repeat(800)));
        }

        private static String withLastCharacter(String id, char last) {
            return id.substring(0, id.length() - 1) + last;
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("idForms")
        void idsOfAnyFormUpTo800CharactersRoundTrip(String form, String traceId, String observationId) {
            String parentId = withLastCharacter(observationId, 'p');
            String scoreId = withLastCharacter(observationId, 's');
            String sessionId = withLastCharacter(traceId, 'u');

            write(trace(traceId).sessionId(sessionId).build(),
                    span(observationId, traceId).parentObservationId(parentId).build(),
                    Score.builder(scoreId, "quality").traceId(traceId).observationId(observationId)
                            .sessionId(sessionId).value(1).build());

            TraceTree tree = storedTrace(traceId);
            assertThat(tree.id()).isEqualTo(traceId);
            assertThat(tree.trace().sessionId()).isEqualTo(sessionId);
            assertThat(tree.observations()).extracting(Observation::id).containsExactly(observationId);
            assertThat(tree.observations().get(0).parentObservationId()).isEqualTo(parentId);
            assertThat(tree.scores()).extracting(Score::id, Score::observationId)
                    .containsExactly(tuple(scoreId, observationId));
            assertThat(store.session(sessionId)).isPresent();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"trace", "observation", "score", "session"})
        void anIdOf801CharactersIsRejected(String kind) {
            String id = "x".repeat(801);

            assertThatThrownBy(() -> {
                switch (kind) {
                    case "trace" -> Trace.builder(id).build();
                    case "observation" -> Observation.builder(id, "trace-1").build();
                    case "score" -> Score.builder(id, "quality").traceId("trace-1").value(1).build();
                    default -> Trace.builder("trace-1").sessionId(id).build();
                }
            })
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(kind + " id")
                    .hasMessageContaining("801 characters")
                    .hasMessageContaining("at most 800");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"a string\"", "42", "3.25", "true", "[1,\"two\",{\"three\":3}]",
                "{\"nested\":{\"list\":[null,false]}}"})
        void anyJsonDocumentRoundTripsAsInputAndOutput(String json) {
            write(trace("trace-1").input(json).output(json).build(),
                    span("obs-1", "trace-1").input(json).output(json).build());

            TraceTree tree = storedTrace("trace-1");
            assertThat(tree.trace().input()).isEqualTo(json);
            assertThat(tree.trace().output()).isEqualTo(json);
            assertThat(tree.root().input()).isEqualTo(json);
            assertThat(tree.root().output()).isEqualTo(json);
        }

        @Test
        void aPayloadWithInsignificantWhitespaceRoundTripsAsTheSameJsonDocument() throws Exception {
            String spaced = "{ \"question\" : \"reset?\",\n  \"attempts\" : [ 1, 2 ] }";

            write(trace("trace-1").input(spaced).build());

            ObjectMapper json = new ObjectMapper();
            assertThat(json.readTree(storedTrace("trace-1").trace().input())).isEqualTo(json.readTree(spaced));
        }

        @Test
        void textBeyondAsciiRoundTripsInPayloadsAndNames() {
            String input = "{\"question\":\"Où est la gare? 東京 ☃ 😀\"}";

            write(trace("trace-1").name("agent ☃").input(input).metadata("{\"ключ\":\"значение\"}")
                    .build());

            Trace stored = storedTrace("trace-1").trace();
            assertThat(stored.name()).isEqualTo("agent ☃");
            assertThat(stored.input()).isEqualTo(input);
            assertThat(stored.metadata()).isEqualTo("{\"ключ\":\"значение\"}");
        }

        @Test
        void unknownIdsAreReportedAsAbsent() {
            write(trace("trace-1").build(), span("obs-1", "trace-1").build());

            assertThat(store.trace("no-such-trace")).isEmpty();
            assertThat(store.observation("no-such-observation")).isEmpty();
            assertThat(store.session("no-such-session")).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class MergeRules {

        @Test
        void laterNonNullValuesWinWhenATraceIsUpdated() {
            write(trace("trace-1").name("draft").output("\"first\"").userId("user-1").release("1.0").build());

            write(Trace.builder("trace-1").name("final").output("\"second\"").userId("user-2").release("2.0")
                    .build());

            Trace stored = storedTrace("trace-1").trace();
            assertThat(stored.name()).isEqualTo("final");
            assertThat(stored.output()).isEqualTo("\"second\"");
            assertThat(stored.userId()).isEqualTo("user-2");
            assertThat(stored.release()).isEqualTo("2.0");
        }

        @Test
        void nullFieldsOfATraceUpdateKeepTheStoredValues() {
            Trace first = Trace.builder("trace-1").name("agent").timestamp(T0).input("\"in\"").output("\"out\"")
                    .userId("user-1").sessionId("session-1").metadata("{\"k\":\"v\"}").tags(List.of("a"))
                    .release("1.0").version("v1").environment("test").build();
            write(first);

            write(Trace.builder("trace-1").build());

            assertThat(storedTrace("trace-1").trace()).isEqualTo(first);
        }

        @Test
        void theTraceTimestampIsTheEarliestSeen() {
            write(trace("trace-1").timestamp(at(5)).build());
            write(trace("trace-1").timestamp(at(9)).build());
            write(trace("trace-1").timestamp(at(2)).build());
            write(trace("trace-1").timestamp(at(7)).build());

            assertThat(storedTrace("trace-1").trace().timestamp()).isEqualTo(at(2));
        }

        @Test
        void aTraceKeepsTheEnvironmentItWasFirstWrittenWith() {
            write(trace("trace-1").environment("staging").build());

            write(Trace.builder("trace-1").environment("production").output("\"out\"").build());

            Trace stored = storedTrace("trace-1").trace();
            assertThat(stored.environment()).isEqualTo("staging");
            assertThat(stored.output()).isEqualTo("\"out\"");
        }

        @Test
        void aTraceWrittenWithoutAnEnvironmentTakesTheFirstOneGivenLater() {
            write(trace("trace-1").build());

            write(Trace.builder("trace-1").environment("staging").build());
            write(Trace.builder("trace-1").environment("production").build());

            assertThat(storedTrace("trace-1").trace().environment()).isEqualTo("staging");
        }

        @Test
        void traceMetadataObjectsMergeKeyByKey() {
            write(trace("trace-1").metadata("{\"a\":1,\"b\":1}").build());

            write(Trace.builder("trace-1").metadata("{\"b\":2,\"c\":3}").build());

            assertThat(storedTrace("trace-1").trace().metadata()).isEqualTo("{\"a\":1,\"b\":2,\"c\":3}");
        }

        @Test
        void traceTagsAreUnited() {
            write(trace("trace-1").tags(List.of("a", "b")).build());

            write(Trace.builder("trace-1").tags(List.of("b", "c")).build());

            assertThat(storedTrace("trace-1").trace().tags()).containsExactlyInAnyOrder("a", "b", "c");
        }

        @Test
        void laterNonNullValuesWinWhenAnObservationIsUpdated() {
            write(Observation.builder("gen-1", "trace-1").type(ObservationType.GENERATION).name("draft")
                    .startTime(T0).model("gpt-4o-mini").build());

            write(Observation.builder("gen-1", "trace-1").name("final").endTime(at(2)).output("\"answer\"")
                    .level(ObservationLevel.ERROR).statusMessage("rate limited").model("gpt-4o")
                    .usage(Usage.of(10, 5)).cost(cost("0.01", "0.02")).prompt("reply", 2).build());

            Observation stored = storedObservation("gen-1");
            assertThat(stored.name()).isEqualTo("final");
            assertThat(stored.endTime()).isEqualTo(at(2));
            assertThat(stored.output()).isEqualTo("\"answer\"");
            assertThat(stored.level()).isEqualTo(ObservationLevel.ERROR);
            assertThat(stored.statusMessage()).isEqualTo("rate limited");
            assertThat(stored.model()).isEqualTo("gpt-4o");
            assertThat(stored.usage()).isEqualTo(Usage.of(10, 5));
            assertThat(stored.cost().total()).isEqualByComparingTo("0.03");
            assertThat(stored.promptName()).isEqualTo("reply");
            assertThat(stored.promptVersion()).isEqualTo(2);
        }

        @Test
        void nullFieldsOfAnObservationUpdateKeepTheStoredValues() {
            Observation first = Observation.builder("gen-1", "trace-1").parentObservationId("root-1")
                    .type(ObservationType.GENERATION).name("draft").startTime(T0).endTime(at(1))
                    .completionStartTime(T0.plusMillis(300)).input("\"in\"").output("\"out\"")
                    .metadata("{\"k\":\"v\"}").level(ObservationLevel.WARNING).statusMessage("slow").version("v1")
                    .model("gpt-4o-mini").modelParameters("{\"temperature\":0}").usage(Usage.of(1, 2))
                    .cost(cost("0.1", "0.2")).prompt("reply", 1).build();
            write(first);

            write(Observation.builder("gen-1", "trace-1").build());

            assertThat(storedObservation("gen-1")).isEqualTo(first);
        }

        @Test
        void anObservationKeepsItsFirstStartTime() {
            write(span("obs-1", "trace-1").startTime(at(1)).build());

            write(span("obs-1", "trace-1").startTime(at(3)).endTime(at(4)).build());

            assertThat(storedObservation("obs-1").startTime()).isEqualTo(at(1));
        }

        @Test
        void anObservationKeepsTheTraceIdItWasFirstWrittenWith() {
            write(span("obs-1", "trace-1").build());

            write(span("obs-1", "trace-2").output("\"late\"").build());

            Observation stored = storedObservation("obs-1");
            assertThat(stored.traceId()).isEqualTo("trace-1");
            assertThat(stored.output()).isEqualTo("\"late\"");
            assertThat(storedTrace("trace-1").observations()).extracting(Observation::id).containsExactly("obs-1");
        }

        @Test
        void aLaterObservationRecordNamingAnotherTraceGivesThatTraceNoRow() {
            write(span("obs-1", "trace-1").build());

            write(span("obs-1", "trace-2").output("\"late\"").build());

            assertThat(store.trace("trace-2")).isEmpty();
            assertThat(traceIds(TraceQuery.builder())).containsExactly("trace-1");
        }

        @Test
        void anUpdateArrivingBeforeItsCreateIsCompletedByTheCreate() {
            write(Observation.builder("gen-1", "trace-1").endTime(at(2)).output("\"answer\"")
                    .usage(Usage.of(10, 5)).build());

            write(Observation.builder("gen-1", "trace-1").type(ObservationType.GENERATION).name("llm")
                    .startTime(at(1)).input("\"question\"").model("gpt-4o").build());

            Observation stored = storedObservation("gen-1");
            assertThat(stored.type()).isEqualTo(ObservationType.GENERATION);
            assertThat(stored.name()).isEqualTo("llm");
            assertThat(stored.startTime()).isEqualTo(at(1));
            assertThat(stored.endTime()).isEqualTo(at(2));
            assertThat(stored.input()).isEqualTo("\"question\"");
            assertThat(stored.output()).isEqualTo("\"answer\"");
            assertThat(stored.usage()).isEqualTo(Usage.of(10, 5));
            assertThat(storedTrace("trace-1").trace().timestamp()).isEqualTo(at(1));
        }

        @Test
        void anUpdateBeforeItsCreateInOneBatchMergesWithIt() {
            write(Observation.builder("gen-1", "trace-1").endTime(at(2)).output("\"answer\"").build(),
                    Observation.builder("gen-1", "trace-1").type(ObservationType.GENERATION).name("llm")
                            .startTime(at(1)).build());

            Observation stored = storedObservation("gen-1");
            assertThat(stored.type()).isEqualTo(ObservationType.GENERATION);
            assertThat(stored.name()).isEqualTo("llm");
            assertThat(stored.startTime()).isEqualTo(at(1));
            assertThat(stored.endTime()).isEqualTo(at(2));
            assertThat(stored.output()).isEqualTo("\"answer\"");
        }

        @Test
        void observationMetadataObjectsMergeKeyByKey() {
            write(span("obs-1", "trace-1").metadata("{\"a\":1,\"b\":1}").build());

            write(Observation.builder("obs-1", "trace-1").metadata("{\"b\":2,\"c\":3}").build());

            assertThat(storedObservation("obs-1").metadata()).isEqualTo("{\"a\":1,\"b\":2,\"c\":3}");
        }

        @Test
        void laterNonNullValuesWinWhenAScoreIsUpdated() {
            write(Score.builder("score-1", "helpfulness").traceId("trace-1").value(0.4).comment("first look")
                    .timestamp(at(1)).build());

            write(Score.builder("score-1", "helpfulness").traceId("trace-1").value(0.9).comment("second look")
                    .timestamp(at(2)).build());

            Score stored = storedScore("score-1");
            assertThat(stored.value()).isEqualTo(0.9);
            assertThat(stored.comment()).isEqualTo("second look");
        }

        @Test
        void aScoreUpdateWithoutAValueKeepsTheValueAndItsDataType() {
            write(Score.builder("score-1", "resolution").traceId("trace-1").value("resolved").timestamp(at(1))
                    .build());

            write(Score.builder("score-1", "resolution").traceId("trace-1").comment("checked by a person").build());

            Score stored = storedScore("score-1");
            assertThat(stored.dataType()).isEqualTo(ScoreDataType.CATEGORICAL);
            assertThat(stored.stringValue()).isEqualTo("resolved");
            assertThat(stored.comment()).isEqualTo("checked by a person");
        }

        @Test
        void aLaterValueOfAnotherDataTypeReplacesTheWholeValue() {
            write(Score.builder("score-1", "quality").traceId("trace-1").value(0.4).build());

            write(Score.builder("score-1", "quality").traceId("trace-1").value("good").build());

            Score stored = storedScore("score-1");
            assertThat(stored.dataType()).isEqualTo(ScoreDataType.CATEGORICAL);
            assertThat(stored.stringValue()).isEqualTo("good");
            assertThat(stored.value()).isNull();
        }

        @Test
        void scoresArrivingAfterTheirObservationsJoinTheTrace() {
            write(trace("trace-1").build(), span("obs-1", "trace-1").build());

            write(Score.builder("score-1", "helpfulness").traceId("trace-1").value(0.9).build(),
                    Score.builder("score-2", "correct").traceId("trace-1").observationId("obs-1").value(true)
                            .build());

            TraceTree tree = storedTrace("trace-1");
            assertThat(tree.traceScores()).extracting(Score::id).containsExactly("score-1");
            assertThat(tree.scoresOf(tree.root())).extracting(Score::id).containsExactly("score-2");
        }

        @Test
        void traceAttributesArrivingAfterTheObservationsMergeIntoTheTrace() {
            write(trace("trace-1").build(), span("obs-1", "trace-1").build());

            write(Trace.builder("trace-1").userId("user-1").sessionId("session-1").tags(List.of("late"))
                    .metadata("{\"late\":true}").environment("staging").build());

            TraceTree tree = storedTrace("trace-1");
            assertThat(tree.trace().userId()).isEqualTo("user-1");
            assertThat(tree.trace().sessionId()).isEqualTo("session-1");
            assertThat(tree.trace().tags()).containsExactly("late");
            assertThat(tree.trace().metadata()).isEqualTo("{\"late\":true}");
            assertThat(tree.trace().environment()).isEqualTo("staging");
            assertThat(tree.observations()).extracting(Observation::id).containsExactly("obs-1");
        }

        @Test
        void anObservationArrivingBeforeItsTraceCreatesTheTraceRow() {
            write(span("obs-1", "trace-1").startTime(at(3)).build());

            TraceTree tree = storedTrace("trace-1");
            assertThat(tree.trace().timestamp()).isEqualTo(at(3));
            assertThat(tree.observations()).extracting(Observation::id).containsExactly("obs-1");
            assertThat(traceIds(TraceQuery.builder())).containsExactly("trace-1");
        }

        @Test
        void theLaterTraceRecordCompletesTheTraceRowAnObservationCreated() {
            write(span("obs-1", "trace-1").startTime(at(3)).build());

            write(Trace.builder("trace-1").name("agent").timestamp(at(1)).userId("user-1").build());

            Trace stored = storedTrace("trace-1").trace();
            assertThat(stored.name()).isEqualTo("agent");
            assertThat(stored.userId()).isEqualTo("user-1");
            assertThat(stored.timestamp()).isEqualTo(at(1));
        }

        @Test
        void aScoreArrivingBeforeItsTraceCreatesTheTraceRow() {
            write(Score.builder("score-1", "quality").traceId("trace-1").value(1).timestamp(at(4)).build());

            write(trace("trace-1").name("agent").timestamp(at(1)).build());

            TraceTree tree = storedTrace("trace-1");
            assertThat(tree.name()).isEqualTo("agent");
            assertThat(tree.trace().timestamp()).isEqualTo(at(1));
            assertThat(tree.scores()).extracting(Score::id).containsExactly("score-1");
        }

        @Test
        void recordsWithTheSameIdInOneBatchMerge() {
            write(trace("trace-1").name("first").tags(List.of("a")).build(),
                    Trace.builder("trace-1").output("\"out\"").tags(List.of("b")).build(),
                    span("obs-1", "trace-1").name("step").build(),
                    Observation.builder("obs-1", "trace-1").endTime(at(1)).output("\"done\"").build(),
                    Score.builder("score-1", "quality").traceId("trace-1").value(0.5).build(),
                    Score.builder("score-1", "quality").traceId("trace-1").value(0.7).comment("revised").build());

            TraceTree tree = storedTrace("trace-1");
            assertThat(tree.trace().name()).isEqualTo("first");
            assertThat(tree.trace().output()).isEqualTo("\"out\"");
            assertThat(tree.trace().tags()).containsExactlyInAnyOrder("a", "b");
            assertThat(tree.observations()).singleElement().satisfies(observation -> {
                assertThat(observation.name()).isEqualTo("step");
                assertThat(observation.endTime()).isEqualTo(at(1));
                assertThat(observation.output()).isEqualTo("\"done\"");
            });
            assertThat(tree.scores()).singleElement().satisfies(score -> {
                assertThat(score.value()).isEqualTo(0.7);
                assertThat(score.comment()).isEqualTo("revised");
            });
        }

        @Test
        void rewritingTheSameRecordsChangesNothing() {
            Object[] records = {trace("trace-1").tags(List.of("a")).metadata("{\"k\":1}").build(),
                    span("obs-1", "trace-1").endTime(at(1)).usage(Usage.of(1, 2)).build(),
                    Score.builder("score-1", "quality").traceId("trace-1").value(1).timestamp(at(2)).build()};
            write(records);
            TraceTree first = storedTrace("trace-1");
            TraceStats firstStats = summaryOf("trace-1").stats();

            write(records);

            assertThat(storedTrace("trace-1")).isEqualTo(first);
            assertThat(summaryOf("trace-1").stats()).isEqualTo(firstStats);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class TraceFigures {

        @Test
        void aTraceCountsItsObservationsAndErrors() {
            write(trace("trace-1").build(),
                    span("obs-1", "trace-1").build(),
                    span("obs-2", "trace-1").level(ObservationLevel.ERROR).build(),
                    span("obs-3", "trace-1").level(ObservationLevel.WARNING).build(),
                    span("obs-4", "trace-1").level(ObservationLevel.ERROR).build());

            TraceStats stats = summaryOf("trace-1").stats();
            assertThat(stats.observationCount()).isEqualTo(4);
            assertThat(stats.errorCount()).isEqualTo(2);
        }

        @Test
        void aTraceSumsTheTokensOfItsObservations() {
            write(trace("trace-1").build(),
                    span("gen-1", "trace-1").type(ObservationType.GENERATION).usage(Usage.of(100, 20)).build(),
                    span("gen-2", "trace-1").type(ObservationType.GENERATION).usage(Usage.of(50, 5, 60)).build(),
                    span("emb-1", "trace-1").type(ObservationType.EMBEDDING)
                            .usage(new Usage(Map.of(Usage.INPUT, 7L))).build(),
                    span("obs-1", "trace-1").build());

            TraceStats stats = summaryOf("trace-1").stats();
            assertThat(stats.inputTokens()).isEqualTo(157);
            assertThat(stats.outputTokens()).isEqualTo(25);
            assertThat(stats.totalTokens()).isEqualTo(120 + 60 + 7);
        }

        @Test
        void aTraceSumsTheCostOfItsObservations() {
            write(trace("trace-1").build(),
                    span("gen-1", "trace-1").type(ObservationType.GENERATION).cost(cost("0.0010", "0.0020")).build(),
                    span("gen-2", "trace-1").type(ObservationType.GENERATION)
                            .cost(new Cost(Map.of(Usage.TOTAL, new BigDecimal("0.5")))).build(),
                    span("obs-1", "trace-1").build());

            assertThat(summaryOf("trace-1").stats().totalCost()).isEqualByComparingTo("0.503");
        }

        @Test
        void aTraceWithoutCostsHasNoTotalCost() {
            write(trace("trace-1").build(), span("obs-1", "trace-1").usage(Usage.of(1, 1)).build());

            assertThat(summaryOf("trace-1").stats().totalCost()).isNull();
        }

        @Test
        void aTraceEndsWithItsLatestObservationEnd() {
            write(trace("trace-1").timestamp(T0).build(),
                    span("obs-1", "trace-1").startTime(T0).endTime(at(3)).build(),
                    span("obs-2", "trace-1").startTime(at(1)).endTime(at(5).plusNanos(1_000)).build(),
                    span("obs-3", "trace-1").startTime(at(2)).build());

            TraceStats stats = summaryOf("trace-1").stats();
            assertThat(stats.endTime()).isEqualTo(at(5).plusNanos(1_000));
            assertThat(stats.latency()).isEqualTo(Duration.ofSeconds(5).plusNanos(1_000));
        }

        @Test
        void aTraceWithoutObservationsHasZeroFiguresAndNoLatency() {
            write(trace("trace-1").build());

            assertThat(summaryOf("trace-1").stats())
                    .isEqualTo(new TraceStats(null, null, 0, 0, 0, 0, 0, null));
        }

        @Test
        void aTraceWhoseObservationsAreAllOpenHasNoLatency() {
            write(trace("trace-1").build(), span("obs-1", "trace-1").build());

            TraceStats stats = summaryOf("trace-1").stats();
            assertThat(stats.endTime()).isNull();
            assertThat(stats.latency()).isNull();
        }

        @Test
        void figuresFollowUpdatesOfObservations() {
            write(trace("trace-1").build(), span("gen-1", "trace-1").type(ObservationType.GENERATION).build());

            write(Observation.builder("gen-1", "trace-1").endTime(at(2)).level(ObservationLevel.ERROR)
                    .usage(Usage.of(30, 10)).cost(cost("0.3", "0.1")).build());

            TraceStats stats = summaryOf("trace-1").stats();
            assertThat(stats.endTime()).isEqualTo(at(2));
            assertThat(stats.latency()).isEqualTo(Duration.ofSeconds(2));
            assertThat(stats.errorCount()).isEqualTo(1);
            assertThat(stats.totalTokens()).isEqualTo(40);
            assertThat(stats.totalCost()).isEqualByComparingTo("0.4");
        }

        @Test
        void latencyIsMeasuredFromAnEarlierTimestampThatArrivesLater() {
            write(span("obs-1", "trace-1").startTime(at(2)).endTime(at(5)).build());

            write(Trace.builder("trace-1").timestamp(T0).build());

            assertThat(summaryOf("trace-1").stats().latency()).isEqualTo(Duration.ofSeconds(5));
        }

        @Test
        void listedFiguresEqualTheFiguresOfTheTreeAfterUpdates() {
            write(trace("trace-1").timestamp(T0).build(),
                    span("root-1", "trace-1").build(),
                    span("gen-1", "trace-1").parentObservationId("root-1").type(ObservationType.GENERATION)
                            .startTime(at(1)).build());
            write(Observation.builder("gen-1", "trace-1").endTime(at(3)).usage(usage(120, 45, 165,
                    Map.of("cached_input", 100L))).cost(cost("0.0010", "0.0020")).build(),
                    span("tool-1", "trace-1").parentObservationId("root-1").type(ObservationType.TOOL)
                            .startTime(at(3)).endTime(at(4)).level(ObservationLevel.ERROR).build());
            write(Observation.builder("root-1", "trace-1").endTime(at(6)).build(),
                    span("emb-1", "trace-1").type(ObservationType.EMBEDDING).startTime(at(4)).endTime(at(5))
                            .usage(new Usage(Map.of(Usage.INPUT, 8L))).cost(cost("0.000001", "0")).build());

            assertThat(summaryOf("trace-1").stats()).isEqualTo(storedTrace("trace-1").stats());
        }

        @Test
        void aTraceWrittenInSeveralBatchesHasAfterEachTheFiguresOfItsStoredTree() {
            List<TraceBatch> batches = List.of(
                    batch(span("gen-1", "trace-1").type(ObservationType.GENERATION).startTime(at(1)).build()),
                    batch(trace("trace-1").timestamp(T0).build(),
                            span("tool-1", "trace-1").type(ObservationType.TOOL).startTime(at(2)).endTime(at(3))
                                    .usage(new Usage(Map.of(Usage.INPUT, 5L, Usage.OUTPUT, 2L))).build()),
                    batch(span("span-1", "trace-1").startTime(at(3)).endTime(at(4))
                                    .level(ObservationLevel.WARNING).cost(cost("0.25", "0.5")).build(),
                            span("span-2", "trace-1").startTime(at(4)).build()),
                    batch(Observation.builder("gen-1", "trace-1").endTime(at(6)).level(ObservationLevel.ERROR)
                            .statusMessage("rate limited").usage(Usage.of(30, 10, 45))
                            .cost(new Cost(Map.of(Usage.INPUT, new BigDecimal("0.003")))).build()));

            for (int i = 0; i < batches.size(); i++) {
                store.write(batches.get(i));

                assertThat(summaryOf("trace-1").stats()).as("figures after batch %d", i + 1)
                        .isEqualTo(storedTrace("trace-1").stats());
            }
            assertThat(summaryOf("trace-1").stats()).isEqualTo(new TraceStats(at(6), Duration.ofSeconds(6), 4, 1,
                    35, 12, 52, new BigDecimal("0.753")));
        }

        /** Whether the observations of a figure rule arrive with their trace, or after it was stored. */
        enum Arrival { WITH_THE_TRACE, AFTER_THE_TRACE }

        /** Writes the trace and these observations, together or the trace first; returns the listed figures. */
        TraceStats figuresOf(Arrival arrival, Observation... observations) {
            Object[] records = new Object[observations.length + 1];
            records[0] = trace("trace-1").timestamp(T0).build();
            System.arraycopy(observations, 0, records, 1, observations.length);
            if (arrival == Arrival.WITH_THE_TRACE) {
                write(records);
            } else {
                write(records[0]);
                write(java.util.Arrays.copyOfRange(records, 1, records.length));
            }
            TraceStats listed = summaryOf("trace-1").stats();
            assertThat(listed).as("listed figures").isEqualTo(storedTrace("trace-1").stats());
            return listed;
        }

        @ParameterizedTest
        @EnumSource(Arrival.class)
        void onlyLevelErrorCountsAsAnError(Arrival arrival) {
            TraceStats stats = figuresOf(arrival, span("error", "trace-1").level(ObservationLevel.ERROR).build(),
                    span("warning", "trace-1").level(ObservationLevel.WARNING).build(),
                    span("default", "trace-1").build());

            assertThat(stats.errorCount()).isEqualTo(1);
            assertThat(stats.observationCount()).isEqualTo(3);
        }

        @ParameterizedTest
        @EnumSource(Arrival.class)
        void aMissingTotalOfUnitsIsInputPlusOutput(Arrival arrival) {
            TraceStats stats = figuresOf(arrival,
                    span("both", "trace-1").usage(new Usage(Map.of(Usage.INPUT, 7L, Usage.OUTPUT, 3L))).build(),
                    span("input-only", "trace-1").usage(new Usage(Map.of(Usage.INPUT, 4L))).build(),
                    span("reported", "trace-1").usage(Usage.of(1, 1, 5)).build());

            assertThat(stats.totalTokens()).isEqualTo(10 + 4 + 5);
            assertThat(stats.inputTokens()).isEqualTo(12);
            assertThat(stats.outputTokens()).isEqualTo(4);
        }

        @ParameterizedTest
        @EnumSource(Arrival.class)
        void aMissingTotalCostIsTheSumOfTheCostParts(Arrival arrival) {
            TraceStats stats = figuresOf(arrival,
                    span("parts", "trace-1").cost(new Cost(Map.of(Usage.INPUT, new BigDecimal("0.1"),
                            Usage.OUTPUT, new BigDecimal("0.2")))).build(),
                    span("total", "trace-1").cost(new Cost(Map.of(Usage.TOTAL, new BigDecimal("1")))).build(),
                    span("free", "trace-1").build());

            assertThat(stats.totalCost()).isEqualByComparingTo("1.3");
        }

        @ParameterizedTest
        @EnumSource(Arrival.class)
        void aTraceWhoseObservationsHaveNoCostHasNoTotalCost(Arrival arrival) {
            TraceStats stats = figuresOf(arrival, span("obs-1", "trace-1").usage(Usage.of(1, 1)).build());

            assertThat(stats.totalCost()).isNull();
        }

        @ParameterizedTest
        @EnumSource(Arrival.class)
        void latencyRunsFromTheTraceStartToTheLatestObservationEnd(Arrival arrival) {
            TraceStats stats = figuresOf(arrival,
                    span("early", "trace-1").startTime(at(1)).endTime(at(4)).build(),
                    span("late", "trace-1").startTime(at(2)).endTime(at(3)).build(),
                    span("open", "trace-1").startTime(at(5)).build());

            assertThat(stats.endTime()).isEqualTo(at(4));
            assertThat(stats.latency()).isEqualTo(Duration.ofSeconds(4));
        }

        @Test
        void listedFiguresEqualTheFiguresOfTheTreeWhenCostsEndInZeros() {
            write(trace("trace-1").build(),
                    span("gen-1", "trace-1").type(ObservationType.GENERATION).endTime(at(1))
                            .cost(cost("0.0010", "0.0020")).build(),
                    span("gen-2", "trace-1").type(ObservationType.GENERATION).endTime(at(2))
                            .cost(new Cost(Map.of(Usage.TOTAL, new BigDecimal("2.50")))).build());

            assertThat(summaryOf("trace-1").stats()).isEqualTo(storedTrace("trace-1").stats());
        }

        @Test
        void aListedTraceCarriesTheScoresOfTheTraceAndOfItsObservations() {
            write(trace("trace-1").build(), span("obs-1", "trace-1").build(),
                    Score.builder("score-1", "helpfulness").traceId("trace-1").value(0.9).timestamp(at(1)).build(),
                    Score.builder("score-2", "correct").traceId("trace-1").observationId("obs-1").value(true)
                            .timestamp(at(2)).build());

            assertThat(summaryOf("trace-1").scores()).extracting(Score::id)
                    .containsExactlyInAnyOrder("score-1", "score-2");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class TraceFilters {

        @Test
        void aPageWithoutATotalHasTheSameTracesAndTotalMinusOne() {
            write(trace("a").name("agent").timestamp(at(1)).build(), trace("b").name("agent").timestamp(at(2)).build(),
                    trace("c").name("other").timestamp(at(3)).build());

            Page<TraceSummary> counted = store.traces(TraceQuery.builder().name("agent")
                    .page(PageRequest.first(1)).build());
            Page<TraceSummary> uncounted = store.traces(TraceQuery.builder().name("agent")
                    .page(PageRequest.first(1).withoutTotal()).build());

            assertThat(uncounted.items()).isEqualTo(counted.items());
            assertThat(counted.totalItems()).isEqualTo(2);
            assertThat(uncounted.totalItems()).isEqualTo(-1);
            assertThat(uncounted.totalPages()).isEqualTo(-1);
            assertThat(uncounted.isCounted()).isFalse();
        }

        @Test
        void tagsWithLikeWildcardsAreMatchedLiterally() {
            write(trace("a").tags(List.of("50%_off")).build(), trace("b").tags(List.of("50xxoff")).build());

            assertThat(traceIds(TraceQuery.builder().tags("50%_off"))).containsExactly("a");
        }

        @Test
        void withoutFiltersEveryTraceIsListedNewestFirst() {
            write(trace("old").timestamp(at(1)).build(), trace("new").timestamp(at(3)).build(),
                    trace("middle").timestamp(at(2)).build());

            assertThat(traceIds(TraceQuery.builder())).containsExactly("new", "middle", "old");
        }

        @Test
        void idsKeepOnlyTheNamedTraces() {
            write(trace("a").build(), trace("b").build(), trace("c").build());

            assertThat(traceIds(TraceQuery.builder().ids(List.of("a", "c", "unknown"))))
                    .containsExactlyInAnyOrder("a", "c");
        }

        @Test
        void nameKeepsTracesOfExactlyThatName() {
            write(trace("a").name("support-agent").build(), trace("b").name("support-agent-v2").build(),
                    trace("c").name("billing").build());

            assertThat(traceIds(TraceQuery.builder().name("support-agent"))).containsExactly("a");
        }

        @Test
        void userIdKeepsTracesOfThatUser() {
            write(trace("a").userId("user-1").build(), trace("b").userId("user-2").build(), trace("c").build());

            assertThat(traceIds(TraceQuery.builder().userId("user-1"))).containsExactly("a");
        }

        @Test
        void sessionIdKeepsTracesOfThatSession() {
            write(trace("a").sessionId("session-1").build(), trace("b").sessionId("session-2").build(),
                    trace("c").build());

            assertThat(traceIds(TraceQuery.builder().sessionId("session-1"))).containsExactly("a");
        }

        @Test
        void tagsKeepTracesThatHaveAllOfThem() {
            write(trace("both").tags(List.of("support", "beta")).build(),
                    trace("support-only").tags(List.of("support")).build(),
                    trace("beta-only").tags(List.of("beta")).build(),
                    trace("more").tags(List.of("beta", "support", "urgent")).build(),
                    trace("none").build());

            assertThat(traceIds(TraceQuery.builder().tags("support", "beta")))
                    .containsExactlyInAnyOrder("both", "more");
        }

        @Test
        void fromIsInclusiveAndToIsExclusive() {
            write(trace("before").timestamp(at(0)).build(), trace("at-from").timestamp(at(1)).build(),
                    trace("inside").timestamp(at(2)).build(), trace("at-to").timestamp(at(3)).build());

            assertThat(traceIds(TraceQuery.builder().from(at(1)).to(at(3))))
                    .containsExactlyInAnyOrder("at-from", "inside");
        }

        @Test
        void fromAloneKeepsTracesFromThatInstantOn() {
            write(trace("before").timestamp(at(0)).build(), trace("after").timestamp(at(1)).build());

            assertThat(traceIds(TraceQuery.builder().from(at(1)))).containsExactly("after");
        }

        @Test
        void toAloneKeepsTracesBeforeThatInstant() {
            write(trace("before").timestamp(at(0)).build(), trace("after").timestamp(at(1)).build());

            assertThat(traceIds(TraceQuery.builder().to(at(1)))).containsExactly("before");
        }

        @Test
        void releaseKeepsTracesOfThatRelease() {
            write(trace("a").release("1.0").build(), trace("b").release("2.0").build(), trace("c").build());

            assertThat(traceIds(TraceQuery.builder().release("1.0"))).containsExactly("a");
        }

        @Test
        void versionKeepsTracesOfThatVersion() {
            write(trace("a").version("v1").build(), trace("b").version("v2").build(), trace("c").build());

            assertThat(traceIds(TraceQuery.builder().version("v2"))).containsExactly("b");
        }

        @Test
        void environmentKeepsTracesOfThatEnvironment() {
            write(trace("a").environment("production").build(), trace("b").environment("test").build(),
                    trace("c").build());

            assertThat(traceIds(TraceQuery.builder().environment("test"))).containsExactly("b");
        }

        @Test
        void hasErrorKeepsTracesWithAnErrorObservation() {
            write(trace("failed").build(), span("obs-1", "failed").level(ObservationLevel.ERROR).build(),
                    trace("warned").build(), span("obs-2", "warned").level(ObservationLevel.WARNING).build(),
                    trace("empty").build());

            assertThat(traceIds(TraceQuery.builder().hasError(true))).containsExactly("failed");
        }

        @Test
        void hasNoErrorKeepsTracesWithoutAnErrorObservation() {
            write(trace("failed").build(), span("obs-1", "failed").level(ObservationLevel.ERROR).build(),
                    trace("warned").build(), span("obs-2", "warned").level(ObservationLevel.WARNING).build(),
                    trace("empty").build());

            assertThat(traceIds(TraceQuery.builder().hasError(false))).containsExactlyInAnyOrder("warned", "empty");
        }

        @Test
        void anErrorRecordedByALaterUpdateCountsForHasError() {
            write(trace("trace-1").build(), span("obs-1", "trace-1").build());

            write(Observation.builder("obs-1", "trace-1").level(ObservationLevel.ERROR).statusMessage("boom")
                    .build());

            assertThat(traceIds(TraceQuery.builder().hasError(true))).containsExactly("trace-1");
        }

        @Test
        void scoreNameKeepsTracesWithAScoreOfThatName() {
            write(trace("scored").build(), trace("other-score").build(), trace("observation-scored").build(),
                    span("obs-1", "observation-scored").build(), trace("unscored").build(),
                    Score.builder("s1", "helpfulness").traceId("scored").value(0.1).build(),
                    Score.builder("s2", "toxicity").traceId("other-score").value(0.1).build(),
                    Score.builder("s3", "helpfulness").traceId("observation-scored").observationId("obs-1")
                            .value("high").build());

            assertThat(traceIds(TraceQuery.builder().score("helpfulness")))
                    .containsExactlyInAnyOrder("scored", "observation-scored");
        }

        @Test
        void scoreBoundsKeepTracesWithThatScoreWithinThemInclusive() {
            write(trace("low").build(), trace("at-min").build(), trace("inside").build(), trace("at-max").build(),
                    trace("high").build(), trace("other-name").build(),
                    Score.builder("s1", "helpfulness").traceId("low").value(0.49).build(),
                    Score.builder("s2", "helpfulness").traceId("at-min").value(0.5).build(),
                    Score.builder("s3", "helpfulness").traceId("inside").value(0.6).build(),
                    Score.builder("s4", "helpfulness").traceId("at-max").value(0.8).build(),
                    Score.builder("s5", "helpfulness").traceId("high").value(0.81).build(),
                    Score.builder("s6", "toxicity").traceId("other-name").value(0.6).build());

            assertThat(traceIds(TraceQuery.builder().score("helpfulness", 0.5, 0.8)))
                    .containsExactlyInAnyOrder("at-min", "inside", "at-max");
        }

        @Test
        void searchFindsAWordOfTheNameIgnoringCase() {
            write(trace("a").name("Password-Reset agent").build(), trace("b").name("billing").build());

            assertThat(traceIds(TraceQuery.builder().search("password-reset"))).containsExactly("a");
        }

        @Test
        void searchFindsWordsOfTheInputIgnoringCase() {
            write(trace("a").name("agent").input("{\"question\":\"How do I RESET my password?\"}").build(),
                    trace("b").name("agent").input("{\"question\":\"Where is my invoice?\"}").build());

            assertThat(traceIds(TraceQuery.builder().search("reset my"))).containsExactly("a");
        }

        @Test
        void searchFindsWordsOfTheOutputIgnoringPunctuation() {
            write(trace("a").name("agent").output("\"Open Settings > Security\"").build(),
                    trace("b").name("agent").output("\"Contact billing\"").build());

            assertThat(traceIds(TraceQuery.builder().search("settings > SECURITY"))).containsExactly("a");
        }

        @Test
        void searchMatchesWholeWordsNotPatterns() {
            write(trace("a").name("agent").input("\"100% sure\"").build(),
                    trace("b").name("agent").input("\"1000 percent sure\"").build(),
                    trace("c").name("agent").input("\"a_b\"").build(),
                    trace("d").name("agent").input("\"axb\"").build());

            assertThat(traceIds(TraceQuery.builder().search("100%"))).containsExactly("a");
            assertThat(traceIds(TraceQuery.builder().search("a_b"))).containsExactly("c");
        }

        @Test
        void filtersCombineWithAnd() {
            write(trace("match").userId("user-1").environment("production").tags(List.of("support")).build(),
                    trace("other-user").userId("user-2").environment("production").tags(List.of("support"))
                            .build(),
                    trace("other-environment").userId("user-1").environment("test").tags(List.of("support"))
                            .build(),
                    trace("untagged").userId("user-1").environment("production").build());

            assertThat(traceIds(TraceQuery.builder().userId("user-1").environment("production").tags("support")))
                    .containsExactly("match");
        }

        @Test
        void timestampAscendingListsTheOldestFirst() {
            write(trace("middle").timestamp(at(2)).build(), trace("new").timestamp(at(3)).build(),
                    trace("old").timestamp(at(1)).build());

            assertThat(traceIds(TraceQuery.builder().order(TraceOrder.TIMESTAMP_ASC)))
                    .containsExactly("old", "middle", "new");
        }

        @Test
        void timestampDescendingListsTheNewestFirst() {
            write(trace("middle").timestamp(at(2)).build(), trace("new").timestamp(at(3)).build(),
                    trace("old").timestamp(at(1)).build());

            assertThat(traceIds(TraceQuery.builder().order(TraceOrder.TIMESTAMP_DESC)))
                    .containsExactly("new", "middle", "old");
        }

        private void writeTracesOfDifferentLatency() {
            write(trace("fast").timestamp(at(0)).build(), span("f", "fast").startTime(at(0)).endTime(at(1)).build(),
                    trace("slow").timestamp(at(1)).build(), span("s", "slow").startTime(at(1)).endTime(at(9)).build(),
                    trace("medium").timestamp(at(2)).build(),
                    span("m", "medium").startTime(at(2)).endTime(at(5)).build(),
                    trace("unfinished").timestamp(at(3)).build(), span("u", "unfinished").startTime(at(3)).build());
        }

        @Test
        void latencyDescendingListsTheSlowestFirstAndUnfinishedTracesLast() {
            writeTracesOfDifferentLatency();

            assertThat(traceIds(TraceQuery.builder().order(TraceOrder.LATENCY_DESC)))
                    .containsExactly("slow", "medium", "fast", "unfinished");
        }

        @Test
        void latencyAscendingListsTheFastestFirstAndUnfinishedTracesLast() {
            writeTracesOfDifferentLatency();

            assertThat(traceIds(TraceQuery.builder().order(TraceOrder.LATENCY_ASC)))
                    .containsExactly("fast", "medium", "slow", "unfinished");
        }

        @Test
        void pagesSplitTheOrderedListAndCountAllMatches() {
            for (int i = 1; i <= 7; i++) {
                write(trace("trace-" + i).timestamp(at(i)).build());
            }

            Page<TraceSummary> second = store.traces(TraceQuery.builder().order(TraceOrder.TIMESTAMP_ASC)
                    .page(PageRequest.of(2, 3)).build());

            assertThat(second.items()).extracting(summary -> summary.trace().id())
                    .containsExactly("trace-4", "trace-5", "trace-6");
            assertThat(second.page()).isEqualTo(2);
            assertThat(second.limit()).isEqualTo(3);
            assertThat(second.totalItems()).isEqualTo(7);
            assertThat(second.totalPages()).isEqualTo(3);
        }

        @Test
        void theLastPageHoldsTheRemainder() {
            for (int i = 1; i <= 7; i++) {
                write(trace("trace-" + i).timestamp(at(i)).build());
            }

            Page<TraceSummary> last = store.traces(TraceQuery.builder().order(TraceOrder.TIMESTAMP_ASC)
                    .page(PageRequest.of(3, 3)).build());

            assertThat(last.items()).extracting(summary -> summary.trace().id()).containsExactly("trace-7");
        }

        @Test
        void aPageBeyondTheLastIsEmptyButStillCountsAllMatches() {
            write(trace("a").build(), trace("b").build());

            Page<TraceSummary> page = store.traces(TraceQuery.builder().page(PageRequest.of(5, 10)).build());

            assertThat(page.items()).isEmpty();
            assertThat(page.totalItems()).isEqualTo(2);
            assertThat(page.totalPages()).isEqualTo(1);
        }

        @Test
        void theTotalCountsMatchesOfTheFiltersOnly() {
            write(trace("a").userId("user-1").build(), trace("b").userId("user-1").build(),
                    trace("c").userId("user-2").build());

            Page<TraceSummary> page = store.traces(TraceQuery.builder().userId("user-1")
                    .page(PageRequest.first(1)).build());

            assertThat(page.items()).hasSize(1);
            assertThat(page.totalItems()).isEqualTo(2);
            assertThat(page.totalPages()).isEqualTo(2);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class ObservationFilters {

        @Test
        void withoutFiltersEveryObservationIsListedOldestFirst() {
            write(span("late", "trace-1").startTime(at(3)).build(), span("early", "trace-1").startTime(at(1)).build(),
                    span("other-trace", "trace-2").startTime(at(2)).build());

            assertThat(observationIds(ObservationQuery.builder())).containsExactly("early", "other-trace", "late");
        }

        @Test
        void traceIdKeepsObservationsOfThatTrace() {
            write(span("a", "trace-1").build(), span("b", "trace-2").build(), span("c", "trace-1").build());

            assertThat(observationIds(ObservationQuery.builder().traceId("trace-1")))
                    .containsExactlyInAnyOrder("a", "c");
        }

        @Test
        void typeKeepsObservationsOfThatType() {
            write(span("span", "trace-1").build(),
                    span("generation", "trace-1").type(ObservationType.GENERATION).build(),
                    span("tool", "trace-1").type(ObservationType.TOOL).build());

            assertThat(observationIds(ObservationQuery.builder().type(ObservationType.TOOL))).containsExactly("tool");
        }

        @Test
        void observationsWrittenWithoutATypeAreSpans() {
            write(Observation.builder("untyped", "trace-1").startTime(T0).build(),
                    span("tool", "trace-1").type(ObservationType.TOOL).build());

            assertThat(observationIds(ObservationQuery.builder().type(ObservationType.SPAN)))
                    .containsExactly("untyped");
        }

        @Test
        void nameKeepsObservationsOfExactlyThatName() {
            write(span("a", "trace-1").name("search").build(), span("b", "trace-1").name("search_docs").build());

            assertThat(observationIds(ObservationQuery.builder().name("search"))).containsExactly("a");
        }

        @Test
        void parentObservationIdKeepsTheChildrenOfThatObservation() {
            write(span("root", "trace-1").build(),
                    span("child-1", "trace-1").parentObservationId("root").build(),
                    span("child-2", "trace-1").parentObservationId("root").build(),
                    span("grandchild", "trace-1").parentObservationId("child-1").build());

            assertThat(observationIds(ObservationQuery.builder().parentObservationId("root")))
                    .containsExactlyInAnyOrder("child-1", "child-2");
        }

        @Test
        void levelKeepsObservationsOfThatLevel() {
            write(span("default", "trace-1").build(),
                    span("warning", "trace-1").level(ObservationLevel.WARNING).build(),
                    span("error", "trace-1").level(ObservationLevel.ERROR).build());

            assertThat(observationIds(ObservationQuery.builder().level(ObservationLevel.WARNING)))
                    .containsExactly("warning");
        }

        @Test
        void observationsWrittenWithoutALevelHaveTheDefaultLevel() {
            write(Observation.builder("no-level", "trace-1").startTime(T0).build(),
                    span("debug", "trace-1").level(ObservationLevel.DEBUG).build());

            assertThat(observationIds(ObservationQuery.builder().level(ObservationLevel.DEFAULT)))
                    .containsExactly("no-level");
        }

        @Test
        void modelKeepsModelCallsToExactlyThatModel() {
            write(span("a", "trace-1").type(ObservationType.GENERATION).model("gpt-4o").build(),
                    span("b", "trace-1").type(ObservationType.GENERATION).model("gpt-4o-mini").build(),
                    span("c", "trace-1").build());

            assertThat(observationIds(ObservationQuery.builder().model("gpt-4o"))).containsExactly("a");
        }

        @Test
        void fromIsInclusiveAndToIsExclusive() {
            write(span("before", "trace-1").startTime(at(0)).build(),
                    span("at-from", "trace-1").startTime(at(1)).build(),
                    span("inside", "trace-1").startTime(at(2)).build(),
                    span("at-to", "trace-1").startTime(at(3)).build());

            assertThat(observationIds(ObservationQuery.builder().from(at(1)).to(at(3))))
                    .containsExactly("at-from", "inside");
        }

        @Test
        void filtersCombineWithAnd() {
            write(span("match", "trace-1").type(ObservationType.GENERATION).model("gpt-4o").build(),
                    span("other-trace", "trace-2").type(ObservationType.GENERATION).model("gpt-4o").build(),
                    span("other-model", "trace-1").type(ObservationType.GENERATION).model("o3").build());

            assertThat(observationIds(ObservationQuery.builder().traceId("trace-1").model("gpt-4o")))
                    .containsExactly("match");
        }

        @Test
        void pagesSplitTheListAndCountAllMatches() {
            for (int i = 1; i <= 5; i++) {
                write(span("obs-" + i, "trace-1").startTime(at(i)).build());
            }

            Page<Observation> page = store.observations(ObservationQuery.builder().page(PageRequest.of(2, 2)).build());

            assertThat(page.items()).extracting(Observation::id).containsExactly("obs-3", "obs-4");
            assertThat(page.page()).isEqualTo(2);
            assertThat(page.limit()).isEqualTo(2);
            assertThat(page.totalItems()).isEqualTo(5);
            assertThat(page.totalPages()).isEqualTo(3);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class MetadataFilters {

        @Test
        void keyEqualsKeepsTracesWithThatValueOfTheKey() {
            write(trace("prod").metadata("{\"env\":\"prod\"}").build(),
                    trace("staging").metadata("{\"env\":\"staging\"}").build(),
                    trace("none").build());

            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.keyEquals("env", "prod"))))
                    .containsExactly("prod");
        }

        @Test
        void theTraceListFindsMetadataOfAnyObservationOfTheTrace() {
            write(trace("flagged").build(), span("deep", "flagged").metadata("{\"feature\":\"new-ranker\"}").build(),
                    trace("plain").build(), span("other", "plain").metadata("{\"feature\":\"old-ranker\"}").build());

            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.keyEquals("feature", "new-ranker"))))
                    .containsExactly("flagged");
        }

        @Test
        void hasKeyKeepsTracesWithTheKeyWhateverItsValue() {
            write(trace("with").metadata("{\"variant\":\"B\"}").build(),
                    trace("null-value").metadata("{\"variant\":null}").build(),
                    trace("without").metadata("{\"other\":\"B\"}").build());

            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.hasKey("variant"))))
                    .containsExactlyInAnyOrder("with", "null-value");
        }

        @Test
        void aJsonPathReachesNestedValues() {
            write(trace("gold").metadata("{\"customer\":{\"tier\":\"gold\",\"id\":7}}").build(),
                    trace("silver").metadata("{\"customer\":{\"tier\":\"silver\"}}").build(),
                    trace("top-level").metadata("{\"tier\":\"gold\"}").build());

            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.atPath("$.customer.tier", "gold"))))
                    .containsExactly("gold");
            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.pathExists("$.customer"))))
                    .containsExactlyInAnyOrder("gold", "silver");
        }

        @Test
        void aQuotedPathStepMayHoldDots() {
            write(trace("dotted").metadata("{\"app.version\":{\"major\":\"2\"}}").build(),
                    trace("nested").metadata("{\"app\":{\"version\":{\"major\":\"2\"}}}").build());

            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.atPath("$['app.version'].major", "2"))))
                    .containsExactly("dotted");
            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.atPath("$.app.version.major", "2"))))
                    .containsExactly("nested");
        }

        @Test
        void numbersAndBooleansCompareAsWritten() {
            write(trace("three").metadata("{\"retries\":3,\"cached\":true,\"ratio\":0.5}").build(),
                    trace("four").metadata("{\"retries\":4,\"cached\":false}").build());

            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.keyEquals("retries", "3"))))
                    .containsExactly("three");
            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.keyEquals("cached", "false"))))
                    .containsExactly("four");
            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.keyEquals("ratio", "0.5"))))
                    .containsExactly("three");
        }

        @Test
        void theElementsOfAnArrayStandAtTheArraysPath() {
            write(trace("beta").metadata("{\"labels\":[\"alpha\",\"beta\"]}").build(),
                    trace("gamma").metadata("{\"labels\":[\"gamma\"]}").build());

            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.atPath("$.labels[*]", "beta"))))
                    .containsExactly("beta");
            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.keyEquals("labels", "gamma"))))
                    .containsExactly("gamma");
        }

        @Test
        void severalFiltersCombineWithAndAndMayBeMetByDifferentObservations() {
            write(trace("both").metadata("{\"env\":\"prod\"}").build(),
                    span("a", "both").metadata("{\"model\":\"big\"}").build(),
                    span("b", "both").metadata("{\"cache\":\"hit\"}").build(),
                    trace("one").metadata("{\"env\":\"prod\"}").build(),
                    span("c", "one").metadata("{\"model\":\"big\"}").build());

            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.keyEquals("env", "prod"),
                    MetadataFilter.keyEquals("model", "big"), MetadataFilter.hasKey("cache"))))
                    .containsExactly("both");
        }

        @Test
        void aValueChangedByAMergeIsFoundByItsNewValueNotItsOld() {
            write(trace("t").build(), span("s", "t").metadata("{\"stage\":\"draft\",\"owner\":\"ann\"}").build());

            write(Observation.builder("s", "t").metadata("{\"stage\":\"final\"}").build());

            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.keyEquals("stage", "final"))))
                    .containsExactly("t");
            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.keyEquals("stage", "draft"))))
                    .isEmpty();
            assertThat(observationIds(ObservationQuery.builder().metadata(MetadataFilter.keyEquals("owner", "ann"))))
                    .as("a key the later record left out is kept by the merge").containsExactly("s");
        }

        @Test
        void aValueChangedAfterItsTraceStartMovedIsFoundByItsNewValueOnly() {
            write(span("s", "moved").startTime(at(5)).metadata("{\"stage\":\"draft\"}").build());
            write(Trace.builder("moved").timestamp(at(1)).metadata("{\"team\":\"search\"}").build());

            write(Observation.builder("s", "moved").metadata("{\"stage\":\"final\"}").build());

            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.keyEquals("stage", "final"))))
                    .containsExactly("moved");
            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.keyEquals("stage", "draft"))))
                    .isEmpty();
            assertThat(observationIds(ObservationQuery.builder().metadata(MetadataFilter.keyEquals("stage", "draft"))))
                    .isEmpty();
            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.keyEquals("team", "search"))))
                    .containsExactly("moved");
        }

        @Test
        void aMetadataFilterPagesInTimeOrderWithTheOtherFiltersAndCountsTheMatches() {
            List<Object> records = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String id = String.format("t%03d", i);
                records.add(trace(id).timestamp(at(i)).userId(i % 2 == 0 ? "even" : "odd")
                        .metadata(i % 3 == 0 ? "{\"tier\":\"gold\"}" : "{\"tier\":\"basic\"}").build());
            }
            write(records.toArray());
            List<String> goldAndEven = new ArrayList<>();
            for (int i = 299; i >= 0; i--) {
                if (i % 3 == 0 && i % 2 == 0) {
                    goldAndEven.add(String.format("t%03d", i));
                }
            }

            Page<TraceSummary> second = store.traces(TraceQuery.builder().userId("even")
                    .metadata(MetadataFilter.keyEquals("tier", "gold")).page(PageRequest.of(2, 20)).build());
            Page<TraceSummary> oldestFirst = store.traces(TraceQuery.builder()
                    .metadata(MetadataFilter.keyEquals("tier", "gold")).order(TraceOrder.TIMESTAMP_ASC)
                    .page(PageRequest.of(1, 3)).build());

            assertThat(second.totalItems()).isEqualTo(50);
            assertThat(second.items()).extracting(summary -> summary.trace().id())
                    .containsExactlyElementsOf(goldAndEven.subList(20, 40));
            assertThat(oldestFirst.totalItems()).isEqualTo(100);
            assertThat(oldestFirst.items()).extracting(summary -> summary.trace().id())
                    .containsExactly("t000", "t003", "t006");
        }

        @Test
        void manyDocumentsWithTheSameEntryWrittenTogetherAreAllFound() {
            List<Object> records = new ArrayList<>();
            for (int i = 0; i < 1_200; i++) {
                String id = String.format("t%04d", i);
                records.add(trace(id).metadata("{\"service\":\"checkout\"}").build());
                records.add(span(id + "-s", id).metadata(i % 2 == 0 ? "{\"service\":\"checkout\"}" : null).build());
            }
            write(records.toArray());

            assertThat(store.traces(TraceQuery.builder().metadata(MetadataFilter.keyEquals("service", "checkout"))
                    .build()).totalItems()).isEqualTo(1_200);
            assertThat(store.observations(ObservationQuery.builder()
                    .metadata(MetadataFilter.keyEquals("service", "checkout")).build()).totalItems()).isEqualTo(600);
        }

        @Test
        void unicodeKeysAndValuesAreComparedExactly() {
            write(trace("jp").metadata("{\"地域\":\"東京\",\"größe\":\"groß\"}").build(),
                    trace("other").metadata("{\"地域\":\"大阪\",\"größe\":\"GROSS\"}").build());

            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.keyEquals("地域", "東京"))))
                    .containsExactly("jp");
            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.atPath("$.größe", "groß"))))
                    .containsExactly("jp");
        }

        @Test
        void theObservationListLooksAtTheObservationsOwnMetadataOnly() {
            write(trace("t").metadata("{\"env\":\"prod\"}").build(),
                    span("tagged", "t").metadata("{\"env\":\"prod\"}").build(),
                    span("untagged", "t").build(),
                    trace("u").build(), span("elsewhere", "u").metadata("{\"env\":\"test\"}").build());

            assertThat(observationIds(ObservationQuery.builder().metadata(MetadataFilter.keyEquals("env", "prod"))))
                    .containsExactly("tagged");
            assertThat(observationIds(ObservationQuery.builder().traceId("u").metadata(MetadataFilter.hasKey("env"))))
                    .containsExactly("elsewhere");
        }

        @Test
        void aPathWithAnArrayPositionIsRejectedSayingWhatToWrite() {
            assertThatThrownBy(() -> MetadataFilter.atPath("$.labels[0]", "beta"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("$.labels[0]")
                    .hasMessageContaining("leave the [..] out");
        }

        @Test
        void aBlankKeyIsRejected() {
            assertThatThrownBy(() -> MetadataFilter.keyEquals("", "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("metadata key is empty");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class FullTextSearch {

        List<String> matchedObservations(String search, String traceId) {
            return store.traces(TraceQuery.builder().search(search).build()).items().stream()
                    .filter(summary -> summary.trace().id().equals(traceId)).findFirst()
                    .orElseThrow(() -> new AssertionError("Expecting trace " + traceId + " to match '" + search
                            + "', but it does not"))
                    .matches().stream().map(MatchedObservation::id).toList();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.loupe.store.TraceStoreConformanceTest#observationFieldsWithText")
        void searchFindsTextInEveryFieldOfAnObservation(String field, Observation observation) {
            write(trace("t").build(), observation, trace("other").build(), span("plain", "other").build());

            assertThat(traceIds(TraceQuery.builder().search("zanzibar"))).as(field).containsExactly("t");
            assertThat(matchedObservations("zanzibar", "t")).containsExactly(observation.id());
        }

        @Test
        void searchFindsTextInTheTracesOwnMetadataKeysAndValues() {
            write(trace("t").metadata("{\"campaign\":{\"code\":\"WINTER-SALE\"}}").build(), trace("u").build());

            assertThat(traceIds(TraceQuery.builder().search("winter"))).containsExactly("t");
            assertThat(traceIds(TraceQuery.builder().search("campaign"))).containsExactly("t");
            assertThat(matchedObservations("winter", "t")).as("found in the trace's own fields").isEmpty();
        }

        @Test
        void aListedTraceNamesTheObservationsTheTextWasFoundInInTheOrderTheyStarted() {
            write(trace("t").build(),
                    span("late", "t").startTime(at(3)).output("\"the refund was issued\"").build(),
                    span("early", "t").startTime(at(1)).input("\"please refund me\"").build(),
                    span("unrelated", "t").startTime(at(2)).input("\"hello\"").build());

            TraceSummary summary = store.traces(TraceQuery.builder().search("refund").build()).items().get(0);

            assertThat(summary.matches()).extracting(MatchedObservation::id, MatchedObservation::name,
                    MatchedObservation::type).containsExactly(tuple("early", "early", ObservationType.SPAN),
                    tuple("late", "late", ObservationType.SPAN));
        }

        @Test
        void everyTermMustBeFoundSomewhereInTheTrace() {
            write(trace("both").build(), span("a", "both").input("\"refund\"").build(),
                    span("b", "both").output("\"approved\"").build(),
                    trace("one").build(), span("c", "one").input("\"refund\"").build());

            assertThat(traceIds(TraceQuery.builder().search("refund approved"))).containsExactly("both");
        }

        @Test
        void aWordEndingInAStarMatchesEveryWordItBegins() {
            write(trace("a").input("\"tokenization\"").build(), trace("b").input("\"tokens\"").build(),
                    trace("c").input("\"stoken\"").build());

            assertThat(traceIds(TraceQuery.builder().search("token*"))).containsExactlyInAnyOrder("a", "b");
            assertThat(traceIds(TraceQuery.builder().search("tokens"))).containsExactly("b");
        }

        @Test
        void aQuotedPhraseMatchesItsWordsNextToEachOtherInThatOrder() {
            write(trace("phrase").input("\"Please reset my password now\"").build(),
                    trace("reversed").input("\"my password reset\"").build(),
                    trace("apart").input("\"reset all my old password\"").build(),
                    trace("split").build(), span("x", "split").input("\"reset my\"").build(),
                    span("y", "split").output("\"password\"").build());

            assertThat(traceIds(TraceQuery.builder().search("\"reset my password\""))).containsExactly("phrase");
        }

        @Test
        void aPhraseNamesOnlyTheObservationsThatHoldIt() {
            write(trace("t").build(), span("holds", "t").output("\"credit card declined\"").build(),
                    span("scattered", "t").output("\"card was not declined, credit ok\"").build());

            assertThat(matchedObservations("\"card declined\"", "t")).containsExactly("holds");
        }

        @Test
        void aValueChangedByAMergeIsFoundByItsNewValueNotItsOld() {
            write(trace("t").build(), span("answer", "t").output("\"pending\"").build());

            write(Observation.builder("answer", "t").output("\"delivered\"").build());

            assertThat(traceIds(TraceQuery.builder().search("delivered"))).containsExactly("t");
            assertThat(traceIds(TraceQuery.builder().search("pending"))).isEmpty();
            assertThat(observationIds(ObservationQuery.builder().search("delivered"))).containsExactly("answer");
        }

        @Test
        void aWordAChangedObservationNoLongerHoldsStillFindsTheTraceThroughAnother() {
            write(trace("t").build(), span("a", "t").output("\"pending\"").build(),
                    span("b", "t").output("\"pending review\"").build());

            write(Observation.builder("a", "t").output("\"delivered\"").build());

            assertThat(matchedObservations("pending", "t")).containsExactly("b");
            assertThat(matchedObservations("delivered", "t")).containsExactly("a");
        }

        @Test
        void wordsOfObservationsWrittenInLaterBatchesAreFound() {
            write(trace("t").build(), span("first", "t").input("\"alpha\"").build());
            write(span("second", "t").input("\"beta\"").build());
            write(span("third", "t").input("\"alpha gamma\"").build());

            assertThat(traceIds(TraceQuery.builder().search("alpha beta gamma"))).containsExactly("t");
            assertThat(matchedObservations("alpha", "t")).containsExactly("first", "third");
        }

        @Test
        void aTraceWrittenOverManyBatchesIsListedOnceInItsPlaceAndCountedOnce() {
            write(trace("early").timestamp(at(1)).build(), span("e1", "early").input("\"needle\"").build());
            write(trace("late").timestamp(at(5)).build(), span("l1", "late").input("\"needle\"").build());
            write(span("e2", "early").startTime(at(6)).input("\"needle and thread\"").build());
            write(span("e3", "early").startTime(at(7)).output("\"needle\"").build());

            Page<TraceSummary> found = store.traces(TraceQuery.builder().search("needle").build());

            assertThat(found.items()).extracting(summary -> summary.trace().id()).containsExactly("late", "early");
            assertThat(found.totalItems()).isEqualTo(2);
            assertThat(traceIds(TraceQuery.builder().search("needle thread"))).containsExactly("early");
            assertThat(matchedObservations("needle", "early")).containsExactly("e1", "e2", "e3");
        }

        @Test
        void aTraceFieldChangedByAMergeIsFoundByItsNewValueNotItsOld() {
            write(trace("t").name("draft-flow").build());

            write(Trace.builder("t").name("final-flow").build());

            assertThat(traceIds(TraceQuery.builder().search("final"))).containsExactly("t");
            assertThat(traceIds(TraceQuery.builder().search("draft"))).isEmpty();
        }

        @Test
        void unicodeTextIsFoundIgnoringCase() {
            write(trace("de").input("\"Die GRÖSSE der Straße\"").build(),
                    trace("el").output("\"ΚΑΛΗΜΕΡΑ κόσμε\"").build(),
                    trace("jp").input("\"東京タワーへ行く\"").build(),
                    trace("fr").input("\"un café crème 🍰\"").build());

            assertThat(traceIds(TraceQuery.builder().search("größe"))).containsExactly("de");
            assertThat(traceIds(TraceQuery.builder().search("straße"))).containsExactly("de");
            assertThat(traceIds(TraceQuery.builder().search("καλημερα"))).containsExactly("el");
            assertThat(traceIds(TraceQuery.builder().search("東京"))).containsExactly("jp");
            assertThat(traceIds(TraceQuery.builder().search("京東"))).isEmpty();
            assertThat(traceIds(TraceQuery.builder().search("CAFÉ"))).containsExactly("fr");
        }

        @Test
        void searchCombinesWithTheOtherFilters() {
            write(trace("match").userId("u1").input("\"refund\"").build(),
                    trace("other-user").userId("u2").input("\"refund\"").build(),
                    trace("no-word").userId("u1").input("\"hello\"").build());

            assertThat(traceIds(TraceQuery.builder().userId("u1").search("refund"))).containsExactly("match");
        }

        @Test
        void newestFirstASearchPagesThroughManyMatchesWithTheSameStartTime() {
            List<Object> records = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String id = String.format("t%03d", i);
                records.add(trace(id).build());
                records.add(span(id + "-a", id).input(i % 3 == 0 ? "\"needle here\"" : "\"hay\"").build());
                records.add(span(id + "-b", id).output(i % 3 == 0 ? "\"another needle\"" : "\"hay\"").build());
            }
            write(records.toArray());
            List<String> expected = new ArrayList<>();
            for (int i = 299; i >= 0; i--) {
                if (i % 3 == 0) {
                    expected.add(String.format("t%03d", i));
                }
            }

            Page<TraceSummary> second = store.traces(TraceQuery.builder().search("needle")
                    .page(PageRequest.of(2, 40)).build());

            assertThat(second.totalItems()).isEqualTo(100);
            assertThat(second.items()).extracting(summary -> summary.trace().id())
                    .containsExactlyElementsOf(expected.subList(40, 80));
        }

        @Test
        void newestFirstFollowsAStartTimeChangedByALaterTraceRecord() {
            write(span("obs", "moved").startTime(at(5)).input("\"needle\"").build(),
                    trace("middle").timestamp(at(3)).input("\"needle\"").build());

            write(Trace.builder("moved").timestamp(at(1)).build());

            assertThat(traceIds(TraceQuery.builder().search("needle"))).containsExactly("middle", "moved");
        }

        @Test
        void otherOrdersSortTheMatches() {
            write(trace("slow").build(), span("s1", "slow").input("\"needle\"").endTime(T0.plusSeconds(9)).build(),
                    trace("fast").build(), span("s2", "fast").input("\"needle\"").endTime(T0.plusSeconds(1)).build(),
                    trace("none").build(), span("s3", "none").endTime(T0.plusSeconds(5)).build());

            assertThat(traceIds(TraceQuery.builder().search("needle").order(TraceOrder.LATENCY_DESC)))
                    .containsExactly("slow", "fast");
            assertThat(traceIds(TraceQuery.builder().search("\"needle\"").order(TraceOrder.LATENCY_ASC)))
                    .containsExactly("fast", "slow");
        }

        @Test
        void findInATraceListsItsObservationsThatHoldTheText() {
            List<Object> records = new ArrayList<>(List.of(trace("big").build(), trace("other").build(),
                    span("elsewhere", "other").input("\"timeout\"").build()));
            for (int i = 0; i < 200; i++) {
                records.add(span(String.format("step-%03d", i), "big").startTime(at(i))
                        .statusMessage(i % 50 == 7 ? "Timeout after 30 s" : "ok").build());
            }
            write(records.toArray());

            assertThat(observationIds(ObservationQuery.builder().traceId("big").search("timeout")))
                    .containsExactly("step-007", "step-057", "step-107", "step-157");
            assertThat(observationIds(ObservationQuery.builder().traceId("big").search("\"after 30\" time*")))
                    .containsExactly("step-007", "step-057", "step-107", "step-157");
        }

        @Test
        void aPrunedTraceIsNoLongerFound() {
            write(trace("old").timestamp(at(1)).input("\"needle\"").build(),
                    trace("new").timestamp(at(10)).input("\"needle\"").build());

            store.pruneOlderThan(at(5));

            assertThat(traceIds(TraceQuery.builder().search("needle"))).containsExactly("new");
            assertThat(traceIds(TraceQuery.builder().metadata(MetadataFilter.hasKey("x")))).isEmpty();
        }

        @Test
        void aSearchWithoutWordsIsRejectedQuotingIt() {
            assertThatThrownBy(() -> TraceQuery.builder().search("%% --").build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("search '%% --' holds no word");
        }
    }

    static Stream<Arguments> observationFieldsWithText() {
        return Stream.of(
                Arguments.of("name", span("named", "t").name("zanzibar-route").build()),
                Arguments.of("input", span("in", "t").input("{\"messages\":[{\"content\":\"To Zanzibar\"}]}").build()),
                Arguments.of("output", span("out", "t").output("\"zanzibar\"").build()),
                Arguments.of("status message", span("status", "t").statusMessage("failed in Zanzibar").build()),
                Arguments.of("metadata value", span("meta", "t").metadata("{\"city\":\"zanzibar\"}").build()),
                Arguments.of("metadata key", span("key", "t").metadata("{\"zanzibar\":1}").build()));
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class Sessions {

        @Test
        void eachSessionIsListedWithItsTraceCountAndTimeSpan() {
            write(trace("a").sessionId("session-1").timestamp(at(1)).build(),
                    trace("b").sessionId("session-1").timestamp(at(4)).build(),
                    trace("c").sessionId("session-2").timestamp(at(2)).build());

            assertThat(store.sessions(SessionQuery.all()).items())
                    .containsExactly(new SessionSummary("session-1", 2, at(1), at(4), List.of()),
                            new SessionSummary("session-2", 1, at(2), at(2), List.of()));
        }

        @Test
        void aSessionListsTheDistinctUsersOfItsTraces() {
            write(trace("a").sessionId("session-1").userId("user-2").build(),
                    trace("b").sessionId("session-1").userId("user-1").build(),
                    trace("c").sessionId("session-1").userId("user-2").build(),
                    trace("d").sessionId("session-1").build());

            assertThat(store.sessions(SessionQuery.all()).items()).singleElement()
                    .satisfies(session -> assertThat(session.userIds()).containsExactlyInAnyOrder("user-1", "user-2"));
        }

        @Test
        void theMostRecentlyActiveSessionIsListedFirst() {
            write(trace("a").sessionId("started-first").timestamp(at(1)).build(),
                    trace("b").sessionId("started-second").timestamp(at(2)).build(),
                    trace("c").sessionId("started-first").timestamp(at(3)).build(),
                    trace("d").sessionId("started-third").timestamp(at(2).plusMillis(500)).build());

            assertThat(sessionIds(SessionQuery.all()))
                    .containsExactly("started-first", "started-third", "started-second");
        }

        @Test
        void tracesWithoutASessionMakeNoSession() {
            write(trace("a").build(), trace("b").sessionId("session-1").build());

            assertThat(sessionIds(SessionQuery.all())).containsExactly("session-1");
        }

        @Test
        void aUserFilterKeepsSessionsWithATraceOfThatUser() {
            write(trace("a").sessionId("shared").userId("user-1").build(),
                    trace("b").sessionId("shared").userId("user-2").build(),
                    trace("c").sessionId("other").userId("user-2").build());

            assertThat(sessionIds(SessionQuery.all().userId("user-1"))).containsExactly("shared");
        }

        @Test
        void aSessionFoundThroughOneOfItsUsersIsDescribedWhole() {
            write(trace("a").sessionId("shared").userId("user-1").timestamp(at(1)).build(),
                    trace("b").sessionId("shared").userId("user-2").timestamp(at(2)).build());

            assertThat(store.sessions(SessionQuery.all().userId("user-1")).items())
                    .containsExactly(store.sessions(SessionQuery.all()).items().get(0));
        }

        @Test
        void aSessionFoundThroughATraceInTheTimeRangeIsDescribedWhole() {
            write(trace("a").sessionId("session-1").userId("user-1").timestamp(at(1)).build(),
                    trace("b").sessionId("session-1").userId("user-2").timestamp(at(5)).build());

            assertThat(store.sessions(SessionQuery.all().between(at(0), at(2))).items())
                    .containsExactly(new SessionSummary("session-1", 2, at(1), at(5), List.of("user-1", "user-2")));
        }

        @Test
        void aTimeFilterKeepsSessionsWithATraceInTheRange() {
            write(trace("a").sessionId("early").timestamp(at(0)).build(),
                    trace("b").sessionId("inside").timestamp(at(1)).build(),
                    trace("c").sessionId("late").timestamp(at(3)).build(),
                    trace("d").sessionId("spanning").timestamp(at(0)).build(),
                    trace("e").sessionId("spanning").timestamp(at(2)).build());

            assertThat(sessionIds(SessionQuery.all().between(at(1), at(3))))
                    .containsExactlyInAnyOrder("inside", "spanning");
        }

        @Test
        void sessionsArePagedWithTotalCounts() {
            for (int i = 1; i <= 5; i++) {
                write(trace("trace-" + i).sessionId("session-" + i).timestamp(at(i)).build());
            }

            Page<SessionSummary> page = store.sessions(SessionQuery.all().page(PageRequest.of(2, 2)));

            assertThat(page.items()).extracting(SessionSummary::id).containsExactly("session-3", "session-2");
            assertThat(page.totalItems()).isEqualTo(5);
            assertThat(page.totalPages()).isEqualTo(3);
        }

        @Test
        void oneSessionHoldsItsTracesOldestFirst() {
            write(trace("second").sessionId("session-1").timestamp(at(2)).build(),
                    trace("first").sessionId("session-1").timestamp(at(1)).build(),
                    trace("third").sessionId("session-1").timestamp(at(3)).build(),
                    trace("elsewhere").sessionId("session-2").timestamp(at(2)).build());

            Session session = store.session("session-1").orElseThrow();

            assertThat(session.id()).isEqualTo("session-1");
            assertThat(session.traces()).extracting(summary -> summary.trace().id())
                    .containsExactly("first", "second", "third");
            assertThat(session.summary().traceCount()).isEqualTo(3);
        }

        @Test
        void oneSessionHoldsTheScoresOfTheSessionButNotThoseOfItsTraces() {
            write(trace("trace-1").sessionId("session-1").build(),
                    Score.builder("session-score", "resolved").sessionId("session-1").value(true).build(),
                    Score.builder("trace-score", "helpfulness").traceId("trace-1").sessionId("session-1").value(0.5)
                            .build(),
                    Score.builder("other-session", "resolved").sessionId("session-2").value(false).build());

            Session session = store.session("session-1").orElseThrow();

            assertThat(session.scores()).extracting(Score::id).containsExactly("session-score");
            assertThat(session.traces().get(0).scores()).extracting(Score::id).containsExactly("trace-score");
        }

        @Test
        void aSessionKnownOnlyFromItsScoresIsFound() {
            write(Score.builder("score-1", "resolved").sessionId("session-1").value(true).build());

            Session session = store.session("session-1").orElseThrow();

            assertThat(session.traces()).isEmpty();
            assertThat(session.scores()).extracting(Score::id).containsExactly("score-1");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class ScoreFilters {

        @BeforeEach
        void writeScoresOfEveryKind() {
            write(trace("trace-1").sessionId("session-1").build(), span("obs-1", "trace-1").build(),
                    trace("trace-2").build(),
                    Score.builder("numeric", "helpfulness").traceId("trace-1").value(0.8).source("EVAL")
                            .timestamp(at(1)).build(),
                    Score.builder("boolean", "correct").traceId("trace-1").observationId("obs-1").value(true)
                            .source("TEST").timestamp(at(2)).build(),
                    Score.builder("categorical", "tone").traceId("trace-2").value("friendly")
                            .source("ANNOTATION").timestamp(at(3)).build(),
                    Score.builder("session", "resolved").sessionId("session-1").value(false).timestamp(at(4))
                            .build(),
                    Score.builder("low", "helpfulness").traceId("trace-2").value(0.2).timestamp(at(5)).build());
        }

        @Test
        void withoutFiltersEveryScoreIsListedNewestFirst() {
            assertThat(scoreIds(ScoreQuery.builder()))
                    .containsExactly("low", "session", "categorical", "boolean", "numeric");
        }

        @Test
        void nameKeepsScoresOfThatName() {
            assertThat(scoreIds(ScoreQuery.builder().name("helpfulness"))).containsExactly("low", "numeric");
        }

        @Test
        void traceIdKeepsScoresOfTheTraceAndOfItsObservations() {
            assertThat(scoreIds(ScoreQuery.builder().traceId("trace-1"))).containsExactly("boolean", "numeric");
        }

        @Test
        void observationIdKeepsScoresOfThatObservation() {
            assertThat(scoreIds(ScoreQuery.builder().observationId("obs-1"))).containsExactly("boolean");
        }

        @Test
        void sessionIdKeepsScoresOfThatSession() {
            assertThat(scoreIds(ScoreQuery.builder().sessionId("session-1"))).containsExactly("session");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({"NUMERIC, low, numeric", "BOOLEAN, session, boolean", "CATEGORICAL, categorical,"})
        void dataTypeKeepsScoresOfThatDataType(ScoreDataType dataType, String newest, String oldest) {
            List<String> expected = oldest == null ? List.of(newest) : List.of(newest, oldest);

            assertThat(scoreIds(ScoreQuery.builder().dataType(dataType))).isEqualTo(expected);
        }

        @Test
        void sourceKeepsScoresFromThatSource() {
            assertThat(scoreIds(ScoreQuery.builder().source("TEST"))).containsExactly("boolean");
        }

        @Test
        void scoresWrittenWithoutASourceComeFromTheApi() {
            assertThat(scoreIds(ScoreQuery.builder().source(Score.SOURCE_API))).containsExactly("low", "session");
        }

        @Test
        void aValueRangeKeepsNumericValuesWithinItInclusive() {
            assertThat(scoreIds(ScoreQuery.builder().value(0.2, 0.8)))
                    .containsExactly("low", "numeric");
            assertThat(scoreIds(ScoreQuery.builder().value(0.21, 0.79))).isEmpty();
        }

        @Test
        void aValueRangeMatchesBooleansByTheirOneOrZero() {
            assertThat(scoreIds(ScoreQuery.builder().value(1, 1))).containsExactly("boolean");
        }

        @Test
        void fromIsInclusiveAndToIsExclusive() {
            assertThat(scoreIds(ScoreQuery.builder().from(at(2)).to(at(4)))).containsExactly("categorical", "boolean");
        }

        @Test
        void pagesSplitTheListAndCountAllMatches() {
            Page<Score> page = store.scores(ScoreQuery.builder().page(PageRequest.of(2, 2)).build());

            assertThat(page.items()).extracting(Score::id).containsExactly("categorical", "boolean");
            assertThat(page.totalItems()).isEqualTo(5);
            assertThat(page.totalPages()).isEqualTo(3);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class TestRuns extends TestRunStoreConformance {

        @Override
        TestRunStore testRuns() {
            return store.testRuns();
        }

        @Override
        void closeStore() {
            store.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** What every list of the store does with its {@link PageRequest}, whatever it lists. */
    @Nested
    class PagingOfEveryList {

        enum Listing { TRACES, OBSERVATIONS, SESSIONS, SCORES, TEST_RUNS }

        @BeforeEach
        void writeFiveOfEveryKind() {
            for (int i = 1; i <= 5; i++) {
                write(trace("trace-" + i).sessionId("session-" + i).timestamp(at(i)).build(),
                        span("obs-" + i, "trace-" + i).startTime(at(i)).build(),
                        Score.builder("score-" + i, "quality").traceId("trace-" + i).value(i).timestamp(at(i))
                                .build());
                store.testRuns().writeRun(new TestRun("run-" + i, at(i), null, null, null, 0, 0, 0, 0));
            }
        }

        /** Returns the ids of one page of a list. */
        Page<String> list(Listing listing, PageRequest page) {
            return switch (listing) {
                case TRACES -> store.traces(TraceQuery.builder().page(page).build()).map(s -> s.trace().id());
                case OBSERVATIONS -> store.observations(ObservationQuery.builder().page(page).build())
                        .map(Observation::id);
                case SESSIONS -> store.sessions(SessionQuery.all().page(page)).map(SessionSummary::id);
                case SCORES -> store.scores(ScoreQuery.builder().page(page).build()).map(Score::id);
                case TEST_RUNS -> store.testRuns().runs(page).map(TestRun::id);
            };
        }

        @ParameterizedTest
        @EnumSource(Listing.class)
        void aPageHoldsItsShareOfTheListAndCountsAllMatches(Listing listing) {
            List<String> all = list(listing, PageRequest.first()).items();

            Page<String> second = list(listing, PageRequest.of(2, 2));

            assertThat(all).hasSize(5);
            assertThat(second.items()).isEqualTo(all.subList(2, 4));
            assertThat(second.page()).isEqualTo(2);
            assertThat(second.limit()).isEqualTo(2);
            assertThat(second.totalItems()).isEqualTo(5);
            assertThat(second.totalPages()).isEqualTo(3);
        }

        @ParameterizedTest
        @EnumSource(Listing.class)
        void aPageWithoutTheTotalHasTheSameItemsAndTotalMinusOne(Listing listing) {
            Page<String> counted = list(listing, PageRequest.of(2, 2));

            Page<String> uncounted = list(listing, PageRequest.of(2, 2).withoutTotal());

            assertThat(uncounted.items()).isEqualTo(counted.items());
            assertThat(uncounted.totalItems()).isEqualTo(-1);
            assertThat(uncounted.totalPages()).isEqualTo(-1);
            assertThat(uncounted.isCounted()).isFalse();
        }

        @ParameterizedTest
        @EnumSource(Listing.class)
        void followingTheNextPagesVisitsEveryItemOnce(Listing listing) {
            List<String> visited = new ArrayList<>();
            for (PageRequest request = PageRequest.first(2).withoutTotal(); ; request = request.next()) {
                List<String> items = list(listing, request).items();
                if (items.isEmpty()) {
                    break;
                }
                visited.addAll(items);
            }

            assertThat(visited).isEqualTo(list(listing, PageRequest.first()).items());
        }

        @ParameterizedTest
        @EnumSource(Listing.class)
        void aPageBeyondTheLastIsEmptyButStillCountsAllMatches(Listing listing) {
            Page<String> beyond = list(listing, PageRequest.of(4, 2));

            assertThat(beyond.items()).isEmpty();
            assertThat(beyond.totalItems()).isEqualTo(5);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class BadInput {

        static Stream<Arguments> invalidPages() {
            return Stream.of(
                    Arguments.of((Runnable) () -> PageRequest.of(0, 10), "page is 0: pages are numbered from 1"),
                    Arguments.of((Runnable) () -> PageRequest.of(-3, 10), "page is -3: pages are numbered from 1"),
                    Arguments.of((Runnable) () -> PageRequest.first(0),
                            "limit is 0: ask for 1 to 1000 results per page"),
                    Arguments.of((Runnable) () -> PageRequest.of(2, 1001),
                            "limit is 1001: ask for 1 to 1000 results per page"),
                    Arguments.of((Runnable) () -> new PageRequest(1, -1, false),
                            "limit is -1: ask for 1 to 1000 results per page"));
        }

        @ParameterizedTest(name = "{1}")
        @MethodSource("invalidPages")
        void anInvalidPageIsRejectedNamingTheValueAndTheAllowedOnes(Runnable requesting, String expectedMessage) {
            assertThatThrownBy(requesting::run)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(expectedMessage);
        }

        @Test
        void aQueryWithoutAPageAsksForTheFirstPageOfFiftyWithTheTotal() {
            assertThat(TraceQuery.all().page()).isEqualTo(new PageRequest(1, 50, true));
            assertThat(ObservationQuery.builder().build().page()).isEqualTo(PageRequest.first());
            assertThat(ScoreQuery.builder().build().page()).isEqualTo(PageRequest.first());
            assertThat(SessionQuery.all().page()).isEqualTo(PageRequest.first());
            assertThat(new SessionQuery(null, null, null, null).page()).isEqualTo(PageRequest.first());
        }

        static Stream<Arguments> invalidQueries() {
            return Stream.<Arguments>of(
                    Arguments.of("trace from after to",
                            (Runnable) () -> TraceQuery.builder().from(at(2)).to(at(1)).build(),
                            "from " + at(2) + " is after to " + at(1)),
                    Arguments.of("trace score bounds reversed",
                            (Runnable) () -> TraceQuery.builder().score("quality", 0.9, 0.1).build(),
                            "from 0.9 is after to 0.1"),
                    Arguments.of("observation from after to",
                            (Runnable) () -> ObservationQuery.builder().from(at(2)).to(at(1)).build(),
                            "from " + at(2) + " is after to " + at(1)),
                    Arguments.of("score value range reversed",
                            (Runnable) () -> ScoreQuery.builder().value(0.9, 0.1).build(), "from 0.9 is after to 0.1"),
                    Arguments.of("score from after to",
                            (Runnable) () -> ScoreQuery.builder().from(at(2)).to(at(1)).build(),
                            "from " + at(2) + " is after to " + at(1)),
                    Arguments.of("session from after to",
                            (Runnable) () -> SessionQuery.all().between(at(2), at(1)),
                            "from " + at(2) + " is after to " + at(1)));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("invalidQueries")
        void anInvalidQueryIsRejectedNamingTheParameterAndValue(String description, Runnable building,
                String expectedMessagePart) {
            assertThatThrownBy(building::run)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(expectedMessagePart);
        }

        @Test
        void scoreBoundsWithoutAScoreNameAreRejected() {
            assertThatThrownBy(() -> new TraceQuery(null, null, null, null, null, null, null, null, null, null, null,
                    null, 0.5, null, null, null, null, PageRequest.first()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("score bounds 0.5..null")
                    .hasMessageContaining("without a score name");
        }

        @Test
        void theLargestAllowedPageSizeIsAccepted() {
            write(trace("trace-1").build());

            assertThat(store.traces(TraceQuery.builder().page(PageRequest.first(1000)).build()).items()).hasSize(1);
        }

        @Test
        void aValueTooLongForItsColumnIsRejectedNamingTheRecord() {
            Observation tooLong = span("obs-1", "trace-1").name("n".repeat(1001)).build();

            assertThatThrownBy(() -> write(tooLong))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("obs-1")
                    .hasMessageContaining("NAME")
                    .hasMessageContaining("Shorten the value");
        }

        @Test
        void aPayloadThatIsNotJsonIsRejectedSayingPayloadsAreJson() {
            Trace notJson = trace("trace-1").input("plain words").build();

            assertThatThrownBy(() -> write(notJson))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("trace-1")
                    .hasMessageContaining("INPUT")
                    .hasMessageContaining("as JSON documents");
        }

        @Test
        void aFailedWriteStoresNothingOfItsBatch() {
            Trace fine = trace("trace-2").build();
            Observation tooLong = span("obs-1", "trace-2").name("n".repeat(1001)).build();

            assertThatThrownBy(() -> write(fine, tooLong)).isInstanceOf(IllegalArgumentException.class);

            assertThat(store.trace("trace-2")).isEmpty();
            assertThat(store.observation("obs-1")).isEmpty();
        }

        @Test
        void aFailedWriteLeavesWhatWasStoredBeforeUnchanged() {
            write(trace("trace-1").name("original").build(), span("obs-1", "trace-1").endTime(at(1)).build());
            TraceTree before = storedTrace("trace-1");
            TraceStats statsBefore = summaryOf("trace-1").stats();

            assertThatThrownBy(() -> write(Trace.builder("trace-1").name("renamed").build(),
                    span("obs-2", "trace-1").endTime(at(9)).build(),
                    Trace.builder("trace-3").name("t".repeat(1001)).build()))
                    .isInstanceOf(IllegalArgumentException.class);

            assertThat(storedTrace("trace-1")).isEqualTo(before);
            assertThat(summaryOf("trace-1").stats()).isEqualTo(statsBefore);
        }

        @Test
        void theStoreAcceptsWritesAfterAFailedOne() {
            assertThatThrownBy(() -> write(trace("trace-1").name("t".repeat(1001)).build()))
                    .isInstanceOf(IllegalArgumentException.class);

            write(trace("trace-2").build(), span("obs-1", "trace-2").build());

            assertThat(traceIds(TraceQuery.builder())).containsExactly("trace-2");
            assertThat(storedTrace("trace-2").observations()).hasSize(1);
        }

        @Test
        void aClosedStoreRefusesWritesAndSaysItIsClosed() {
            store.close();

            assertThatThrownBy(() -> write(trace("trace-1").build()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Nested
    class Pruning {

        private final Instant cutoff = at(3_600);

        private TestResult resultOf(String id, String runId, Instant start, String traceId) {
            return new TestResult(id, runId, "[engine:junit-jupiter]/[method:" + id + "]", "AgentTest", id, id + "()",
                    null, List.of(), TestStatus.PASSED, start, Duration.ofMillis(5), null, List.of(traceId));
        }

        @BeforeEach
        void writeAnOldAndANewTraceWithTheirTestRuns() {
            write(trace("old").build(), span("old-root", "old").build(),
                    Score.builder("old-score", "quality").traceId("old").value(0.5).timestamp(at(10)).build(),
                    Score.builder("old-session-score", "resolved").sessionId("session-1").value("yes")
                            .timestamp(at(10)).build(),
                    trace("new").timestamp(at(7_200)).build(), span("new-root", "new").startTime(at(7_200)).build(),
                    Score.builder("new-score", "quality").traceId("new").value(0.9).timestamp(at(7_200)).build(),
                    Score.builder("new-session-score", "resolved").sessionId("session-1").value("yes")
                            .timestamp(at(7_200)).build());
            store.testRuns().writeRun(new TestRun("old-run", T0, at(20), null, null, 1, 0, 0, 0));
            store.testRuns().writeResults(List.of(resultOf("old-result", "old-run", T0, "old")));
            store.testRuns().writeRun(new TestRun("new-run", at(7_200), at(7_220), null, null, 1, 0, 0, 0));
            store.testRuns().writeResults(List.of(resultOf("new-result", "new-run", at(7_200), "new")));
        }

        @Test
        void deletesTracesThatBeganBeforeTheCutoffWithTheirObservationsAndScores() {
            assertThat(store.pruneOlderThan(cutoff)).isEqualTo(1);

            assertThat(store.trace("old")).isEmpty();
            assertThat(store.observation("old-root")).isEmpty();
            assertThat(store.scores(ScoreQuery.builder().build()).items()).extracting(Score::id)
                    .containsExactlyInAnyOrder("new-score", "new-session-score");
            assertThat(storedTrace("new").observations()).extracting(Observation::id).containsExactly("new-root");
        }

        @Test
        void deletesTestRunsThatBeganBeforeTheCutoffWithTheirResults() {
            store.pruneOlderThan(cutoff);

            assertThat(store.testRuns().run("old-run")).isEmpty();
            assertThat(store.testRuns().results("old-run")).isEmpty();
            assertThat(store.testRuns().results("new-run")).extracting(TestResult::id).containsExactly("new-result");
        }

        @Test
        void deletesTracesInBatchesUntilNoneIsOlder() {
            List<Object> many = new ArrayList<>();
            for (int i = 0; i < 2_500; i++) {
                many.add(trace("many-" + i).timestamp(at(i % 3_000)).build());
            }
            write(many.toArray());

            assertThat(store.pruneOlderThan(cutoff)).isEqualTo(2_501);
            assertThat(store.traces(TraceQuery.builder().build()).items()).extracting(s -> s.trace().id())
                    .containsExactly("new");
        }
    }
}
