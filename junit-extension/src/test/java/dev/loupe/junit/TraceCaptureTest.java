package dev.loupe.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.loupe.junit.fixtures.AgentOnInstanceFieldFixture;
import dev.loupe.junit.fixtures.AnnotatedFixture;
import dev.loupe.junit.fixtures.DynamicFixture;
import dev.loupe.junit.fixtures.FailingFixture;
import dev.loupe.junit.fixtures.LateThreadFixture;
import dev.loupe.junit.fixtures.LifecycleFixture;
import dev.loupe.junit.fixtures.OpenObservationFixture;
import dev.loupe.junit.fixtures.ParallelFixture;
import dev.loupe.junit.fixtures.RegisteredFixture;
import dev.loupe.junit.fixtures.ReplacedTracerFixture;
import dev.loupe.junit.fixtures.SequentialFixture;
import dev.loupe.junit.fixtures.SessionScoreFixture;
import dev.loupe.junit.fixtures.SoleTestFixture;
import dev.loupe.junit.fixtures.StoreOpenedAheadFixture;
import dev.loupe.junit.fixtures.ServerThreadFixture;
import dev.loupe.junit.fixtures.UnattributedFixture;
import dev.loupe.model.Score;
import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TestStatus;
import dev.loupe.model.TraceSummary;
import dev.loupe.store.PageRequest;
import dev.loupe.store.ScoreQuery;
import dev.loupe.store.StoreInbox;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs fixture test classes through the JUnit Platform and checks what the extension captured and recorded. */
class TraceCaptureTest {

    @TempDir
    Path store;

    private EngineExecutionResults run(Class<?> fixture, Map<String, String> parameters) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("loupe.junit.store", store.toString())
                .configurationParameters(parameters)
                .selectors(selectClass(fixture))
                .execute();
    }

    private EngineExecutionResults run(Class<?> fixture) {
        return run(fixture, Map.of());
    }

    /** Runs the work with standard output captured, and returns what it printed. */
    private static String captureOutput(Runnable work) {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setOut(original);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, String> parallel(int threads) {
        return Map.of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", String.valueOf(threads));
    }

    @Test
    void eachTestSeesOnlyTheTracesItBegan() {
        run(SequentialFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(3).failed(0));
    }

    @Test
    void testsRunningInParallelEachSeeOnlyTheirOwnTracesIncludingWorkOnPropagatingExecutors() {
        run(ParallelFixture.class, parallel(4)).testEvents()
                .assertStatistics(stats -> stats.succeeded(4).failed(0));
    }

    @Test
    void aTraceFromAThreadWithoutContextIsGivenToNoTestWhileSeveralRun() {
        run(UnattributedFixture.class, parallel(2)).testEvents()
                .assertStatistics(stats -> stats.succeeded(2).failed(0));
    }

    @Test
    void workThatAnotherExtensionRunsInATestsContextOnItsOwnThreadsBelongsToThatTest() {
        run(ServerThreadFixture.class, parallel(2)).testEvents()
                .assertStatistics(stats -> stats.succeeded(2).failed(0));
    }

    @Test
    void captureGoesOnWhenTheGlobalTracerIsReplacedAndSeesTracersTheApplicationBuilt() {
        run(ReplacedTracerFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
    }

    @Test
    void aShortRunPutsItsRecordsInTheStoresInboxWithoutStartingTheDatabaseAndTheStoreTakesThemInWhenOpened() {
        run(SequentialFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(3).failed(0));

        assertThat(store.resolve("loupe.mv.db")).as("the database was never started").doesNotExist();
        assertThat(StoreInbox.of(store).waiting()).isEqualTo(1);
        try (TraceStore opened = TraceStore.open(store)) {
            TestRun run = opened.testRuns().runs(PageRequest.first()).items().get(0);
            assertThat(run.endTime()).isNotNull();
            assertThat(run.passed()).isEqualTo(3);
            assertThat(opened.testRuns().results(run.id())).hasSize(3);
            assertThat(opened.traces(TraceQuery.builder().build()).items()).extracting(summary -> summary.trace().name())
                    .containsExactlyInAnyOrder("first", "second", "second-again");
        }
        assertThat(StoreInbox.of(store).waiting()).isZero();
    }

    @Test
    void aRunThatGoesOnOpensTheTestStoreInTheBackgroundWhileItsTestsRun() {
        StoreOpenedAheadFixture.store = store;

        run(StoreOpenedAheadFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @Test
    void aTraceFromAThreadWithoutContextBelongsToTheOnlyTestRunning() {
        run(SoleTestFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
    }

    @Test
    void aTraceBegunAfterItsTestEndedIsReportedAsLateNotGivenToTheNextTest() {
        String output = captureOutput(() -> run(LateThreadFixture.class).testEvents()
                .assertStatistics(stats -> stats.succeeded(2).failed(0)));

        assertThat(output).contains("began after the test they belong to had ended").contains("first(): late-from-first");
        try (TraceStore persisted = TraceStore.open(store)) {
            assertThat(persisted.traces(TraceQuery.builder().name("late-from-first").build()).items())
                    .as("the late trace is kept in the test store").hasSize(1);
        }
    }

    @Test
    void aTraceBegunAfterItsTestEndedIsNotGivenToATestRunningInParallel() {
        run(LateThreadFixture.class, parallel(2)).testEvents()
                .assertStatistics(stats -> stats.succeeded(2).failed(0));
    }

    @Test
    void sessionScoresGivenInsideATestAreCapturedAndPersisted() {
        run(SessionScoreFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));

        try (TraceStore persisted = TraceStore.open(store)) {
            assertThat(persisted.scores(ScoreQuery.builder().sessionId("s-1").build()).items())
                    .extracting(Score::name).containsExactly("resolved");
        }
    }

    @Test
    void sessionScoresOfTestsRunningInParallelGoToTheTestThatGaveThem() {
        run(SessionScoreFixture.class, parallel(2)).testEvents()
                .assertStatistics(stats -> stats.succeeded(2).failed(0));
    }

    @Test
    void lifecycleMethodsNestedParameterizedAndDynamicTestsAreEachAttributedCorrectly() {
        run(LifecycleFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(6).failed(0));
    }

    @Test
    void openObservationsAreVisibleAndSingleAndAwaitCompletedFailWithClearMessages() {
        run(OpenObservationFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(3).failed(0));
    }

    @Test
    void aFailingTestPrintsItsTraceTreeAndKeepsItsOriginalFailure() {
        PrintStream original = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        EngineExecutionResults results;
        try {
            results = run(FailingFixture.class);
        } finally {
            System.setErr(original);
        }
        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        results.testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(AssertionError.class), message(text -> text.contains("something else")))));
        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("Loupe: fails() failed; it captured 1 trace:")
                .contains("trace bad-run")
                .contains("GENERATION answer")
                .doesNotContain("good-run");
    }

    @Test
    void testRunsTheirResultsAndTheirTracesAreWrittenToTheTestStore() {
        run(FailingFixture.class);

        try (TraceStore written = TraceStore.open(store)) {
            TestRun testRun = written.testRuns().runs(PageRequest.first(10)).items().get(0);
            assertThat(testRun.passed()).isEqualTo(1);
            assertThat(testRun.failed()).isEqualTo(1);
            assertThat(testRun.endTime()).isNotNull();
            List<TestResult> results = written.testRuns().results(testRun.id());
            assertThat(results).extracting(TestResult::status).containsExactly(TestStatus.FAILED, TestStatus.PASSED);
            TestResult failed = results.get(0);
            assertThat(failed.testClass()).isEqualTo(FailingFixture.class.getName());
            assertThat(failed.testMethod()).isEqualTo("fails");
            assertThat(failed.failureMessage()).contains("something else");
            assertThat(failed.traceIds()).hasSize(1);

            TraceSummary badRun = written.traces(TraceQuery.builder().name("bad-run").build()).items().get(0);
            assertThat(badRun.trace().id()).isEqualTo(failed.traceIds().get(0));
            assertThat(badRun.stats().observationCount()).isEqualTo(3);
            assertThat(badRun.scores()).filteredOn(score -> score.name().equals("test.passed"))
                    .extracting(Score::isTrue).containsExactly(false);
            assertThat(written.traces(TraceQuery.builder().score("test.passed", 1, 1).build()).items())
                    .extracting(summary -> summary.trace().name()).containsExactly("good-run");
        }
    }

    @Test
    void eachDynamicTestIsRecordedWithItsOutcomeAndTraces() {
        run(DynamicFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));

        try (TraceStore written = TraceStore.open(store)) {
            TestRun testRun = written.testRuns().runs(PageRequest.first(10)).items().get(0);
            assertThat(testRun.passed()).isEqualTo(1);
            assertThat(testRun.failed()).isEqualTo(1);
            List<TestResult> results = written.testRuns().results(testRun.id());
            assertThat(results).extracting(TestResult::displayName, TestResult::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("fails", TestStatus.FAILED),
                            org.assertj.core.groups.Tuple.tuple("answers", TestStatus.PASSED));
            TraceSummary bad = written.traces(TraceQuery.builder().name("dynamic-bad").build()).items().get(0);
            assertThat(results.get(0).traceIds()).containsExactly(bad.trace().id());
            assertThat(bad.scores()).filteredOn(score -> score.name().equals("test.passed"))
                    .extracting(Score::isTrue).containsExactly(false);
        }
    }

    @Test
    void nothingIsWrittenWhenPersistenceIsOff() {
        run(SequentialFixture.class, Map.of("loupe.junit.persist", "false"))
                .testEvents().assertStatistics(stats -> stats.succeeded(3));
        try (TraceStore written = TraceStore.open(store)) {
            assertThat(written.testRuns().runs(PageRequest.first(10)).totalItems()).isZero();
            assertThat(written.traces(TraceQuery.all()).totalItems()).isZero();
        }
    }

    @Test
    void theAnnotationsSettingsWinOverConfigurationParameters() {
        run(AnnotatedFixture.class, Map.of("loupe.junit.persist", "true"))
                .testEvents().assertStatistics(stats -> stats.succeeded(1));
        try (TraceStore written = TraceStore.open(store)) {
            assertThat(written.traces(TraceQuery.all()).totalItems()).isZero();
        }
    }

    @Test
    void anExtensionRegisteredWithTheBuilderWritesToTheStoreItNames(@TempDir Path registered) {
        System.setProperty(RegisteredFixture.STORE_PROPERTY, registered.toString());
        try {
            run(RegisteredFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(1));
        } finally {
            System.clearProperty(RegisteredFixture.STORE_PROPERTY);
        }
        try (TraceStore written = TraceStore.open(registered)) {
            assertThat(written.traces(TraceQuery.builder().name("registered").build()).totalItems()).isEqualTo(1);
            assertThat(written.testRuns().runs(PageRequest.first(10)).items()).singleElement()
                    .satisfies(testRun -> assertThat(testRun.passed()).isEqualTo(1));
        }
    }

    @Test
    void anInvalidConfigurationParameterFailsWithAMessageNamingTheKey() {
        run(SequentialFixture.class, Map.of("loupe.junit.persist", "maybe")).containerEvents().assertThatEvents()
                .haveAtLeastOne(event(finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message("Configuration parameter loupe.junit.persist is 'maybe': use true or false"))));
    }

    @Test
    void askingForTheAgentWithoutLoupeAgentOnTheClassPathFailsSayingWhichDependencyToAdd() {
        run(SequentialFixture.class, Map.of("loupe.junit.installAgent", "true")).containerEvents().assertThatEvents()
                .haveAtLeastOne(event(finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(text -> text.contains("SequentialFixture asks TraceCapture to install the Loupe agent")
                                && text.contains("add the test dependency dev.loupe:loupe-agent")))));
    }

    @Test
    void theBuildersInstallAgentOnAnInstanceFieldIsHonouredBeforeEachTest() {
        run(AgentOnInstanceFieldFixture.class).testEvents().assertThatEvents()
                .haveExactly(1, event(finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(text -> text.contains("add the test dependency dev.loupe:loupe-agent")))));
    }
}
