package dev.loupe.assertj;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.LoupeAssertions.assertThatTraces;
import static dev.loupe.assertj.SampleTraces.researchAgent;
import static dev.loupe.assertj.SampleTraces.renamed;
import static dev.loupe.assertj.SampleTraces.span;
import static dev.loupe.assertj.SampleTraces.supportAgent;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.model.TraceTree;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetAssertTest {

    private final TraceTree support = supportAgent();
    private final TraceTree second = renamed(supportAgent(), "0af7651916cd43dd8448eb211c80319c", "support-agent-2");

    @Test
    void hasTotalTokensAtMostBoundsTheTraceAndMarksTheLargestCall() {
        assertThat(support).hasTotalTokensAtMost(545);
        assertThatThrownBy(() -> assertThat(support).hasTotalTokensAtMost(500))
                .hasMessageContaining("Expecting trace 'support-agent'\n  to stay within the budget of at most "
                        + "500 tokens\n  but it used 545 tokens; the most in generation 'final-answer' at "
                        + "support-agent > final-answer: 380.")
                .hasMessageContaining("GENERATION final-answer  540 ms  gpt-4o-mini  300 in / 80 out  $0.0001  "
                        + "scores: faithful=true   <-- here");
    }

    @Test
    void hasTotalCostAtMostBoundsTheTrace() {
        assertThat(support).hasTotalCostAtMost(0.000145).hasTotalCostAtMost(new BigDecimal("0.01"));
        assertThatThrownBy(() -> assertThat(support).hasTotalCostAtMost(0.0001))
                .hasMessageContaining("to stay within the budget of at most $0.0001\n  but it cost $0.000145; "
                        + "the most in generation 'final-answer' at support-agent > final-answer: $0.0001.");
    }

    @Test
    void hasDurationAtMostBoundsTheTrace() {
        assertThat(support).hasDurationAtMost(Duration.ofMillis(1_200));
        assertThatThrownBy(() -> assertThat(support).hasDurationAtMost(Duration.ofSeconds(1)))
                .hasMessageContaining("to stay within the budget of at most 1.00 s a trace\n  but it took 1.20 s.")
                .hasMessageContaining("GENERATION final-answer  540 ms");
        TraceTree open = SampleTraces.tree(List.of(span("a", null, "open", 0, -1).build()));
        assertThatThrownBy(() -> assertThat(open).hasDurationAtMost(Duration.ofSeconds(1)))
                .hasMessageContaining("but it has no ended observation, so its duration is unknown.");
    }

    @Test
    void isWithinBudgetListsEveryOverrun() {
        Budget budget = Budget.builder().maxTokens(100).maxCostUsd(0.00001).maxDuration(Duration.ofMillis(5)).build();
        assertThat(support).isWithinBudget(Budget.builder().maxTokens(545).maxCostUsd(1).build());
        assertThatThrownBy(() -> assertThat(support).isWithinBudget(budget))
                .hasMessageContaining("to stay within the budget of at most 100 tokens, at most $0.00001, at most "
                        + "5 ms a trace\n  but it used 545 tokens;")
                .hasMessageContaining("\n  and it cost $0.000145;")
                .hasMessageContaining("\n  and it took 1.20 s.");
    }

    @Test
    void tracesShareOneBudgetOfTokens() {
        assertThatTraces(List.of(support, second)).hasTotalTokensAtMost(1_090);
        assertThatThrownBy(() -> assertThatTraces(List.of(support, second)).hasTotalTokensAtMost(1_000))
                .hasMessageContaining("Expecting 2 traces\n  to stay within the budget of at most 1000 tokens\n"
                        + "  but they used 1090 tokens together: support-agent [4bf92f35] 545, "
                        + "support-agent-2 [0af76519] 545;")
                .hasMessageContaining("The trace that overran the most, support-agent [4bf92f35]:\n"
                        + "  trace support-agent [4bf92f3577b34da6a3ce929d0e0e4736]");
    }

    @Test
    void tracesShareOneBudgetOfCost() {
        assertThatTraces(List.of(support, second)).hasTotalCostAtMost(0.00029)
                .hasTotalCostAtMost(new BigDecimal("0.00029"));
        assertThatThrownBy(() -> assertThatTraces(List.of(support, second)).hasTotalCostAtMost(0.0002))
                .hasMessageContaining("but they cost $0.00029 together: support-agent [4bf92f35] $0.000145, "
                        + "support-agent-2 [0af76519] $0.000145;");
    }

    @Test
    void eachTraceMustKeepToTheDuration() {
        TraceTree research = researchAgent();
        assertThatTraces(List.of(support, research)).hasDurationAtMost(Duration.ofMillis(1_200));
        assertThatThrownBy(() -> assertThatTraces(List.of(support, research)).hasDurationAtMost(Duration.ofSeconds(1)))
                .hasMessageContaining("but 1 of them took longer than 1.00 s: support-agent [4bf92f35] took 1.20 s.");
    }

    @Test
    void tracesAreCheckedAgainstAWholeBudget() {
        Budget budget = Budget.builder().maxTokens(2_000).maxCostUsd(0.01).maxDuration(Duration.ofSeconds(2)).build();
        assertThatTraces(List.of(support, second)).isWithinBudget(budget);
        assertThatTraces(List.of()).isWithinBudget(budget);
        assertThatThrownBy(() -> assertThatTraces(List.of(support, second))
                .isWithinBudget(Budget.builder().maxTokens(10).maxCostUsd(0.00001).build()))
                .hasMessageContaining("but they used 1090 tokens together")
                .hasMessageContaining("\n  and they cost $0.00029 together");
    }

    @Test
    void budgetBuilderRejectsNegativeLimitsNamingThem() {
        assertThatThrownBy(() -> Budget.builder().maxTokens(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxTokens is -1: a budget cannot be negative");
        assertThatThrownBy(() -> Budget.builder().maxCostUsd(-0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxCostUsd is -0.5");
        assertThatThrownBy(() -> Budget.builder().maxCostUsd(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxCostUsd is NaN");
        assertThatThrownBy(() -> Budget.builder().maxDuration(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDuration is PT-1S");
    }

    @Test
    void budgetDescribesItsLimits() {
        Budget budget = Budget.builder().maxTokens(2_000).maxCostUsd(0.05).build();
        assertThat(budget).hasToString("at most 2000 tokens, at most $0.05")
                .isEqualTo(Budget.builder().maxTokens(2_000).maxCostUsd(new BigDecimal("0.050")).build());
        assertThat(budget.maxDuration()).isEmpty();
        assertThat(budget.maxTokens()).hasValue(2_000);
        assertThat(Budget.builder().build()).hasToString("no limit");
    }
}
