package dev.loupe.assertj;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.TraceTree;
import java.util.List;
import java.util.function.Function;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Creates the assertions that navigation returns ({@code generation(name)}, {@code score(name)},
 * {@code toolCalls()}...): plain ones, or, under soft assertions, proxies that collect their failures too.
 *
 * <p>When navigation finds nothing, a plain assertion fails at once; a soft one records the failure and returns an
 * assertion on nothing, whose checks each report that they could not run, so that the test goes on to its end.
 */
final class Navigation {

    /** Navigation of plain assertions: failures are thrown. */
    static final Navigation STRICT = new Navigation(null);

    private final SoftAssertionsProvider softly;

    private Navigation(SoftAssertionsProvider softly) {
        this.softly = softly;
    }

    /** Returns the navigation of soft assertions that collect their failures in the provider. */
    static Navigation softly(SoftAssertionsProvider provider) {
        return new Navigation(provider);
    }

    /** Returns an assertion on an observation of the tree. */
    <A extends AbstractObservationAssert<A, Observation>> A to(Class<A> type, Function<Observation, A> create,
            Observation observation, TraceTree tree) {
        A created = softly == null ? create.apply(observation) : softly.proxy(type, Observation.class, observation);
        return created.within(tree, this);
    }

    /** Fails a navigation that found no observation: at once, or recorded with an assertion on nothing returned. */
    <A extends AbstractObservationAssert<A, Observation>> A toMissing(Class<A> type, Function<Observation, A> create,
            TraceTree tree, String what, AssertionError failure) {
        if (softly == null) {
            throw failure;
        }
        softly.collectAssertionError(failure);
        return to(type, create, null, tree).missing(what);
    }

    /** Returns an assertion on a score of the trace (owner null) or of one of its observations. */
    ScoreAssert toScore(Score score, TraceTree tree, Observation owner) {
        ScoreAssert created = softly == null ? new ScoreAssert(score) : softly.proxy(ScoreAssert.class, Score.class, score);
        return created.within(tree, owner);
    }

    /** Fails a navigation that found no score, like {@link #toMissing}. */
    ScoreAssert toMissingScore(TraceTree tree, Observation owner, String what, AssertionError failure) {
        if (softly == null) {
            throw failure;
        }
        softly.collectAssertionError(failure);
        return toScore(null, tree, owner).missing(what);
    }

    /** Returns a list assertion on observations of the tree, which names them by type, name and path. */
    @SuppressWarnings("unchecked")
    ListAssert<Observation> toList(List<Observation> observations, TraceTree tree, String description) {
        ListAssert<Observation> created = softly == null ? Assertions.assertThat(observations)
                : softly.proxy(ListAssert.class, List.class, observations);
        return created.as(description).withRepresentation(new ObservationRepresentation(tree));
    }

    /** Returns a trajectory assertion on calls of the tree in start order, such as its tool calls. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    TrajectoryAssert toTrajectory(List<Observation> calls, TraceTree tree, String kind) {
        // raw: AssertJ's proxy() wants SELF to be the assertion's own self type, which ListAssert fixes already
        TrajectoryAssert created = softly == null ? new TrajectoryAssert(calls)
                : (TrajectoryAssert) softly.proxy((Class) TrajectoryAssert.class, List.class, calls);
        created.as(kind + " of " + LoupeErrors.trace(tree)).withRepresentation(new ObservationRepresentation(tree));
        return created.within(tree, kind);
    }

    /** Returns the assertion on a list of traces. */
    TracesAssert toTraces(List<TraceTree> trees) {
        return softly == null ? new TracesAssert(trees) : softly.proxy(TracesAssert.class, List.class, trees);
    }
}
