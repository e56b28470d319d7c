package dev.loupe.model;

/** How a test ended. */
public enum TestStatus {
    /** The test ran and passed. */
    PASSED,
    /** The test ran and failed. */
    FAILED,
    /** The test was not run (disabled). */
    SKIPPED,
    /** The test started but was aborted, for example by a failed assumption. */
    ABORTED
}
