package dev.loupe.assertj;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.junit.CapturedTraces;
import dev.loupe.model.TraceTree;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.InstanceOfAssertFactory;

/**
 * The entry point of Loupe's assertions; it extends AssertJ's {@link Assertions}, so one static import gives both.
 *
 * <pre>
 * import static dev.loupe.assertj.LoupeAssertions.assertThat;
 *
 * assertThat(tree).generation("draft-reply").hasModel("gpt-4o-mini").hasUsage(120, 45);
 * </pre>
 */
public final class LoupeAssertions extends Assertions {

    /**
     * Navigates from a plain AssertJ chain into a trace: {@code assertThat(value).asInstanceOf(TRACE_TREE)}; under
     * soft assertions, {@code softly.assertThat(tree)} keeps the navigation that follows soft too.
     */
    public static final InstanceOfAssertFactory<TraceTree, TraceTreeAssert> TRACE_TREE =
            new InstanceOfAssertFactory<>(TraceTree.class, TraceTreeAssert::new);

    /** Navigates from a plain AssertJ chain into an observation on its own. */
    public static final InstanceOfAssertFactory<Observation, ObservationAssert> OBSERVATION =
            new InstanceOfAssertFactory<>(Observation.class, ObservationAssert::new);

    /** Navigates from a plain AssertJ chain into a model call on its own. */
    public static final InstanceOfAssertFactory<Observation, GenerationAssert> GENERATION =
            new InstanceOfAssertFactory<>(Observation.class, GenerationAssert::new);

    /** Navigates from a plain AssertJ chain into a tool call on its own. */
    public static final InstanceOfAssertFactory<Observation, ToolCallAssert> TOOL_CALL =
            new InstanceOfAssertFactory<>(Observation.class, ToolCallAssert::new);

    /** Navigates from a plain AssertJ chain into a score on its own. */
    public static final InstanceOfAssertFactory<Score, ScoreAssert> SCORE =
            new InstanceOfAssertFactory<>(Score.class, ScoreAssert::new);

    private LoupeAssertions() {
    }

    /** Starts assertions on one trace: its attributes, shape, generations, tool calls, scores and budget. */
    public static TraceTreeAssert assertThat(TraceTree actual) {
        return new TraceTreeAssert(actual);
    }

    /** Starts assertions on the traces a test captured: count, names, each trace, and budgets over all of them. */
    public static CapturedTracesAssert assertThat(CapturedTraces actual) {
        return new CapturedTracesAssert(actual);
    }

    /** Starts budget assertions on several traces at once, such as all the traces a test recorded. */
    public static TracesAssert assertThatTraces(List<TraceTree> actual) {
        return new TracesAssert(actual);
    }
}
