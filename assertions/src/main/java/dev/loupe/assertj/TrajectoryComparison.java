package dev.loupe.assertj;

import dev.loupe.model.Observation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares an actual trajectory with an expected one in a {@link TrajectoryMatch} mode, and lays the two out side by
 * side for the failure message: row by row, matched calls on the same row, the first difference marked.
 */
final class TrajectoryComparison {

    /** One row of the side-by-side table: an expected call, an actual call, or both; null where a side is empty. */
    record Row(ExpectedCall expected, Observation actual, boolean differs) {
    }

    private final TrajectoryMatch mode;
    private final List<ExpectedCall> expected;
    private final List<Observation> actual;
    private final List<Row> rows = new ArrayList<>();
    private final boolean matches;

    private TrajectoryComparison(TrajectoryMatch mode, List<ExpectedCall> expected, List<Observation> actual) {
        this.mode = mode;
        this.expected = expected;
        this.actual = actual;
        this.matches = mode == TrajectoryMatch.STRICT ? compareInOrder() : compareAsSets();
    }

    /** Compares the actual calls, in start order, with the expected ones. */
    static TrajectoryComparison of(TrajectoryMatch mode, List<ExpectedCall> expected, List<Observation> actual) {
        return new TrajectoryComparison(mode, List.copyOf(expected), List.copyOf(actual));
    }

    boolean matches() {
        return matches;
    }

    TrajectoryMatch mode() {
        return mode;
    }

    List<Row> rows() {
        return rows;
    }

    /** Returns the first row that differs, or null when none does. */
    Row firstDifference() {
        return rows.stream().filter(Row::differs).findFirst().orElse(null);
    }

    /** Returns the number of the first row that differs, from 1. */
    int firstDifferenceNumber() {
        return rows.indexOf(firstDifference()) + 1;
    }

    private boolean compareInOrder() {
        boolean same = true;
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            ExpectedCall wanted = i < expected.size() ? expected.get(i) : null;
            Observation found = i < actual.size() ? actual.get(i) : null;
            boolean differs = wanted == null || found == null || !wanted.matches(found);
            rows.add(new Row(wanted, found, differs));
            same &= !differs;
        }
        return same;
    }

    private boolean compareAsSets() {
        int[] actualOf = match();
        boolean[] used = new boolean[actual.size()];
        boolean missing = false;
        boolean unexpected = false;
        List<Row> unmatchedExpected = new ArrayList<>();
        Row[] byActual = new Row[actual.size()];
        for (int e = 0; e < expected.size(); e++) {
            if (actualOf[e] >= 0) {
                used[actualOf[e]] = true;
                byActual[actualOf[e]] = new Row(expected.get(e), actual.get(actualOf[e]), false);
            } else {
                missing = true;
                unmatchedExpected.add(new Row(expected.get(e), null, mode != TrajectoryMatch.SUBSET));
            }
        }
        for (int a = 0; a < actual.size(); a++) {
            if (!used[a]) {
                unexpected = true;
                byActual[a] = new Row(null, actual.get(a), mode != TrajectoryMatch.SUPERSET);
            }
        }
        rows.addAll(Arrays.asList(byActual));
        rows.addAll(unmatchedExpected);
        return switch (mode) {
            case UNORDERED -> !missing && !unexpected;
            case SUBSET -> !unexpected;
            case SUPERSET -> !missing;
            case STRICT -> throw new IllegalStateException("strict trajectories are compared in order");
        };
    }

    /** Pairs each expected call with its own actual call where possible (Kuhn's augmenting paths). */
    private int[] match() {
        int[] actualOf = new int[expected.size()];
        int[] expectedOf = new int[actual.size()];
        Arrays.fill(actualOf, -1);
        Arrays.fill(expectedOf, -1);
        for (int e = 0; e < expected.size(); e++) {
            augment(e, new boolean[actual.size()], actualOf, expectedOf);
        }
        return actualOf;
    }

    private boolean augment(int e, boolean[] visited, int[] actualOf, int[] expectedOf) {
        for (int a = 0; a < actual.size(); a++) {
            if (!visited[a] && expected.get(e).matches(actual.get(a))) {
                visited[a] = true;
                if (expectedOf[a] < 0 || augment(expectedOf[a], visited, actualOf, expectedOf)) {
                    actualOf[e] = a;
                    expectedOf[a] = e;
                    return true;
                }
            }
        }
        return false;
    }
}
