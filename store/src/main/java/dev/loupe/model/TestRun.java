package dev.loupe.model;

import java.io.Serializable;
import java.time.Instant;

/**
 * One run of a test suite as the JUnit extension records it: when, on which commit, and how many tests ended how.
 *
 * @param id        the run id
 * @param startTime when the run began
 * @param endTime   when it ended, or null while it runs (or when the JVM died)
 * @param gitCommit the commit the tests ran on, or null when unknown
 * @param gitBranch the branch the tests ran on, or null when unknown
 * @param passed    tests that passed
 * @param failed    tests that failed
 * @param skipped   tests that were skipped
 * @param aborted   tests that were aborted
 */
public record TestRun(
        String id,
        Instant startTime,
        Instant endTime,
        String gitCommit,
        String gitBranch,
        int passed,
        int failed,
        int skipped,
        int aborted) implements Serializable {

    /** Checks the id. */
    public TestRun {
        Ids.require(id, "test run id");
    }

    /** Returns how many tests the run recorded. */
    public int total() {
        return passed + failed + skipped + aborted;
    }
}
