package dev.loupe.assertj;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.SampleTraces.generation;
import static dev.loupe.assertj.SampleTraces.supportAgent;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationAssertTest {

    private final TraceTree tree = supportAgent();

    @Test
    void generationSuggestsTheClosestNamesWhenNoneMatches() {
        assertThatThrownBy(() -> assertThat(tree).generation("final-answr"))
                .hasMessageContaining("Expecting trace 'support-agent'\n  to have a generation named 'final-answr'\n"
                        + "  but there is no generation named 'final-answr'; found: final-answer, draft-reply.");
    }

    @Test
    void generationSaysWhenTheNameBelongsToAnotherType() {
        assertThatThrownBy(() -> assertThat(tree).generation("search_docs"))
                .hasMessageContaining("found: draft-reply, final-answer ('search_docs' is a tool call at "
                        + "support-agent > search_docs).");
    }

    @Test
    void generationAlsoFindsEmbeddings() {
        TraceTree embedded = SampleTraces.tree(List.of(generation("e", null, "embed-query", 0, 5)
                .type(ObservationType.EMBEDDING).model("text-embedding-3-small").build()));
        assertThat(embedded).generation("embed-query").hasModel("text-embedding-3-small");
    }

    @Test
    void hasModelComparesTheModel() {
        assertThat(tree).generation("final-answer").hasModel("gpt-4o-mini");
        assertThatThrownBy(() -> assertThat(tree).generation("final-answer").hasModel("gpt-4o"))
                .hasMessageContaining("Expecting generation 'final-answer' at support-agent > final-answer\n"
                        + "  to have model \"gpt-4o\"\n  but its model is \"gpt-4o-mini\".")
                .hasMessageContaining("GENERATION final-answer  540 ms  gpt-4o-mini  300 in / 80 out  $0.0001  "
                        + "scores: faithful=true   <-- here");
    }

    @Test
    void hasModelParameterComparesOneParameterAsJson() {
        assertThat(tree).generation("draft-reply").hasModelParameter("temperature", 0.2)
                .hasModelParameter("max_tokens", 256L);
        assertThatThrownBy(() -> assertThat(tree).generation("draft-reply").hasModelParameter("temperature", 0.7))
                .hasMessageContaining("to have model parameter \"temperature\" = 0.7\n"
                        + "  but its model parameter \"temperature\" is 0.2; all of them: "
                        + "{\"temperature\":0.2,\"max_tokens\":256}.");
        assertThatThrownBy(() -> assertThat(tree).generation("final-answer").hasModelParameter("top_p", 1))
                .hasMessageContaining("but it has no model parameter \"top_p\".");
    }

    @Test
    void hasPromptComparesNameAndVersion() {
        assertThat(tree).generation("draft-reply").hasPrompt("support-reply", 3);
        assertThatThrownBy(() -> assertThat(tree).generation("draft-reply").hasPrompt("support-reply", 4))
                .hasMessageContaining("to have prompt \"support-reply v4\"\n  but its prompt is \"support-reply v3\".");
    }

    @Test
    void hasInputMessageMatchesRoleAndContent() {
        assertThat(tree).generation("draft-reply").hasInputMessage("user", "How do I reset my password?")
                .hasInputMessage("system", "You are a support agent.");
        assertThatThrownBy(() -> assertThat(tree).generation("draft-reply")
                .hasInputMessage("assistant", "How do I reset my password?"))
                .hasMessageContaining("to have an input message from \"assistant\" with the content "
                        + "\"How do I reset my password?\"\n  but its messages are:\n"
                        + "    system: \"You are a support agent.\"\n    user: \"How do I reset my password?\".");
    }

    @Test
    void hasInputMessageContainingReadsContentParts() {
        assertThat(tree).generation("final-answer").hasInputMessageContaining("user", "Settings > Security");
        assertThatThrownBy(() -> assertThat(tree).generation("final-answer")
                .hasInputMessageContaining("user", "Billing"))
                .hasMessageContaining("to have an input message from \"user\" containing \"Billing\"\n"
                        + "  but its messages are:\n    user: \"Answer from: Settings > Security\".");
    }

    @Test
    void hasInputMessageSaysWhenTheInputHasNoMessages() {
        TraceTree plain = SampleTraces.tree(List.of(generation("g", null, "g", 0, 5).input("\"hello\"").build()));
        assertThatThrownBy(() -> assertThat(plain).generation("g").hasInputMessage("user", "hello"))
                .hasMessageContaining("but its input has no chat messages; it is\n    \"hello\".");
    }

    @Test
    void hasInputMessageRolesComparesTheRolesInOrder() {
        assertThat(tree).generation("draft-reply").hasInputMessageRoles("system", "user");
        assertThatThrownBy(() -> assertThat(tree).generation("draft-reply").hasInputMessageRoles("user"))
                .hasMessageContaining("to have input messages from [user]\n  but they are from [system, user].");
    }

    @Test
    void hasOutputContainingLooksInsideTheAssistantMessage() {
        assertThat(tree).generation("draft-reply").hasOutputContaining("Go to Settings")
                .hasOutputAtPath("role", "assistant");
        assertThatThrownBy(() -> assertThat(tree).generation("draft-reply").hasOutputContaining("Security"))
                .hasMessageContaining("to have an output containing \"Security\"\n  but its output is\n"
                        + "    {\"role\":\"assistant\",\"content\":\"Go to Settings\"}.");
    }

    @Test
    void hasUsageComparesInputAndOutputTokens() {
        assertThat(tree).generation("draft-reply").hasUsage(120, 45);
        assertThatThrownBy(() -> assertThat(tree).generation("draft-reply").hasUsage(120, 50))
                .hasMessageContaining("to have used 120 input and 50 output tokens\n"
                        + "  but it used 120 input and 45 output tokens.");
        TraceTree noUsage = SampleTraces.tree(List.of(generation("g", null, "g", 0, 5).build()));
        assertThatThrownBy(() -> assertThat(noUsage).generation("g").hasUsage(1, 1))
                .hasMessageContaining("but it reported no usage.");
    }

    @Test
    void hasInputTokensComparesInputTokens() {
        assertThat(tree).generation("final-answer").hasInputTokens(300);
        assertThatThrownBy(() -> assertThat(tree).generation("final-answer").hasInputTokens(200))
                .hasMessageContaining("to have usage detail 'input' 200\n  but its usage detail 'input' is 300.");
    }

    @Test
    void hasOutputTokensComparesOutputTokens() {
        assertThat(tree).generation("final-answer").hasOutputTokens(80);
        assertThatThrownBy(() -> assertThat(tree).generation("final-answer").hasOutputTokens(81))
                .hasMessageContaining("to have usage detail 'output' 81\n  but its usage detail 'output' is 80.");
    }

    @Test
    void hasTotalTokensComparesTheTotal() {
        assertThat(tree).generation("final-answer").hasTotalTokens(380);
        assertThatThrownBy(() -> assertThat(tree).generation("final-answer").hasTotalTokens(400))
                .hasMessageContaining("to have total tokens 400\n  but its total tokens is 380.");
    }

    @Test
    void hasUsageDetailComparesANamedDetail() {
        assertThat(tree).generation("final-answer").hasUsageDetail("cached_input", 100);
        assertThatThrownBy(() -> assertThat(tree).generation("final-answer").hasUsageDetail("reasoning", 10))
                .hasMessageContaining("to have usage detail 'reasoning' 10\n  but it has no usage detail 'reasoning'.");
    }

    @Test
    void hasTotalTokensAtMostBoundsTheCall() {
        assertThat(tree).generation("final-answer").hasTotalTokensAtMost(380);
        assertThatThrownBy(() -> assertThat(tree).generation("final-answer").hasTotalTokensAtMost(300))
                .hasMessageContaining("to have total tokens of at most 300\n  but its total tokens is 380.");
        TraceTree noUsage = SampleTraces.tree(List.of(generation("g", null, "g", 0, 5).build()));
        assertThatThrownBy(() -> assertThat(noUsage).generation("g").hasTotalTokensAtMost(300))
                .hasMessageContaining("but its total tokens is unknown: the call reported no usage.");
    }

    @Test
    void hasCostAtMostBoundsTheCost() {
        assertThat(tree).generation("draft-reply").hasCostAtMost(0.000045).hasCostAtMost(new BigDecimal("0.01"));
        assertThatThrownBy(() -> assertThat(tree).generation("draft-reply").hasCostAtMost(0.00001))
                .hasMessageContaining("to have cost of at most $0.00001\n  but its cost is $0.000045.");
        TraceTree noCost = SampleTraces.tree(List.of(generation("g", null, "g", 0, 5).build()));
        assertThatThrownBy(() -> assertThat(noCost).generation("g").hasCostAtMost(1))
                .hasMessageContaining("but its cost is unknown: the call reported no cost and no price was known.");
    }

    @Test
    void hasTimeToFirstTokenAtMostBoundsTheLatency() {
        assertThat(tree).generation("draft-reply").hasTimeToFirstTokenAtMost(Duration.ofMillis(140));
        assertThatThrownBy(() -> assertThat(tree).generation("draft-reply")
                .hasTimeToFirstTokenAtMost(Duration.ofMillis(100)))
                .hasMessageContaining("to have time to first token of at most 100 ms\n"
                        + "  but its time to first token is 140 ms.");
        TraceTree noStream = SampleTraces.tree(List.of(generation("g", null, "g", 0, 5).build()));
        assertThatThrownBy(() -> assertThat(noStream).generation("g").hasTimeToFirstTokenAtMost(Duration.ofSeconds(1)))
                .hasMessageContaining("but its time to first token is unknown: the call recorded no completion start.");
    }
}
