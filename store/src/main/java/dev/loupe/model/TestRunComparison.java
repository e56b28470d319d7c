package dev.loupe.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Two test runs side by side, such as the previous run on a branch and this one: the tests whose outcome, tokens,
 * cost or tree shape changed, and the tests only one of the runs has. Tests are paired by JUnit's unique id; each
 * test's traces are paired in the order they began.
 *
 * @param changes every test that differs, in the order of the later run, then the tests only the earlier run has
 */
public record TestRunComparison(List<TestChange> changes) {

    /**
     * One test that differs between the runs.
     *
     * @param uniqueId      JUnit's unique id of the test
     * @param displayName   its display name in the later run, or in the earlier one when it was removed
     * @param before        its result in the earlier run, or null when the test is new
     * @param after         its result in the later run, or null when the test is gone
     * @param tokenDelta    tokens of its traces in the later run minus the earlier one
     * @param costDelta     cost of its traces in the later run minus the earlier one, in US dollars
     * @param shapeChanged  whether its traces differ in number, or a trace gained or lost observations
     */
    public record TestChange(String uniqueId, String displayName, TestResult before, TestResult after,
            long tokenDelta, BigDecimal costDelta, boolean shapeChanged) {

        /** Returns whether the test ended otherwise, such as passed before and failed now. */
        public boolean outcomeChanged() {
            return before == null || after == null || before.status() != after.status();
        }
    }

    /** Copies the list of changes. */
    public TestRunComparison {
        changes = List.copyOf(changes);
    }

    /**
     * Compares the results of two runs; {@code traces} finds a trace by id (empty when it is not stored, in which
     * case it counts as no trace).
     */
    public static TestRunComparison of(List<TestResult> before, List<TestResult> after,
            Function<String, Optional<TraceTree>> traces) {
        Objects.requireNonNull(traces, "traces");
        Map<String, TestResult> earlier = new LinkedHashMap<>();
        before.forEach(result -> earlier.put(result.uniqueId(), result));
        List<TestChange> changes = new ArrayList<>();
        List<String> present = new ArrayList<>();
        for (TestResult result : after) {
            present.add(result.uniqueId());
            TestResult old = earlier.get(result.uniqueId());
            List<TraceTree> now = trees(result, traces);
            List<TraceTree> then = old == null ? List.of() : trees(old, traces);
            long tokens = tokens(now) - tokens(then);
            BigDecimal cost = cost(now).subtract(cost(then));
            boolean shape = shapeChanged(then, now);
            TestChange change = new TestChange(result.uniqueId(), result.displayName(), old, result, tokens, cost,
                    shape);
            if (change.outcomeChanged() || tokens != 0 || cost.signum() != 0 || shape) {
                changes.add(change);
            }
        }
        earlier.forEach((id, old) -> {
            if (!present.contains(id)) {
                List<TraceTree> then = trees(old, traces);
                changes.add(new TestChange(id, old.displayName(), old, null, -tokens(then), cost(then).negate(),
                        !then.isEmpty()));
            }
        });
        return new TestRunComparison(changes);
    }

    private static List<TraceTree> trees(TestResult result, Function<String, Optional<TraceTree>> traces) {
        return result.traceIds().stream().map(traces).flatMap(Optional::stream).toList();
    }

    private static long tokens(List<TraceTree> trees) {
        return trees.stream().mapToLong(tree -> tree.stats().totalTokens()).sum();
    }

    private static BigDecimal cost(List<TraceTree> trees) {
        return trees.stream().map(tree -> tree.stats().totalCost()).filter(Objects::nonNull)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static boolean shapeChanged(List<TraceTree> then, List<TraceTree> now) {
        if (then.size() != now.size()) {
            return true;
        }
        for (int i = 0; i < now.size(); i++) {
            if (!TraceComparison.of(then.get(i), now.get(i)).sameShape()) {
                return true;
            }
        }
        return false;
    }
}
