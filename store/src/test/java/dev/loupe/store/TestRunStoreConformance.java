package dev.loupe.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TestStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TestRunStore} must have. {@link TraceStoreConformanceTest} runs it against the test runs
 * of each trace store implementation, so no implementation can skip it.
 */
abstract class TestRunStoreConformance {

    /** A start instant with microseconds, so that every round trip also checks that they are kept. */
    static final Instant START = Instant.parse("2025-05-01T09:00:00.123456Z");

    /** Returns the test runs of the empty store under test. */
    abstract TestRunStore testRuns();

    /** Closes the store under test. */
    abstract void closeStore();

    static Instant at(long seconds) {
        return START.plusSeconds(seconds);
    }

    static TestRun run(String id, Instant start) {
        return new TestRun(id, start, null, null, null, 0, 0, 0, 0);
    }

    static TestResult result(String id, String runId, String testClass, String displayName, TestStatus status) {
        return new TestResult(id, runId,
                "[engine:junit-jupiter]/[class:" + testClass + "]/[method:" + displayName + "]", testClass,
                displayName.replace("()", ""), displayName, null, List.of(), status, START, Duration.ofMillis(250),
                status == TestStatus.PASSED ? null : "expected 1 but was 2", List.of());
    }

    TestRun storedRun(String runId) {
        return testRuns().run(runId).orElseThrow(() -> new AssertionError("Expecting test run " + runId
                + " to be stored, but it is not"));
    }

    List<String> resultIds(String runId) {
        return testRuns().results(runId).stream().map(TestResult::id).toList();
    }

    @Test
    void everyFieldOfARunRoundTrips() {
        TestRun run = new TestRun("run-1", START, at(7).plusNanos(250_000), "0123456789abcdef0123456789abcdef01234567",
                "fix/cancel", 3, 1, 1, 1);

        testRuns().writeRun(run);

        assertThat(storedRun("run-1")).isEqualTo(run);
    }

    @Test
    void aRunWrittenAgainReplacesTheStoredOne() {
        testRuns().writeRun(new TestRun("run-1", START, null, "abc", "main", 0, 0, 0, 0));
        TestRun finished = new TestRun("run-1", START, at(4), "abc", "main", 2, 1, 0, 0);

        testRuns().writeRun(finished);

        assertThat(storedRun("run-1")).isEqualTo(finished);
        assertThat(testRuns().runs(PageRequest.first()).totalItems()).isEqualTo(1);
    }

    @Test
    void runsAreListedNewestFirst() {
        testRuns().writeRun(run("middle", at(2)));
        testRuns().writeRun(run("newest", at(3)));
        testRuns().writeRun(run("oldest", at(1)));

        assertThat(testRuns().runs(PageRequest.first()).items()).extracting(TestRun::id)
                .containsExactly("newest", "middle", "oldest");
    }

    @Test
    void runsArePagedWithTotalCounts() {
        for (int i = 1; i <= 5; i++) {
            testRuns().writeRun(run("run-" + i, at(i)));
        }

        Page<TestRun> page = testRuns().runs(PageRequest.of(2, 2));

        assertThat(page.items()).extracting(TestRun::id).containsExactly("run-3", "run-2");
        assertThat(page.page()).isEqualTo(2);
        assertThat(page.limit()).isEqualTo(2);
        assertThat(page.totalItems()).isEqualTo(5);
        assertThat(page.totalPages()).isEqualTo(3);
    }

    @Test
    void anEmptyStoreListsNoRuns() {
        Page<TestRun> page = testRuns().runs(PageRequest.first());

        assertThat(page.items()).isEmpty();
        assertThat(page.totalItems()).isZero();
    }

    @Test
    void anUnknownRunIsAbsentAndHasNoResults() {
        testRuns().writeRun(run("run-1", START));

        assertThat(testRuns().run("no-such-run")).isEmpty();
        assertThat(testRuns().results("no-such-run")).isEmpty();
    }

    @Test
    void everyFieldOfAResultRoundTrips() {
        TestResult result = new TestResult("result-1", "run-1",
                "[engine:junit-jupiter]/[class:shop.SummarizerTest]/[test-template:summarizes(String)]"
                        + "/[test-template-invocation:#1]",
                "shop.SummarizerTest", "summarizes", "[1] ticket 7", "ticket 7", List.of("slow", "llm"),
                TestStatus.FAILED, at(2), Duration.ofMillis(1_234).plusNanos(500_000),
                "expected \"refund\" but was \"cancel\"", List.of("trace-1", "trace-2"));
        testRuns().writeRun(run("run-1", START));

        testRuns().writeResults(List.of(result));

        assertThat(testRuns().results("run-1")).containsExactly(result);
    }

    @Test
    void aResultWithoutItsOptionalFieldsRoundTrips() {
        TestResult dynamic = new TestResult("result-1", "run-1", "[engine:junit-jupiter]/[dynamic-test:#1]",
                "shop.FactoryTest", null, "dynamic", null, List.of(), TestStatus.PASSED, START, null, null,
                List.of());

        testRuns().writeResults(List.of(dynamic));

        assertThat(testRuns().results("run-1")).containsExactly(dynamic);
    }

    @Test
    void resultsWrittenAgainReplaceTheStoredOnes() {
        testRuns().writeResults(List.of(result("result-1", "run-1", "shop.A", "a()", TestStatus.PASSED)));
        TestResult failed = result("result-1", "run-1", "shop.A", "a()", TestStatus.FAILED);

        testRuns().writeResults(List.of(failed));

        assertThat(testRuns().results("run-1")).containsExactly(failed);
    }

    @Test
    void resultsListFailedAndAbortedFirstThenByClassAndDisplayName() {
        testRuns().writeResults(List.of(
                result("passed-b", "run-1", "shop.B", "b()", TestStatus.PASSED),
                result("skipped-a", "run-1", "shop.A", "z()", TestStatus.SKIPPED),
                result("aborted-b", "run-1", "shop.B", "a()", TestStatus.ABORTED),
                result("passed-a", "run-1", "shop.A", "a()", TestStatus.PASSED),
                result("failed-c", "run-1", "shop.C", "c()", TestStatus.FAILED),
                result("failed-a", "run-1", "shop.A", "y()", TestStatus.FAILED)));

        assertThat(resultIds("run-1"))
                .containsExactly("failed-a", "aborted-b", "failed-c", "passed-a", "skipped-a", "passed-b");
    }

    @Test
    void theResultsOfARunAreOnlyItsOwn() {
        testRuns().writeResults(List.of(result("mine", "run-1", "shop.A", "a()", TestStatus.PASSED),
                result("theirs", "run-2", "shop.A", "a()", TestStatus.PASSED)));

        assertThat(resultIds("run-1")).containsExactly("mine");
        assertThat(resultIds("run-2")).containsExactly("theirs");
    }

    @Test
    void writingNoResultsStoresNothing() {
        testRuns().writeResults(List.of());

        assertThat(testRuns().results("run-1")).isEmpty();
    }

    @Test
    void resultsAreWrittenAllOrNone() {
        TestResult fine = result("fine", "run-1", "shop.A", "a()", TestStatus.PASSED);
        TestResult withoutStart = new TestResult("without-start", "run-1", "[engine:junit-jupiter]/[method:b()]",
                "shop.A", "b", "b()", null, List.of(), TestStatus.PASSED, null, null, null, List.of());

        assertThatThrownBy(() -> testRuns().writeResults(List.of(fine, withoutStart)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("test result without-start")
                .hasMessageContaining("START_TIME")
                .hasMessageContaining("Give the value named above");

        assertThat(testRuns().results("run-1")).isEmpty();
    }

    @Test
    void aClosedStoreRefusesTestRunsAndSaysItIsClosed() {
        closeStore();

        assertThatThrownBy(() -> testRuns().writeRun(run("run-1", START)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> testRuns().runs(PageRequest.first()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
