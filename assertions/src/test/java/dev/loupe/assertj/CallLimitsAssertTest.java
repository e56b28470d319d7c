package dev.loupe.assertj;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.LoupeAssertions.assertThatTraces;
import static dev.loupe.assertj.SampleTraces.researchAgent;
import static dev.loupe.assertj.SampleTraces.supportAgent;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.model.TraceTree;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Limits on calls: tool calls in all and per tool, model requests, repeated tool calls, tool calls after an error. */
class CallLimitsAssertTest {

    private final TraceTree research = researchAgent();

    @Test
    void toolCallsInAllAreLimited() {
        assertThat(research).hasToolCallsAtMost(3);
        assertThatThrownBy(() -> assertThat(research).hasToolCallsAtMost(2))
                .hasMessageContaining("Expecting trace 'research-agent'\n"
                        + "  to stay within the budget of at most 2 tool calls\n"
                        + "  but it made 3 tool calls; the first beyond the limit is tool call 'search' at "
                        + "research-agent > search.")
                .hasMessageContaining("└─ TOOL search  80 ms   <-- here");
    }

    @Test
    void callsOfOneToolAreLimited() {
        assertThat(research).hasToolCallsAtMost("search", 2).hasToolCallsAtMost("fetch", 1);
        assertThatThrownBy(() -> assertThat(research).hasToolCallsAtMost("search", 1))
                .hasMessageContaining("to stay within the budget of at most 1 call of 'search'\n"
                        + "  but it called 'search' 2 times; the first call beyond the limit is at "
                        + "research-agent > search.");
    }

    @Test
    void aLimitOfZeroForbidsATool() {
        assertThat(research).hasToolCallsAtMost("delete_index", 0);
        assertThatThrownBy(() -> assertThat(research).hasToolCallsAtMost("fetch", 0))
                .hasMessageContaining("to stay within the budget of at most 0 calls of 'fetch'\n"
                        + "  but it called 'fetch' once; the first call beyond the limit is at "
                        + "research-agent > step > fetch.");
    }

    @Test
    void modelRequestsAreLimited() {
        TraceTree support = supportAgent();
        assertThat(support).hasModelRequestsAtMost(2);
        assertThatThrownBy(() -> assertThat(support).hasModelRequestsAtMost(1))
                .hasMessageContaining("to stay within the budget of at most 1 model request\n"
                        + "  but it made 2 model requests; the first beyond the limit is generation 'final-answer' "
                        + "at support-agent > final-answer.")
                .hasMessageContaining("GENERATION final-answer  540 ms");
    }

    @Test
    void toolCallsAreCountedOverAllTraces() {
        TraceTree second = SampleTraces.renamed(research, "0af7651916cd43dd8448eb211c80319c", "research-agent-2");
        assertThatTraces(List.of(research, second)).isWithinBudget(Budget.builder().maxToolCalls(6).build());
        assertThatThrownBy(() -> assertThatTraces(List.of(research, second))
                .isWithinBudget(Budget.builder().maxToolCalls(4).build()))
                .hasMessageContaining("but they made 6 tool calls; the first beyond the limit is tool call 'fetch'");
    }

    @Test
    void aToolCalledTwiceWithTheSameArgumentsIsARepeat() {
        assertThat(research).hasNoRepeatedToolCalls();
        TraceTree repeated = SampleTraces.tree(List.of(
                SampleTraces.span("agent", null, "agent", 0, 100).build(),
                SampleTraces.observation("a", "agent", dev.loupe.trace.ObservationType.TOOL, "search", 10, 20)
                        .input("{\"query\":\"loupe\",\"limit\":3}").build(),
                SampleTraces.observation("b", "agent", dev.loupe.trace.ObservationType.TOOL, "search", 30, 40)
                        .input("{\"limit\":3,\"query\":\"loupe\"}").build()));
        assertThatThrownBy(() -> assertThat(repeated).hasNoRepeatedToolCalls())
                .hasMessageContaining("to stay within the budget of no repeated identical tool call\n"
                        + "  but 'search' was called twice with the same arguments {\"limit\":3,\"query\":\"loupe\"}: "
                        + "first at agent > search (trace 'trace'), again at agent > search.")
                .hasMessageContaining("└─ TOOL search  10 ms   <-- here");
    }

    @Test
    void noToolMayBeCalledAfterAnError() {
        assertThat(supportAgent()).hasNoToolCallAfterError();
        assertThatThrownBy(() -> assertThat(research).hasNoToolCallAfterError())
                .hasMessageContaining("to stay within the budget of no tool call after an error\n"
                        + "  but tool call 'search' at research-agent > search started after tool call 'fetch' at "
                        + "research-agent > step > fetch failed (rate limited).")
                .hasMessageContaining("└─ TOOL search  80 ms   <-- here");
    }

    @Test
    void callLimitsCannotBeNegative() {
        assertThatThrownBy(() -> Budget.builder().maxToolCalls(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxToolCalls is -1: a budget cannot be negative");
        assertThatThrownBy(() -> Budget.builder().maxCallsOf("search", -2))
                .hasMessage("maxCallsOf(\"search\") is -2: a budget cannot be negative");
        assertThatThrownBy(() -> Budget.builder().maxModelRequests(-3))
                .hasMessage("maxModelRequests is -3: a budget cannot be negative");
    }

    @Test
    void budgetDescribesItsCallLimits() {
        Budget budget = Budget.builder().maxToolCalls(4).maxCallsOf("search", 2).maxModelRequests(3)
                .noRepeatedToolCalls().noToolCallAfterError().build();
        assertThat(budget).hasToString("at most 4 tool calls, at most 2 calls of 'search', at most 3 model requests, "
                + "no repeated identical tool call, no tool call after an error")
                .isEqualTo(Budget.builder().maxToolCalls(4).maxCallsOf("search", 2).maxModelRequests(3)
                        .noRepeatedToolCalls().noToolCallAfterError().build())
                .isNotEqualTo(Budget.builder().maxToolCalls(4).build());
    }
}
