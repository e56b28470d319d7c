package dev.loupe.assertj;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.ObservationMatcher.agent;
import static dev.loupe.assertj.ObservationMatcher.generation;
import static dev.loupe.assertj.ObservationMatcher.not;
import static dev.loupe.assertj.ObservationMatcher.observation;
import static dev.loupe.assertj.ObservationMatcher.ofType;
import static dev.loupe.assertj.ObservationMatcher.span;
import static dev.loupe.assertj.ObservationMatcher.toolCall;
import static dev.loupe.assertj.SampleTraces.researchAgent;
import static dev.loupe.assertj.SampleTraces.supportAgent;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Queries over the span tree and the assertions that use them: some, none, exactly N, all, count. */
class ObservationMatcherTest {

    private final TraceTree research = researchAgent();
    private final TraceTree support = supportAgent();

    @Test
    void hasSomeFindsAGenerationWithAModelUnderAnAgent() {
        assertThat(research).hasSome(generation().withModel("gpt-4o-mini").under(agent().named("research-agent")));
        assertThatThrownBy(() -> assertThat(research).hasSome(generation().withModel("gpt-4o")
                .under(agent().named("research-agent"))))
                .hasMessageContaining("Expecting trace 'research-agent'\n"
                        + "  to have some observation matching: GENERATION with model 'gpt-4o' under an AGENT "
                        + "named 'research-agent'\n"
                        + "  but none does.\nTrace:\n");
    }

    @Test
    void hasNoneFailsNamingEveryMatch() {
        assertThat(support).hasNone(toolCall().withLevel(ObservationLevel.ERROR));
        assertThatThrownBy(() -> assertThat(research).hasNone(toolCall().withLevel(ObservationLevel.ERROR)))
                .hasMessageContaining("to have no observation matching: TOOL with level ERROR\n"
                        + "  but 1 does: research-agent > step > fetch.")
                .hasMessageContaining("TOOL fetch  480 ms  ERROR: rate limited   <-- here");
    }

    @Test
    void hasExactlyCountsTheMatches() {
        assertThat(research).hasExactly(2, toolCall().named("search"));
        assertThatThrownBy(() -> assertThat(research).hasExactly(1, toolCall().named("search")))
                .hasMessageContaining("to have exactly 1 observation matching: TOOL named 'search'\n"
                        + "  but 2 do: research-agent > step > search, research-agent > search.")
                .hasMessageContaining("└─ TOOL search  80 ms   <-- here");
        assertThatThrownBy(() -> assertThat(research).hasExactly(1, toolCall().named("read")))
                .hasMessageContaining("but none does.");
    }

    @Test
    void allMatchChecksEveryObservationOfASelection() {
        assertThat(support).allMatch(generation(), observation().withModelMatching("gpt-4o.*"));
        assertThatThrownBy(() -> assertThat(research).allMatch(toolCall(), observation().atDepth(2)))
                .hasMessageContaining("to have every observation matching: TOOL\n"
                        + "  also match: observation at depth 2\n"
                        + "  but 1 of 3 does not: research-agent > search.");
    }

    @Test
    void countIsAnIntegerAssertionNamedAfterTheQuery() {
        assertThat(research).count(toolCall()).isEqualTo(3);
        assertThatThrownBy(() -> assertThat(research).count(toolCall()).isLessThan(3))
                .hasMessageContaining("[the number of observations of trace 'research-agent' matching: TOOL]");
    }

    @Test
    void namesMatchExactlyOrByPattern() {
        assertThat(support).hasExactly(1, observation().named("search_docs"))
                .hasExactly(2, observation().nameMatching(".*-(reply|answer)"))
                .hasNone(observation().named("search"));
    }

    @Test
    void payloadsAreQueriedAtAJsonPath() {
        assertThat(support).hasSome(toolCall().withInput("query", "password reset"))
                .hasSome(span().withMetadata("channel", "chat"))
                .hasSome(generation().withOutput("role", "assistant"))
                .hasNone(toolCall().withInput("limit", 4));
    }

    @Test
    void depthAndDurationNarrowTheQuery() {
        assertThat(research).hasExactly(3, toolCall().atDepth(2).or(ofType(ObservationType.CHAIN)))
                .hasExactly(1, toolCall().lastingAtLeast(Duration.ofMillis(400)))
                .hasExactly(2, toolCall().lastingAtMost(Duration.ofMillis(200)))
                .hasExactly(4, observation().atDepthAtMost(1))
                .hasExactly(3, not(toolCall()).and(observation().satisfying("named in lower case",
                        o -> o.name().equals(o.name().toLowerCase()))));
    }

    @Test
    void aMatcherDescribesEverythingItRequires() {
        assertThat(generation().withModelMatching("gpt-.*").withLevel(ObservationLevel.WARNING)
                .withMetadata("customer.tier", "gold").under(agent().named("planner")).atDepthAtMost(2)
                .lastingAtMost(Duration.ofSeconds(2)).or(not(toolCall())))
                .hasToString("(GENERATION with a model matching /gpt-.*/ with level WARNING with \"gold\" at "
                        + "customer.tier of its metadata under an AGENT named 'planner' at depth 2 or less lasting at "
                        + "most 2.00 s) or (not (TOOL))");
    }

    @Test
    void anInvalidPatternIsNamed() {
        assertThatThrownBy(() -> observation().nameMatching("search(")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nameMatching(\"search(\") is not a valid regular expression: ");
    }
}
