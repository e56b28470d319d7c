package dev.loupe.store;

import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import java.util.List;
import java.util.Optional;

/**
 * Where the JUnit extension keeps its test runs and the outcome of each test, beside the traces the tests produced:
 * reached through {@link TraceStore#testRuns()}. Writes replace what is stored under the same id. Implementations are
 * safe for concurrent use.
 */
public interface TestRunStore {

    /** Writes a test run, replacing the one stored under its id: a run is written when it starts and when it ends. */
    void writeRun(TestRun run);

    /** Writes test results, all or none, replacing those stored under their ids. */
    void writeResults(List<TestResult> results);

    /** Returns one page of test runs, newest first. */
    Page<TestRun> runs(PageRequest page);

    /** Returns one test run. */
    Optional<TestRun> run(String runId);

    /** Returns the results of a test run: failed and aborted first, then by class and display name. */
    List<TestResult> results(String runId);
}
