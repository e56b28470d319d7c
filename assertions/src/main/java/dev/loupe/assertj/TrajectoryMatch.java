package dev.loupe.assertj;

/**
 * How an actual trajectory (the calls a trace made, in the order they started) must match the expected one in
 * {@link TrajectoryAssert#matchesTrajectory(TrajectoryMatch, ExpectedCall...)}.
 */
public enum TrajectoryMatch {

    /** The same calls in the same order, and no other call. */
    STRICT("strictly (the same calls in the same order)"),
    /** The same calls in any order, and no other call. */
    UNORDERED("in any order (the same calls, no other)"),
    /** Only calls from the expected ones, each expected call used at most once; some may be missing. */
    SUBSET("as a subset (only calls from the expected ones)"),
    /** At least the expected calls, in any order; other calls allowed. */
    SUPERSET("as a superset (at least the expected calls)");

    private final String description;

    TrajectoryMatch(String description) {
        this.description = description;
    }

    /** Returns how a failure message names the mode, such as {@code strictly (the same calls in the same order)}. */
    String description() {
        return description;
    }
}
