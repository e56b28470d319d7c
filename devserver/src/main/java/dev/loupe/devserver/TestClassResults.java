package dev.loupe.devserver;

import dev.loupe.model.TestResult;
import dev.loupe.model.TestStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of one test class in a test run, as the run page shows them: a person looking at a run wants what
 * broke first, so classes with failed tests come first, then those with aborted ones, then the rest by name.
 *
 * @param testClass the class name, or null for tests the engine ran without a class
 * @param results   its results in the store's order: failed and aborted first, then by display name
 */
record TestClassResults(String testClass, List<TestResult> results) {

    private static final Comparator<TestClassResults> FAILURES_FIRST = Comparator
            .comparingInt(TestClassResults::rank)
            .thenComparing(TestClassResults::testClass, Comparator.nullsLast(Comparator.naturalOrder()));

    TestClassResults {
        results = List.copyOf(results);
    }

    /** Groups a run's results by test class, keeping their order within each class. */
    static List<TestClassResults> of(List<TestResult> results) {
        Map<String, List<TestResult>> byClass = new LinkedHashMap<>();
        for (TestResult result : results) {
            byClass.computeIfAbsent(result.testClass(), name -> new ArrayList<>()).add(result);
        }
        return byClass.entrySet().stream()
                .map(entry -> new TestClassResults(entry.getKey(), entry.getValue()))
                .sorted(FAILURES_FIRST)
                .toList();
    }

    /** Returns how many of its tests ended with this status. */
    int count(TestStatus status) {
        return (int) results.stream().filter(result -> result.status() == status).count();
    }

    /** Returns the time its tests took together, leaving out those whose duration is unknown. */
    Duration duration() {
        return results.stream().map(TestResult::duration).filter(duration -> duration != null)
                .reduce(Duration.ZERO, Duration::plus);
    }

    private int rank() {
        if (count(TestStatus.FAILED) > 0) {
            return 0;
        }
        return count(TestStatus.ABORTED) > 0 ? 1 : 2;
    }
}
