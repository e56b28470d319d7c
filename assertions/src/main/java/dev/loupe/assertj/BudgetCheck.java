package dev.loupe.assertj;

import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks what traces spent against a {@link Budget}: tokens and cost summed over all traces, duration of each. One
 * trace is a list of one, so the checks of a trace and of all traces a test captured are the same.
 */
final class BudgetCheck {

    private static final Comparator<BigDecimal> COST = Comparator.naturalOrder();

    private BudgetCheck() {
    }

    /** Returns the failure message when the traces overran the budget, listing every overrun; empty otherwise. */
    static Optional<String> overruns(List<TraceTree> trees, Budget budget) {
        List<String> overruns = new ArrayList<>();
        TraceTree shown = null;
        Observation marked = null;
        if (budget.maxTokens().isPresent()) {
            long used = trees.stream().mapToLong(tree -> tree.stats().totalTokens()).sum();
            if (used > budget.maxTokens().getAsLong()) {
                TraceTree worst = trees.stream().max(Comparator.comparingLong(tree -> tree.stats().totalTokens()))
                        .orElseThrow();
                Observation largest = worst.observations().stream().filter(o -> o.usage() != null
                        && o.usage().total() != null).max(Comparator.comparingLong(o -> o.usage().total()))
                        .orElse(null);
                overruns.add(LoupeErrors.tokensOverrun(trees, used, worst, largest));
                shown = worst;
                marked = largest;
            }
        }
        if (budget.maxCostUsd().isPresent()) {
            BigDecimal used = trees.stream().map(BudgetCheck::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
            if (used.compareTo(budget.maxCostUsd().get()) > 0) {
                TraceTree worst = trees.stream().max(Comparator.comparing(BudgetCheck::cost, COST)).orElseThrow();
                Observation largest = worst.observations().stream().filter(o -> o.cost() != null
                        && o.cost().total() != null).max(Comparator.comparing(o -> o.cost().total(), COST))
                        .orElse(null);
                overruns.add(LoupeErrors.costOverrun(trees, used, worst, largest));
                if (shown == null) {
                    shown = worst;
                    marked = largest;
                }
            }
        }
        if (budget.maxDuration().isPresent()) {
            Duration limit = budget.maxDuration().get();
            List<TraceTree> slow = trees.stream().filter(tree -> tree.stats().latency() == null
                    || tree.stats().latency().compareTo(limit) > 0).collect(Collectors.toList());
            if (!slow.isEmpty()) {
                overruns.add(LoupeErrors.durationOverrun(trees, slow, limit));
                if (shown == null) {
                    shown = slow.stream().max(Comparator.comparing(tree -> tree.stats().latency(),
                            Comparator.nullsLast(Comparator.<Duration>naturalOrder()))).orElseThrow();
                    marked = slowestStep(shown);
                }
            }
        }
        return overruns.isEmpty() ? Optional.empty()
                : Optional.of(LoupeErrors.shouldBeWithinBudget(trees, budget, overruns, shown, marked));
    }

    private static BigDecimal cost(TraceTree tree) {
        return tree.stats().totalCost() == null ? BigDecimal.ZERO : tree.stats().totalCost();
    }

    /** Returns the longest observation that has no children: where the time went. */
    private static Observation slowestStep(TraceTree tree) {
        return tree.observations().stream().filter(o -> tree.children(o).isEmpty() && o.duration() != null)
                .max(Comparator.comparing(Observation::duration)).orElse(null);
    }
}
