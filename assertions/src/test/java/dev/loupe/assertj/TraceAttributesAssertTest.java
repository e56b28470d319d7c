package dev.loupe.assertj;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.SampleTraces.supportAgent;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceAttributesAssertTest {

    private final TraceTree tree = supportAgent();

    @Test
    void hasNameComparesTheTraceName() {
        assertThat(tree).hasName("support-agent");
        assertThatThrownBy(() -> assertThat(tree).hasName("billing-agent"))
                .hasMessageContaining("Expecting trace 'support-agent'\n  to have name \"billing-agent\"\n"
                        + "  but its name is \"support-agent\".\nTrace:\n  trace support-agent");
    }

    @Test
    void failureMessagesDrawTheTrace() {
        assertThatThrownBy(() -> assertThat(tree).hasName("billing-agent"))
                .hasMessageContaining("  └─ SPAN support-agent  1.20 s\n     ├─ GENERATION draft-reply");
    }

    @Test
    void aNullTraceFailsLikeAssertJ() {
        assertThatThrownBy(() -> assertThat((TraceTree) null).hasName("x"))
                .hasMessageContaining("Expecting actual not to be null");
    }

    @Test
    void hasUserIdComparesTheUser() {
        assertThat(tree).hasUserId("user-123");
        assertThatThrownBy(() -> assertThat(tree).hasUserId("user-999"))
                .hasMessageContaining("to have user id \"user-999\"\n  but its user id is \"user-123\".");
    }

    @Test
    void hasSessionIdComparesTheSession() {
        assertThat(tree).hasSessionId("session-456");
        assertThatThrownBy(() -> assertThat(tree).hasSessionId("session-1"))
                .hasMessageContaining("to have session id \"session-1\"\n  but its session id is \"session-456\".");
    }

    @Test
    void hasTagsAcceptsASubsetInAnyOrder() {
        assertThat(tree).hasTags("beta", "support");
        assertThatThrownBy(() -> assertThat(tree).hasTags("support", "vip"))
                .hasMessageContaining("to have the tags [support, vip]\n  but its tags are [beta, support], "
                        + "without [vip].");
    }

    @Test
    void hasMetadataEntryComparesOneKeyAsJson() {
        assertThat(tree).hasMetadataEntry("tenant", "acme").hasMetadataEntry("attempt", 2)
                .hasMetadataEntry("exception.type", "none");
        assertThatThrownBy(() -> assertThat(tree).hasMetadataEntry("tenant", "globex"))
                .hasMessageContaining("to have metadata entry \"tenant\" = \"globex\"\n"
                        + "  but its metadata entry \"tenant\" is \"acme\"; all of them: {\"tenant\":\"acme\"");
        assertThatThrownBy(() -> assertThat(tree).hasMetadataEntry("region", "eu"))
                .hasMessageContaining("but it has no metadata entry \"region\"");
    }

    @Test
    void hasReleaseComparesTheRelease() {
        assertThat(tree).hasRelease("1.4.2");
        assertThatThrownBy(() -> assertThat(tree).hasRelease("1.5.0"))
                .hasMessageContaining("to have release \"1.5.0\"\n  but its release is \"1.4.2\".");
    }

    @Test
    void hasEnvironmentComparesTheEnvironment() {
        assertThat(tree).hasEnvironment("test");
        assertThatThrownBy(() -> assertThat(tree).hasEnvironment("production"))
                .hasMessageContaining("to have environment \"production\"\n  but its environment is \"test\".");
    }

    @Test
    void hasInputComparesWithTheValueAsRecorded() {
        assertThat(tree).hasInput("How do I reset my password?");
        assertThatThrownBy(() -> assertThat(tree).hasInput("How do I delete my account?"))
                .hasMessageContaining("to have the input\n    \"How do I delete my account?\"\n"
                        + "  but its input is\n    \"How do I reset my password?\".");
    }

    @Test
    void hasInputJsonComparesDocumentsIgnoringWhitespace() {
        assertThat(tree).hasInputJson(" \"How do I reset my password?\" ");
        assertThatThrownBy(() -> assertThat(tree).hasInputJson("{\"question\": \"reset\"}"))
                .hasMessageContaining("to have the input\n    {\"question\":\"reset\"}");
    }

    @Test
    void hasInputJsonRejectsTextThatIsNotJson() {
        assertThatThrownBy(() -> assertThat(tree).hasInputJson("How do I reset my password?"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("The expected JSON document is not valid JSON");
    }

    @Test
    void hasInputContainingLooksInsideTheJsonString() {
        assertThat(tree).hasInputContaining("reset my password");
        assertThatThrownBy(() -> assertThat(tree).hasInputContaining("delete"))
                .hasMessageContaining("to have an input containing \"delete\"\n  but its input is\n"
                        + "    \"How do I reset my password?\".");
    }

    @Test
    void hasInputAtPathReadsAJsonPath() {
        TraceTree structured = SampleTraces.tree(List.of());
        TraceTree withInput = TraceTree.of(structured.trace().toBuilder()
                .input("{\"question\":{\"text\":\"reset\",\"attempts\":[1,2]}}").build(), List.of(), List.of());
        assertThat(withInput).hasInputAtPath("question.text", "reset").hasInputAtPath("$.question.attempts[1]", 2);
        assertThatThrownBy(() -> assertThat(withInput).hasInputAtPath("question.text", "delete"))
                .hasMessageContaining("to have \"delete\" at question.text of its input\n"
                        + "  but it has \"reset\" there; the input is\n    {\"question\"");
        assertThatThrownBy(() -> assertThat(withInput).hasInputAtPath("question.lang", "en"))
                .hasMessageContaining("but its input has nothing at question.lang");
    }

    @Test
    void hasInputSatisfyingPassesTheDecodedInput() {
        assertThat(tree).hasInputSatisfying(input -> assertThat(input).isEqualTo("How do I reset my password?"));
        assertThatThrownBy(() -> assertThat(tree).hasInputSatisfying(input -> assertThat(input).isEqualTo("hi")))
                .hasMessageContaining("to have an input satisfying the given requirements\n"
                        + "  but they failed with:\n")
                .hasMessageContaining("expected: \"hi\"");
    }

    @Test
    void hasOutputComparesWithTheValueAsRecorded() {
        assertThat(tree).hasOutput("Go to Settings > Security and choose Reset password.");
        assertThatThrownBy(() -> assertThat(tree).hasOutput("I don't know."))
                .hasMessageContaining("to have the output\n    \"I don't know.\"\n  but its output is\n"
                        + "    \"Go to Settings > Security and choose Reset password.\".");
    }

    @Test
    void hasOutputJsonComparesDocuments() {
        assertThat(tree).hasOutputJson("\"Go to Settings > Security and choose Reset password.\"");
        assertThatThrownBy(() -> assertThat(tree).hasOutputJson("[]"))
                .hasMessageContaining("to have the output\n    []");
    }

    @Test
    void hasOutputContainingFindsText() {
        assertThat(tree).hasOutputContaining("Settings > Security");
        assertThatThrownBy(() -> assertThat(tree).hasOutputContaining("Billing"))
                .hasMessageContaining("to have an output containing \"Billing\"");
    }

    @Test
    void hasOutputAtPathReadsAJsonPath() {
        TraceTree withOutput = TraceTree.of(tree.trace().toBuilder().output("{\"answer\":{\"sources\":[\"kb-12\"]}}")
                .build(), tree.observations(), List.of());
        assertThat(withOutput).hasOutputAtPath("answer.sources[0]", "kb-12");
        assertThatThrownBy(() -> assertThat(withOutput).hasOutputAtPath("answer.sources[0]", "kb-13"))
                .hasMessageContaining("to have \"kb-13\" at answer.sources[0] of its output\n"
                        + "  but it has \"kb-12\" there");
    }

    @Test
    void hasOutputSatisfyingPassesTheDecodedOutput() {
        TraceTree withOutput = TraceTree.of(tree.trace().toBuilder().output("{\"answer\":\"yes\",\"confidence\":0.9}")
                .build(), tree.observations(), List.of());
        assertThat(withOutput).hasOutputSatisfying(output -> assertThat(output)
                .isEqualTo(Map.of("answer", "yes", "confidence", 0.9)));
        assertThatThrownBy(() -> assertThat(withOutput).hasOutputSatisfying(output -> assertThat(output).isNull()))
                .hasMessageContaining("to have an output satisfying the given requirements")
                .hasMessageContaining("for the output\n    {\"answer\":\"yes\",\"confidence\":0.9}");
    }

    @Test
    void hasObservationCountCountsAllObservations() {
        assertThat(tree).hasObservationCount(5);
        assertThatThrownBy(() -> assertThat(tree).hasObservationCount(4))
                .hasMessageContaining("to have 4 observations\n  but it has 5: support-agent, "
                        + "support-agent > draft-reply");
    }

    @Test
    void hasObservationCountOfATypeCountsThatType() {
        assertThat(tree).hasObservationCount(ObservationType.GENERATION, 2)
                .hasObservationCount(ObservationType.TOOL, 1)
                .hasObservationCount(ObservationType.RETRIEVER, 0);
        assertThatThrownBy(() -> assertThat(tree).hasObservationCount(ObservationType.TOOL, 2))
                .hasMessageContaining("to have 2 tool calls\n  but it has 1: support-agent > search_docs.");
    }
}
