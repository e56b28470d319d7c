package dev.loupe.assertj;

import dev.loupe.model.TraceTree;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Budget assertions on several traces at once, such as all traces a test recorded: tokens and cost are summed over
 * the traces, duration is checked for each. Obtained with {@link LoupeAssertions#assertThatTraces(List)}.
 */
// Not final: AssertJ's soft assertions subclass it (a proxy) to collect its failures.
public class TracesAssert extends AbstractAssert<TracesAssert, List<TraceTree>> {

    /** Creates the assertion on the traces; prefer {@link LoupeAssertions#assertThatTraces(List)}. */
    public TracesAssert(List<TraceTree> actual) {
        super(actual, TracesAssert.class);
    }

    /** Verifies that the traces used at most this many tokens together. */
    public TracesAssert hasTotalTokensAtMost(long limit) {
        return isWithinBudget(Budget.builder().maxTokens(limit).build());
    }

    /** Verifies that the traces cost at most this many US dollars together. */
    public TracesAssert hasTotalCostAtMost(double limitUsd) {
        return isWithinBudget(Budget.builder().maxCostUsd(limitUsd).build());
    }

    /** Verifies that the traces cost at most this many US dollars together. */
    public TracesAssert hasTotalCostAtMost(BigDecimal limitUsd) {
        return isWithinBudget(Budget.builder().maxCostUsd(limitUsd).build());
    }

    /** Verifies that each trace took at most the duration; the message names every trace that took longer. */
    public TracesAssert hasDurationAtMost(Duration limit) {
        return isWithinBudget(Budget.builder().maxDuration(limit).build());
    }

    /** Verifies every limit of the budget at once; the message lists every limit overrun. */
    public TracesAssert isWithinBudget(Budget budget) {
        isNotNull();
        Objects.requireNonNull(budget, "budget");
        String failureMessage = BudgetCheck.overruns(List.copyOf(actual), budget).orElse(null);
        if (failureMessage != null) {
            throw failure("%s", failureMessage);
        }
        return myself;
    }
}
