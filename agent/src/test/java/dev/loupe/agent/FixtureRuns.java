package dev.loupe.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs fixture tests through the JUnit Platform, as a build would, and fails with the fixtures' own failures. */
final class FixtureRuns {

    private FixtureRuns() {
    }

    /** Runs one fixture test method and checks that it passed. */
    static void assertPasses(Class<?> fixture, String method) {
        assertAllPass(run(selectMethod(fixture, method), Map.of()), 1);
    }

    /** Runs a fixture class with its tests in parallel on this many threads, and checks that all passed. */
    static void assertPassInParallel(Class<?> fixture, int threads, int tests) {
        assertAllPass(run(selectClass(fixture), Map.of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", String.valueOf(threads))), tests);
    }

    private static EngineExecutionResults run(DiscoverySelector selector, Map<String, String> parameters) {
        return EngineTestKit.engine("junit-jupiter").configurationParameters(parameters).selectors(selector)
                .execute();
    }

    private static void assertAllPass(EngineExecutionResults results, int tests) {
        List<Throwable> failures = results.allEvents().failed().stream().map(Event::getPayload)
                .flatMap(Optional::stream).filter(TestExecutionResult.class::isInstance)
                .map(TestExecutionResult.class::cast).map(TestExecutionResult::getThrowable)
                .flatMap(Optional::stream).toList();
        assertThat(failures).as("failures of the fixture").isEmpty();
        assertThat(results.testEvents().succeeded().count()).as("fixture tests that passed").isEqualTo(tests);
    }
}
