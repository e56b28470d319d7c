package dev.loupe.assertj;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.SampleTraces.researchAgent;
import static dev.loupe.assertj.SampleTraces.supportAgent;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationLevel;
import org.junit.jupiter.api.Test;

class ErrorsAssertTest {

    private final TraceTree failed = researchAgent();
    private final TraceTree healthy = supportAgent();

    @Test
    void hasNoErrorsListsEveryFailureFirstToLastAndMarksTheFirst() {
        assertThat(healthy).hasNoErrors();
        assertThatThrownBy(() -> assertThat(failed).hasNoErrors())
                .hasMessageContaining("Expecting trace 'research-agent'\n  to have no errors\n  but it has 2:\n"
                        + "    research-agent > step > fetch: \"rate limited\"\n"
                        + "    research-agent: \"fetch failed: rate limited\".")
                .hasMessageContaining("└─ TOOL fetch  480 ms  ERROR: rate limited   <-- here");
    }

    @Test
    void hasErrorWithMessageFindsAFailureByItsStatusMessage() {
        assertThat(failed).hasErrorWithMessage("rate limited");
        assertThatThrownBy(() -> assertThat(failed).hasErrorWithMessage("timeout"))
                .hasMessageContaining("to have an error with a message containing \"timeout\"\n"
                        + "  but its errors are:\n    research-agent > step > fetch: \"rate limited\"");
        assertThatThrownBy(() -> assertThat(healthy).hasErrorWithMessage("timeout"))
                .hasMessageContaining("but it has no errors.");
    }

    @Test
    void hasFirstErrorInNamesTheObservationThatFailedFirst() {
        assertThat(failed).hasFirstErrorIn("fetch").hasFirstErrorIn("research-agent > step > fetch");
        assertThatThrownBy(() -> assertThat(failed).hasFirstErrorIn("research-agent"))
                .hasMessageContaining("to have failed first in 'research-agent'\n"
                        + "  but it failed first in tool call 'fetch' at research-agent > step > fetch;");
        assertThatThrownBy(() -> assertThat(healthy).hasFirstErrorIn("search_docs"))
                .hasMessageContaining("to have an error\n  but it has none.");
    }

    @Test
    void firstErrorNavigatesToTheObservationThatFailedFirst() {
        assertThat(failed).firstError().hasName("fetch").hasStatusMessage("rate limited").hasParent("step");
        assertThatThrownBy(() -> assertThat(healthy).firstError())
                .hasMessageContaining("Expecting trace 'support-agent'\n  to have an error\n  but it has none.");
    }

    @Test
    void isErrorChecksTheLevel() {
        assertThat(failed).toolCall("fetch").isError();
        assertThatThrownBy(() -> assertThat(failed).observation("planner").isError())
                .hasMessageContaining("Expecting generation 'planner' at research-agent > planner\n"
                        + "  to have failed (level ERROR)\n  but its level is DEFAULT.")
                .hasMessageContaining("GENERATION planner  95 ms  gpt-4o-mini  50 in / 10 out   <-- here");
    }

    @Test
    void isNotErrorChecksTheLevel() {
        assertThat(failed).observation("planner").isNotError();
        assertThatThrownBy(() -> assertThat(failed).toolCall("fetch").isNotError())
                .hasMessageContaining("to not have failed\n  but it has level ERROR with status message "
                        + "\"rate limited\".");
    }

    @Test
    void observationHasErrorWithMessageNeedsLevelAndMessage() {
        assertThat(failed).toolCall("fetch").hasErrorWithMessage("rate");
        assertThatThrownBy(() -> assertThat(failed).toolCall("fetch").hasErrorWithMessage("timeout"))
                .hasMessageContaining("to have an error with a message containing \"timeout\"\n"
                        + "  but its errors are:\n    research-agent > step > fetch: \"rate limited\".");
        assertThatThrownBy(() -> assertThat(failed).observation("planner").hasErrorWithMessage("timeout"))
                .hasMessageContaining("but it has no errors.");
    }

    @Test
    void hasLevelComparesTheLevel() {
        assertThat(failed).toolCall("fetch").hasLevel(ObservationLevel.ERROR);
        assertThatThrownBy(() -> assertThat(failed).toolCall("fetch").hasLevel(ObservationLevel.WARNING))
                .hasMessageContaining("Expecting tool call 'fetch' at research-agent > step > fetch\n"
                        + "  to have level WARNING\n  but its level is ERROR.");
    }

    @Test
    void hasStatusMessageComparesTheWholeMessage() {
        assertThat(failed).toolCall("fetch").hasStatusMessage("rate limited");
        assertThatThrownBy(() -> assertThat(failed).toolCall("fetch").hasStatusMessage("rate"))
                .hasMessageContaining("to have status message \"rate\"\n  but its status message is \"rate limited\".");
        assertThatThrownBy(() -> assertThat(failed).observation("planner").hasStatusMessage("ok"))
                .hasMessageContaining("but it has no status message.");
    }

    @Test
    void hasStatusMessageContainingFindsText() {
        assertThat(failed).root().hasStatusMessageContaining("rate limited");
        assertThatThrownBy(() -> assertThat(failed).root().hasStatusMessageContaining("timeout"))
                .hasMessageContaining("Expecting agent 'research-agent' at research-agent\n"
                        + "  to have a status message containing \"timeout\"\n"
                        + "  but its status message is \"fetch failed: rate limited\".");
    }
}
