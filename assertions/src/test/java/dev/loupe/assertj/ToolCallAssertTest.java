package dev.loupe.assertj;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.SampleTraces.researchAgent;
import static dev.loupe.assertj.SampleTraces.supportAgent;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.model.TraceTree;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolCallAssertTest {

    private final TraceTree tree = supportAgent();

    @Test
    void toolCallSuggestsTheClosestNames() {
        assertThatThrownBy(() -> assertThat(tree).toolCall("search_doc"))
                .hasMessageContaining("to have a tool call named 'search_doc'\n"
                        + "  but there is no tool call named 'search_doc'; found: search_docs.");
        assertThatThrownBy(() -> assertThat(SampleTraces.tree(List.of())).toolCall("search"))
                .hasMessageContaining("but there is no tool call named 'search'; found: none.");
    }

    @Test
    void hasArgumentComparesOneArgumentAsJson() {
        assertThat(tree).toolCall("search_docs").hasArgument("query", "password reset").hasArgument("limit", 3);
        assertThatThrownBy(() -> assertThat(tree).toolCall("search_docs").hasArgument("query", "reset"))
                .hasMessageContaining("Expecting tool call 'search_docs' at support-agent > search_docs\n"
                        + "  to have argument \"query\" = \"reset\"\n"
                        + "  but its argument \"query\" is \"password reset\"; all of them: "
                        + "{\"query\":\"password reset\",\"limit\":3}.")
                .hasMessageContaining("TOOL search_docs  190 ms   <-- here");
        assertThatThrownBy(() -> assertThat(tree).toolCall("search_docs").hasArgument("lang", "en"))
                .hasMessageContaining("but it has no argument \"lang\"");
    }

    @Test
    void hasArgumentsJsonComparesAllArguments() {
        assertThat(tree).toolCall("search_docs").hasArgumentsJson("{\"limit\": 3, \"query\": \"password reset\"}");
        assertThatThrownBy(() -> assertThat(tree).toolCall("search_docs").hasArgumentsJson("{\"query\": \"x\"}"))
                .hasMessageContaining("to have the arguments\n    {\"query\":\"x\"}\n  but its arguments are\n"
                        + "    {\"query\":\"password reset\",\"limit\":3}.");
    }

    @Test
    void hasResultComparesWithTheValueAsRecorded() {
        assertThat(tree).toolCall("search_docs").hasResult(List.of("Settings > Security", "Account recovery"));
        assertThatThrownBy(() -> assertThat(tree).toolCall("search_docs").hasResult(List.of("Settings")))
                .hasMessageContaining("to have the result\n    [\"Settings\"]\n  but its result is\n"
                        + "    [\"Settings > Security\",\"Account recovery\"].");
    }

    @Test
    void hasResultJsonComparesDocuments() {
        assertThat(tree).toolCall("search_docs").hasResultJson("[\"Settings > Security\", \"Account recovery\"]");
        assertThatThrownBy(() -> assertThat(tree).toolCall("search_docs").hasResultJson("[]"))
                .hasMessageContaining("to have the result\n    []");
    }

    @Test
    void hasResultContainingFindsText() {
        assertThat(tree).toolCall("search_docs").hasResultContaining("Account recovery");
        assertThatThrownBy(() -> assertThat(tree).toolCall("search_docs").hasResultContaining("Billing"))
                .hasMessageContaining("to have a result containing \"Billing\"");
    }

    @Test
    void isCalledTimesCountsCallsOfTheToolInTheWholeTrace() {
        assertThat(researchAgent()).toolCall("search").isCalledTimes(2);
        assertThat(tree).toolCall("search_docs").isCalledTimes(1);
        assertThatThrownBy(() -> assertThat(researchAgent()).toolCall("search").isCalledTimes(1))
                .hasMessageContaining("Expecting tool call 'search' at research-agent > step > search\n"
                        + "  to be called once in trace 'research-agent'\n"
                        + "  but 'search' was called 2 times: research-agent > step > search, research-agent > search.");
    }
}
