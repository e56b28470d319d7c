package dev.loupe.assertj;

import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.ListAssert;
import org.assertj.core.internal.Failures;

/**
 * Assertions on a trajectory: the calls of one kind a trace made (tool calls, generations...), in the order they
 * started. It is a list assertion too, so {@code extracting} and {@code filteredOn} work as usual. Obtained with
 * {@link TraceTreeAssert#toolCalls()}, {@link TraceTreeAssert#generations()} or
 * {@link TraceTreeAssert#trajectory(dev.loupe.trace.ObservationType)}.
 *
 * <pre>
 * assertThat(tree).toolCalls().matchesTrajectory(TrajectoryMatch.STRICT,
 *         call("search_docs").withArgumentsIncluding(Map.of("query", "password reset")),
 *         call("create_ticket"));
 * </pre>
 *
 * <p>A failure prints the expected and the actual trajectory side by side, marks the first difference with
 * {@code >}, and draws the trace with the call concerned marked.
 */
// Not final: AssertJ's soft assertions subclass it (a proxy) to collect its failures.
public class TrajectoryAssert extends ListAssert<Observation> {

    private TraceTree tree;
    private String kind = "calls";

    /** Creates the assertion on calls in start order; prefer navigating from {@code assertThat(tree)}. */
    public TrajectoryAssert(List<? extends Observation> actual) {
        super(actual);
    }

    /** Places the calls in their trace and names their kind, such as {@code tool calls}. */
    TrajectoryAssert within(TraceTree trace, String kindOfCalls) {
        this.tree = trace;
        this.kind = kindOfCalls;
        return this;
    }

    /** Verifies that the calls match the expected ones strictly: the same calls in the same order, no other. */
    public TrajectoryAssert matchesTrajectory(ExpectedCall... expected) {
        return matchesTrajectory(TrajectoryMatch.STRICT, expected);
    }

    /** Verifies that the calls match the expected ones in the mode: strict, unordered, subset or superset. */
    public TrajectoryAssert matchesTrajectory(TrajectoryMatch mode, ExpectedCall... expected) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(expected, "expected");
        isNotNull();
        List<ExpectedCall> calls = Arrays.asList(expected);
        calls.forEach(call -> Objects.requireNonNull(call, "an expected call is null"));
        @SuppressWarnings("unchecked")
        List<Observation> observations = (List<Observation>) actual;
        TrajectoryComparison comparison = TrajectoryComparison.of(mode, calls, observations);
        if (!comparison.matches()) {
            // not failure(): the message names the trajectory itself, without the list's description before it
            throw Failures.instance().failure(LoupeErrors.shouldMatchTrajectory(tree, kind, comparison));
        }
        return this;
    }
}
