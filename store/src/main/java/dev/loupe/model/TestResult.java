package dev.loupe.model;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one test and the traces it produced, as the JUnit extension records it.
 *
 * @param id             the result id
 * @param runId          the run it belongs to
 * @param uniqueId       JUnit's unique id of the test
 * @param testClass      the test class name
 * @param testMethod     the test method name, or null for a dynamic test
 * @param displayName    the display name, with the invocation's parameters for parameterized tests
 * @param parameters     the arguments of a parameterized invocation as text, or null
 * @param tags           the test's JUnit tags
 * @param status         how it ended
 * @param startTime      when it began
 * @param duration       how long it took
 * @param failureMessage why it failed or was aborted, or null
 * @param traceIds       the traces it produced
 */
public record TestResult(
        String id,
        String runId,
        String uniqueId,
        String testClass,
        String testMethod,
        String displayName,
        String parameters,
        List<String> tags,
        TestStatus status,
        Instant startTime,
        Duration duration,
        String failureMessage,
        List<String> traceIds) implements Serializable {

    /** Checks the ids and copies the lists. */
    public TestResult {
        Ids.require(id, "test result id");
        Ids.require(runId, "test run id");
        tags = tags == null ? List.of() : List.copyOf(tags);
        traceIds = traceIds == null ? List.of() : List.copyOf(traceIds);
    }
}
