package dev.loupe.assertj;

import static dev.loupe.assertj.ExpectedCall.call;
import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.SampleTraces.researchAgent;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Trajectories: the research agent called search, fetch (which failed) and search again. */
class TrajectoryAssertTest {

    private final TraceTree tree = researchAgent();

    @Test
    void strictTrajectoryPassesOnTheSameCallsInTheSameOrder() {
        assertThat(tree).toolCalls().matchesTrajectory(call("search"), call("fetch"), call("search"));
        assertThat(tree).toolCalls().matchesTrajectory(TrajectoryMatch.STRICT, call("TOOL search"), call("fetch"),
                call("search").withArguments(Map.of("query", "loupe retry")));
    }

    @Test
    void strictTrajectoryShowsBothSideBySideAndMarksTheFirstDifference() {
        assertThatThrownBy(() -> assertThat(tree).toolCalls().matchesTrajectory(call("search"), call("search"),
                call("fetch")))
                .hasMessageContaining("Expecting the tool calls of trace 'research-agent'\n"
                        + "  to match the trajectory strictly (the same calls in the same order)\n"
                        + "  but they differ first at call 2: expected search (any arguments), "
                        + "found fetch {\"url\":\"https://example.org\"}.\n"
                        + "Trajectories (> marks the first difference):\n"
                        + "       expected               | actual\n"
                        + "     1 search (any arguments) | search {\"query\":\"loupe\"}\n"
                        + "  >  2 search (any arguments) | fetch {\"url\":\"https://example.org\"}\n"
                        + "  !  3 fetch (any arguments)  | search {\"query\":\"loupe retry\"}\n"
                        + "Trace:\n")
                .hasMessageContaining("TOOL fetch  480 ms  ERROR: rate limited   <-- here");
    }

    @Test
    void strictTrajectoryNamesACallMissingAtTheEnd() {
        assertThatThrownBy(() -> assertThat(tree).toolCalls().matchesTrajectory(call("search"), call("fetch")))
                .hasMessageContaining("but they differ first at call 3: expected no more calls, "
                        + "found search {\"query\":\"loupe retry\"}.")
                .hasMessageContaining("  >  3 -                      | search {\"query\":\"loupe retry\"}");
    }

    @Test
    void unorderedTrajectoryPassesOnTheSameCallsInAnyOrder() {
        assertThat(tree).toolCalls().matchesTrajectory(TrajectoryMatch.UNORDERED, call("fetch"),
                call("search").withArguments(Map.of("query", "loupe retry")), call("search"));
        assertThatThrownBy(() -> assertThat(tree).toolCalls().matchesTrajectory(TrajectoryMatch.UNORDERED,
                call("fetch"), call("search")))
                .hasMessageContaining("to match the trajectory in any order (the same calls, no other)\n"
                        + "  but 1 call was not expected: search {\"query\":\"loupe retry\"}.");
    }

    @Test
    void subsetTrajectoryAllowsOnlyExpectedCalls() {
        assertThat(tree).toolCalls().matchesTrajectory(TrajectoryMatch.SUBSET, call("search"), call("search"),
                call("fetch"), call("summarize"));
        assertThatThrownBy(() -> assertThat(tree).toolCalls().matchesTrajectory(TrajectoryMatch.SUBSET,
                call("search"), call("search")))
                .hasMessageContaining("to match the trajectory as a subset (only calls from the expected ones)\n"
                        + "  but 1 call was not expected: fetch {\"url\":\"https://example.org\"}.")
                .hasMessageContaining("TOOL fetch  480 ms  ERROR: rate limited   <-- here");
    }

    @Test
    void supersetTrajectoryRequiresAtLeastTheExpectedCalls() {
        assertThat(tree).toolCalls().matchesTrajectory(TrajectoryMatch.SUPERSET, call("fetch"));
        assertThatThrownBy(() -> assertThat(tree).toolCalls().matchesTrajectory(TrajectoryMatch.SUPERSET,
                call("fetch"), call("summarize")))
                .hasMessageContaining("to match the trajectory as a superset (at least the expected calls)\n"
                        + "  but 1 expected call was not made: summarize (any arguments).")
                .hasMessageContaining("  >  4 summarize (any arguments) | -");
    }

    @Test
    void argumentsCanBeEqualAsJson() {
        assertThat(tree).toolCalls().matchesTrajectory(TrajectoryMatch.SUPERSET,
                call("fetch").withArgumentsJson("{ \"url\": \"https://example.org\" }"));
        assertThatThrownBy(() -> assertThat(tree).toolCalls().matchesTrajectory(TrajectoryMatch.SUPERSET,
                call("fetch").withArgumentsJson("{\"url\":\"https://example.com\"}")))
                .hasMessageContaining("but 1 expected call was not made: fetch {\"url\":\"https://example.com\"}.");
    }

    @Test
    void argumentsCanBeASubsetOfFields() {
        TraceTree support = SampleTraces.supportAgent();
        assertThat(support).toolCalls().matchesTrajectory(
                call("search_docs").withArgumentsIncluding(Map.of("query", "password reset")));
        assertThat(support).toolCalls().matchesTrajectory(
                call("search_docs").withArgumentsIncludingJson("{\"limit\": 3}"));
        assertThatThrownBy(() -> assertThat(support).toolCalls().matchesTrajectory(
                call("search_docs").withArgumentsIncluding(Map.of("query", "reset"))))
                .hasMessageContaining("but they differ first at call 1: expected search_docs including "
                        + "{\"query\":\"reset\"}, found search_docs {\"query\":\"password reset\",\"limit\":3}.");
    }

    @Test
    void argumentsCanSatisfyAPredicate() {
        assertThat(tree).toolCalls().matchesTrajectory(TrajectoryMatch.SUPERSET, call("search")
                .withArgumentsMatching("the query mentions a retry",
                        arguments -> String.valueOf(((Map<?, ?>) arguments).get("query")).contains("retry")));
        assertThatThrownBy(() -> assertThat(tree).toolCalls().matchesTrajectory(TrajectoryMatch.SUPERSET,
                call("fetch").withArgumentsMatching("the url is secure http", arguments -> false)))
                .hasMessageContaining("but 1 expected call was not made: fetch where the url is secure http.");
    }

    @Test
    void argumentsCanBeIgnored() {
        assertThat(tree).toolCalls().matchesTrajectory(TrajectoryMatch.SUPERSET,
                call("fetch").withArgumentsJson("{}").withAnyArguments());
    }

    @Test
    void anyObservationTypeHasATrajectory() {
        assertThat(tree).generations().matchesTrajectory(call("planner"));
        assertThat(tree).trajectory(ObservationType.CHAIN).matchesTrajectory(call("step"));
        assertThatThrownBy(() -> assertThat(tree).generations().matchesTrajectory(call("planner"), call("critic")))
                .hasMessageContaining("Expecting the generations of trace 'research-agent'\n")
                .hasMessageContaining("but they differ first at call 2: expected critic (any arguments), "
                        + "found no call.");
    }

    @Test
    void aTrajectoryIsStillAListAssertion() {
        assertThat(tree).toolCalls().hasSize(3).extracting(observation -> observation.name())
                .containsExactly("search", "fetch", "search");
    }

    @Test
    void subsetOfFieldsMustBeAJsonObject() {
        assertThatThrownBy(() -> call("fetch").withArgumentsIncludingJson("[1]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("withArgumentsIncludingJson takes a JSON object of the fields to find, but got [1]");
    }
}
