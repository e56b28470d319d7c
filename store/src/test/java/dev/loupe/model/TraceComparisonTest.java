package dev.loupe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.loupe.model.TraceComparison.ChangeKind;
import dev.loupe.model.TraceComparison.ObservationChange;
import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Comparing two runs of an agent: observations paired by place, fields that changed, deltas; and two test runs. */
class TraceComparisonTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    /** An agent that drafts, calls the given tools in order, and answers; ids are fresh for each trace. */
    private static TraceTree agent(String traceId, String model, long answerTokens, long endMillis, String... tools) {
        List<Observation> observations = new ArrayList<>();
        observations.add(Observation.builder(traceId + "-root", traceId).name("agent").type(ObservationType.AGENT)
                .startTime(T0).endTime(T0.plusMillis(endMillis)).build());
        observations.add(Observation.builder(traceId + "-draft", traceId).parentObservationId(traceId + "-root")
                .type(ObservationType.GENERATION).name("draft").model(model).usage(Usage.of(100, 20))
                .cost(Cost.of(new BigDecimal("0.001"), new BigDecimal("0.002")))
                .startTime(T0.plusMillis(1)).endTime(T0.plusMillis(50)).build());
        for (int i = 0; i < tools.length; i++) {
            observations.add(Observation.builder(traceId + "-tool-" + i, traceId)
                    .parentObservationId(traceId + "-root").type(ObservationType.TOOL).name(tools[i])
                    .input("{\"step\":" + i + "}").startTime(T0.plusMillis(60 + i)).endTime(T0.plusMillis(70 + i))
                    .build());
        }
        observations.add(Observation.builder(traceId + "-answer", traceId).parentObservationId(traceId + "-root")
                .type(ObservationType.GENERATION).name("answer").model(model).usage(Usage.of(200, answerTokens))
                .startTime(T0.plusMillis(100)).endTime(T0.plusMillis(endMillis)).build());
        return TraceTree.of(Trace.builder(traceId).name("agent").timestamp(T0).build(), observations, List.of());
    }

    @Test
    void theSameWorkInAnotherRunHasNoChangesThoughIdsAndTimesDiffer() {
        TraceComparison comparison = TraceComparison.of(agent("a", "gpt-4o", 50, 900, "search"),
                agent("b", "gpt-4o", 50, 1_200, "search"));

        assertThat(comparison.changes()).isEmpty();
        assertThat(comparison.sameShape()).isTrue();
        assertThat(comparison.latencyDelta()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void addedRemovedAndChangedObservationsAreNamedByPlaceWithTheFieldsThatChanged() {
        TraceComparison comparison = TraceComparison.of(agent("a", "gpt-4o", 50, 900, "search", "fetch"),
                agent("b", "gpt-4o-mini", 80, 900, "search", "search"));

        assertThat(comparison.changes()).extracting(ObservationChange::kind, ObservationChange::place,
                        ObservationChange::changedFields)
                .containsExactly(
                        tuple(ChangeKind.CHANGED, "AGENT agent > GENERATION draft",
                                List.of("model")),
                        tuple(ChangeKind.ADDED, "AGENT agent > TOOL search #2",
                                List.of()),
                        tuple(ChangeKind.CHANGED, "AGENT agent > GENERATION answer",
                                List.of("model", "usage")),
                        tuple(ChangeKind.REMOVED, "AGENT agent > TOOL fetch",
                                List.of()));
        assertThat(comparison.sameShape()).isFalse();
        assertThat(comparison.tokenDelta()).isEqualTo(30);
    }

    @Test
    void costDeltaCountsAnUnknownCostAsZero() {
        TraceTree before = agent("a", "gpt-4o", 50, 900);
        List<Observation> cheaper = new ArrayList<>(agent("b", "gpt-4o", 50, 900).observations());
        cheaper.replaceAll(o -> o.name().equals("draft") ? o.toBuilder().cost(new Cost(Map.of(Usage.TOTAL, new BigDecimal("0.0005")))).build() : o);
        TraceComparison comparison = TraceComparison.of(before, TraceTree.of(
                Trace.builder("b").name("agent").timestamp(T0).build(), cheaper, List.of()));

        assertThat(comparison.costDelta()).isEqualByComparingTo("-0.0025");
        assertThat(comparison.changes()).singleElement().extracting(ObservationChange::changedFields)
                .isEqualTo(List.of("cost"));
    }

    @Test
    void aLevelOrStatusThatChangedIsReported() {
        TraceTree before = agent("a", "gpt-4o", 50, 900, "search");
        List<Observation> failed = new ArrayList<>(agent("b", "gpt-4o", 50, 900, "search").observations());
        failed.replaceAll(o -> o.name().equals("search")
                ? new Observation(o.id(), o.traceId(), o.parentObservationId(), o.type(), o.name(), o.startTime(),
                        o.endTime(), null, o.input(), null, null, ObservationLevel.ERROR, "timed out", null, null,
                        null, null, null, null, null)
                : o);
        TraceComparison comparison = TraceComparison.of(before,
                TraceTree.of(Trace.builder("b").name("agent").timestamp(T0).build(), failed, List.of()));

        assertThat(comparison.changes()).singleElement().extracting(ObservationChange::changedFields)
                .isEqualTo(List.of("level", "statusMessage"));
    }

    @Test
    void testRunsListTheTestsWhoseOutcomeTokensCostOrShapeChanged() {
        Map<String, TraceTree> traces = Map.of(
                "t1", agent("t1", "gpt-4o", 50, 900, "search"), "t2", agent("t2", "gpt-4o", 50, 900, "search"),
                "t3", agent("t3", "gpt-4o", 50, 900, "search"), "t4", agent("t4", "gpt-4o", 90, 900, "search"),
                "t5", agent("t5", "gpt-4o", 50, 900, "search"), "t6", agent("t6", "gpt-4o", 50, 900, "search", "x"));
        List<TestResult> before = List.of(result("r1", "same", TestStatus.PASSED, "t1"),
                result("r1", "tokens", TestStatus.PASSED, "t3"), result("r1", "shape", TestStatus.PASSED, "t5"),
                result("r1", "outcome", TestStatus.PASSED), result("r1", "gone", TestStatus.PASSED));
        List<TestResult> after = List.of(result("r2", "same", TestStatus.PASSED, "t2"),
                result("r2", "tokens", TestStatus.PASSED, "t4"), result("r2", "shape", TestStatus.PASSED, "t6"),
                result("r2", "outcome", TestStatus.FAILED), result("r2", "new", TestStatus.PASSED));

        TestRunComparison comparison = TestRunComparison.of(before, after,
                id -> Optional.ofNullable(traces.get(id)));

        assertThat(comparison.changes()).extracting(TestRunComparison.TestChange::displayName)
                .containsExactly("tokens", "shape", "outcome", "new", "gone");
        TestRunComparison.TestChange tokens = comparison.changes().get(0);
        assertThat(tokens.tokenDelta()).isEqualTo(40);
        assertThat(tokens.outcomeChanged()).isFalse();
        assertThat(tokens.shapeChanged()).isFalse();
        assertThat(comparison.changes().get(1).shapeChanged()).isTrue();
        assertThat(comparison.changes().get(2).outcomeChanged()).isTrue();
        assertThat(comparison.changes().get(3).before()).isNull();
        assertThat(comparison.changes().get(4).after()).isNull();
    }

    private static TestResult result(String runId, String name, TestStatus status, String... traceIds) {
        return new TestResult(runId + "-" + name, runId, "[test:" + name + "]", "AgentTest", name, name, null,
                List.of(), status, T0, Duration.ofMillis(5), null, List.of(traceIds));
    }
}
