package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Session;
import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TestStatus;
import dev.loupe.model.TraceSummary;
import dev.loupe.model.TraceTree;
import dev.loupe.store.ObservationQuery;
import dev.loupe.store.PageRequest;
import dev.loupe.store.ScoreQuery;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ObservationType;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo data set, recorded through the tracing API, has what a person exploring the devserver should find. */
class DemoDataTest {

    static final Instant NOW = Instant.parse("2025-05-06T12:00:00Z");

    static TraceStore store;
    static int recorded;

    @BeforeAll
    static void seed() {
        store = TraceStore.inMemory();
        recorded = DemoData.seed(store, NOW);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void recordsTwelveTracesWithinTheHourBeforeNow() {
        List<TraceSummary> traces = store.traces(TraceQuery.all()).items();

        assertThat(recorded).isEqualTo(12);
        assertThat(traces).hasSize(12).allSatisfy(summary -> {
            assertThat(summary.trace().timestamp()).isBetween(NOW.minusSeconds(3_600), NOW);
            assertThat(summary.trace().environment()).isEqualTo(DemoData.ENVIRONMENT);
        });
    }

    @Test
    void recordsASupportAgentThatRetrievesCallsToolsAndModels() {
        TraceTree turn = store.trace(store.traces(TraceQuery.builder().userId("bob@example.org").build())
                .items().get(0).trace().id()).orElseThrow();

        assertThat(turn.name()).isEqualTo("support-agent");
        assertThat(turn.observations()).extracting(Observation::type).contains(ObservationType.GUARDRAIL,
                ObservationType.RETRIEVER, ObservationType.EMBEDDING, ObservationType.GENERATION,
                ObservationType.TOOL, ObservationType.EVALUATOR);
        assertThat(turn.findByPath("support-agent > search-knowledge-base > embed-query")).isPresent();
        assertThat(turn.generations()).allSatisfy(generation -> {
            assertThat(generation.model()).isNotBlank();
            assertThat(generation.usage().total()).isPositive();
            assertThat(generation.cost().total()).isPositive();
            assertThat(generation.input()).startsWith("[{").contains("\"role\":\"system\"");
        });
    }

    @Test
    void recordsAConversationOfThreeTurnsScoredAsAWhole() {
        Session session = store.session("chat-7f3a9c-alice").orElseThrow();

        assertThat(session.traces()).hasSize(3);
        assertThat(session.traces()).extracting(summary -> summary.trace().input()).first().asString()
                .contains("tent pole is snapped");
        assertThat(session.scores()).extracting(Score::name).containsExactlyInAnyOrder("resolved",
                "turns-to-resolution");
    }

    @Test
    void recordsAFailingRunWithItsErrors() {
        List<TraceSummary> failed = store.traces(TraceQuery.builder().hasError(true).build()).items();

        assertThat(failed).hasSize(1);
        TraceTree trace = store.trace(failed.get(0).trace().id()).orElseThrow();
        assertThat(trace.errors()).extracting(Observation::name)
                .containsExactly("support-agent", "lookup_invoices", "lookup_invoices");
        assertThat(trace.root().statusMessage()).contains("Gave up on lookup_invoices");
        assertThat(trace.find("lookup_invoices").orElseThrow().statusMessage())
                .isEqualTo("billing-api did not answer within 5000 ms");
    }

    @Test
    void recordsSeveralUsersTagsReleasesAndKindsOfScores() {
        List<TraceSummary> traces = store.traces(TraceQuery.all()).items();

        assertThat(traces.stream().map(summary -> summary.trace().userId()).collect(Collectors.toSet()))
                .hasSizeGreaterThanOrEqualTo(5);
        assertThat(traces.stream().flatMap(summary -> summary.trace().tags().stream()).collect(Collectors.toSet()))
                .contains("support", "refund", "billing", "shipping", "security", "internal");
        assertThat(traces.stream().map(summary -> summary.trace().release()).collect(Collectors.toSet()))
                .isEqualTo(Set.of("2.4.0", "2.3.1"));
        assertThat(store.scores(ScoreQuery.builder().page(PageRequest.first(1000)).build()).items())
                .extracting(score -> score.dataType().name()).contains("NUMERIC", "BOOLEAN", "CATEGORICAL");
    }

    @Test
    void recordsAWarningForEachBlockedPromptInjection() {
        List<Observation> warnings = store.observations(ObservationQuery.builder()
                .level(dev.loupe.trace.ObservationLevel.WARNING).build()).items();

        assertThat(warnings).extracting(Observation::name).hasSize(3).containsOnly("prompt-injection-check");
    }

    @Test
    void recordsATestRunOfTheAgentsSuiteWithOneFailedTest() {
        TestRun run = store.testRuns().runs(PageRequest.first(10)).items().get(0);

        assertThat(run.gitBranch()).isEqualTo("fix/refund-ids");
        assertThat(run.gitCommit()).hasSize(40);
        assertThat(List.of(run.passed(), run.failed(), run.skipped(), run.aborted())).containsExactly(3, 1, 1, 1);
        assertThat(run.startTime()).isBetween(NOW.minusSeconds(3_600), run.endTime());
        List<TestResult> results = store.testRuns().results(run.id());
        assertThat(results).hasSize(run.total());
        assertThat(results).filteredOn(result -> result.status() == TestStatus.FAILED).singleElement()
                .satisfies(failed -> {
                    assertThat(failed.testMethod()).isEqualTo("issuesRefundForDamagedItems");
                    assertThat(failed.failureMessage()).contains("to contain", "RF-");
                });
        assertThat(results).filteredOn(result -> result.parameters() != null)
                .extracting(TestResult::displayName).allSatisfy(name -> assertThat(name).startsWith("["))
                .hasSize(2);
    }

    @Test
    void linksEachTestToTheTraceItRecordedWhichCarriesItsOutcome() {
        TestRun run = store.testRuns().runs(PageRequest.first(10)).items().get(0);
        List<TestResult> ran = store.testRuns().results(run.id()).stream()
                .filter(result -> result.status() == TestStatus.PASSED || result.status() == TestStatus.FAILED)
                .toList();

        assertThat(ran).hasSize(4).allSatisfy(result -> {
            assertThat(result.traceIds()).hasSize(1);
            TraceTree trace = store.trace(result.traceIds().get(0)).orElseThrow();
            assertThat(trace.trace().environment()).isEqualTo(DemoData.ENVIRONMENT);
            assertThat(trace.scores()).filteredOn(score -> score.name().equals("test.passed")).singleElement()
                    .satisfies(score -> {
                        assertThat(score.isTrue()).isEqualTo(result.status() == TestStatus.PASSED);
                        assertThat(score.source()).isEqualTo("TEST");
                    });
        });
    }

    @Test
    void recordsNothingIntoAStoreThatHoldsTheDemoAlready() {
        assertThat(DemoData.seed(store, NOW)).isZero();
        assertThat(store.traces(TraceQuery.all()).totalItems()).isEqualTo(12);
        assertThat(store.testRuns().runs(PageRequest.first(10)).totalItems()).isEqualTo(1);
    }
}
