package dev.loupe.assertj;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.SampleTraces.span;
import static dev.loupe.assertj.SampleTraces.supportAgent;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservationAssertTest {

    private final TraceTree tree = supportAgent();

    @Test
    void observationSuggestsTheClosestNames() {
        assertThatThrownBy(() -> assertThat(tree).observation("answer-snt"))
                .hasMessageContaining("to have an observation named 'answer-snt'\n"
                        + "  but there is no observation named 'answer-snt'; found: answer-sent,");
    }

    @Test
    void hasNameComparesTheName() {
        assertThat(tree).observation("answer-sent").hasName("answer-sent");
        assertThatThrownBy(() -> assertThat(tree).observation("answer-sent").hasName("sent"))
                .hasMessageContaining("Expecting event 'answer-sent' at support-agent > answer-sent\n"
                        + "  to have name \"sent\"\n  but its name is \"answer-sent\".");
    }

    @Test
    void hasTypeComparesTheType() {
        assertThat(tree).observation("answer-sent").hasType(ObservationType.EVENT);
        assertThatThrownBy(() -> assertThat(tree).observation("search_docs").hasType(ObservationType.RETRIEVER))
                .hasMessageContaining("to have type RETRIEVER\n  but its type is TOOL.");
    }

    @Test
    void hasMetadataEntryComparesOneKey() {
        assertThat(tree).root().hasMetadataEntry("channel", "chat");
        assertThatThrownBy(() -> assertThat(tree).root().hasMetadataEntry("channel", "email"))
                .hasMessageContaining("Expecting span 'support-agent' at support-agent\n"
                        + "  to have metadata entry \"channel\" = \"email\"\n"
                        + "  but its metadata entry \"channel\" is \"chat\"; all of them: {\"channel\":\"chat\"}.");
        assertThatThrownBy(() -> assertThat(tree).observation("search_docs").hasMetadataEntry("channel", "chat"))
                .hasMessageContaining("but it has no metadata entry \"channel\".");
    }

    @Test
    void hasDurationAtMostBoundsTheObservation() {
        assertThat(tree).toolCall("search_docs").hasDurationAtMost(Duration.ofMillis(190));
        assertThatThrownBy(() -> assertThat(tree).toolCall("search_docs").hasDurationAtMost(Duration.ofMillis(100)))
                .hasMessageContaining("to have duration of at most 100 ms\n  but its duration is 190 ms.");
        TraceTree open = SampleTraces.tree(List.of(span("a", null, "open", 0, -1).build()));
        assertThatThrownBy(() -> assertThat(open).observation("open").hasDurationAtMost(Duration.ofSeconds(1)))
                .hasMessageContaining("but its duration is unknown: it has not ended.");
    }

    @Test
    void hasInputComparesWithTheValueAsRecorded() {
        assertThat(tree).observation("answer-sent").hasInput(Map.of("channel", "chat"));
        assertThatThrownBy(() -> assertThat(tree).observation("answer-sent").hasInput(Map.of("channel", "mail")))
                .hasMessageContaining("to have the input\n    {\"channel\":\"mail\"}\n  but its input is\n"
                        + "    {\"channel\":\"chat\"}.");
    }

    @Test
    void hasInputSerializesValuesLikeTheTracer() {
        TraceTree dated = SampleTraces.tree(List.of(span("a", null, "schedule", 0, 10)
                .input("{\"at\":\"2025-03-01T10:00:00Z\",\"note\":null}").build()));
        java.util.Map<String, Object> expected = new java.util.LinkedHashMap<>();
        expected.put("at", SampleTraces.T0);
        expected.put("note", null);
        assertThat(dated).observation("schedule").hasInput(expected);
        assertThatThrownBy(() -> assertThat(dated).observation("schedule").hasInput(Map.of("at", SampleTraces.at(1))))
                .hasMessageContaining("to have the input\n    {\"at\":\"2025-03-01T10:00:00.001Z\"}");
    }

    @Test
    void hasInputJsonComparesDocuments() {
        assertThat(tree).toolCall("search_docs").hasInputJson("{\"limit\":3.0,\"query\":\"password reset\"}");
        assertThatThrownBy(() -> assertThat(tree).toolCall("search_docs").hasInputJson("{\"limit\":4}"))
                .hasMessageContaining("to have the input\n    {\"limit\":4}");
    }

    @Test
    void hasInputContainingFindsText() {
        assertThat(tree).toolCall("search_docs").hasInputContaining("password");
        assertThatThrownBy(() -> assertThat(tree).toolCall("search_docs").hasInputContaining("billing"))
                .hasMessageContaining("to have an input containing \"billing\"\n  but its input is\n"
                        + "    {\"query\":\"password reset\",\"limit\":3}.");
        assertThatThrownBy(() -> assertThat(tree).observation("answer-sent").hasOutputContaining("x"))
                .hasMessageContaining("to have an output containing \"x\"\n  but it has no output.");
    }

    @Test
    void hasInputAtPathReadsAJsonPath() {
        assertThat(tree).generation("draft-reply").hasInputAtPath("[1].role", "user")
                .hasInputAtPath("[0]['content']", "You are a support agent.");
        assertThatThrownBy(() -> assertThat(tree).generation("draft-reply").hasInputAtPath("[1].role", "system"))
                .hasMessageContaining("to have \"system\" at [1].role of its input\n  but it has \"user\" there");
    }

    @Test
    void hasInputAtPathRejectsPathsItCannotRead() {
        assertThatThrownBy(() -> assertThat(tree).generation("draft-reply").hasInputAtPath("[x].role", "user"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid JSON path '[x].role': '[x]' is neither an index nor a quoted field name");
    }

    @Test
    void hasInputSatisfyingPassesTheDecodedInput() {
        assertThat(tree).toolCall("search_docs").hasInputSatisfying(input -> assertThat(input)
                .isEqualTo(Map.of("query", "password reset", "limit", 3)));
        assertThatThrownBy(() -> assertThat(tree).toolCall("search_docs")
                .hasInputSatisfying(input -> assertThat(input).isInstanceOf(List.class)))
                .hasMessageContaining("to have an input satisfying the given requirements\n  but they failed with:");
    }

    @Test
    void hasOutputComparesWithTheValueAsRecorded() {
        assertThat(tree).generation("final-answer").hasOutput("Go to Settings > Security and choose Reset password.");
        assertThatThrownBy(() -> assertThat(tree).generation("final-answer").hasOutput("Go to Settings"))
                .hasMessageContaining("to have the output\n    \"Go to Settings\"\n  but its output is\n");
    }

    @Test
    void hasOutputJsonComparesDocuments() {
        assertThat(tree).generation("draft-reply").hasOutputJson("{\"content\":\"Go to Settings\",\"role\":\"assistant\"}");
        assertThatThrownBy(() -> assertThat(tree).generation("draft-reply").hasOutputJson("{\"role\":\"assistant\"}"))
                .hasMessageContaining("to have the output\n    {\"role\":\"assistant\"}\n  but its output is\n");
    }

    @Test
    void hasOutputContainingFindsText() {
        assertThat(tree).generation("final-answer").hasOutputContaining("Reset password");
        assertThatThrownBy(() -> assertThat(tree).generation("final-answer").hasOutputContaining("Billing"))
                .hasMessageContaining("to have an output containing \"Billing\"");
    }

    @Test
    void hasOutputAtPathReadsAJsonPath() {
        assertThat(tree).toolCall("search_docs").hasOutputAtPath("[1]", "Account recovery");
        assertThatThrownBy(() -> assertThat(tree).toolCall("search_docs").hasOutputAtPath("[2]", "More"))
                .hasMessageContaining("to have \"More\" at [2] of its output\n  but its output has nothing at [2]; "
                        + "the output is\n    [\"Settings > Security\",\"Account recovery\"].");
    }

    @Test
    void hasOutputSatisfyingPassesTheDecodedOutput() {
        assertThat(tree).toolCall("search_docs").hasOutputSatisfying(output -> assertThat(output)
                .asInstanceOf(LoupeAssertions.LIST).hasSize(2));
        assertThatThrownBy(() -> assertThat(tree).toolCall("search_docs").hasOutputSatisfying(output -> assertThat(output)
                .asInstanceOf(LoupeAssertions.LIST).hasSize(3)))
                .hasMessageContaining("to have an output satisfying the given requirements\n  but they failed with:\n"
                        + "    Expected size: 3 but was: 2 in:\n    [\"Settings > Security\", \"Account recovery\"]\n"
                        + "  for the output\n    [\"Settings > Security\",\"Account recovery\"].");
    }
}
