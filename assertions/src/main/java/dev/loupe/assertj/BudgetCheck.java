package dev.loupe.assertj;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import java.math.BigDecimal;
import dev.loupe.trace.ObservationType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks what traces spent against a {@link Budget}: tokens, cost, tool calls and model requests summed over all
 * traces; duration, repeated tool calls and tool calls after an error in each. One
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
        List<Marked> marks = new ArrayList<>();
        budget.maxToolCalls().ifPresent(limit -> countCalls(trees, "tool call", limit,
                tree -> tree.observations().stream().filter(o -> o.type() == ObservationType.TOOL).toList(),
                overruns, marks));
        budget.maxCallsPerTool().forEach((tool, limit) -> {
            List<Call> calls = calls(trees, tree -> tree.observations().stream()
                    .filter(o -> o.type() == ObservationType.TOOL && tool.equals(o.name())).toList());
            if (calls.size() > limit) {
                Call beyond = calls.get(limit);
                overruns.add(LoupeErrors.toolOverrun(trees, tool, calls.size(), limit,
                        calls.stream().map(Call::observation).toList(), beyond.tree()));
                marks.add(new Marked(beyond.tree(), beyond.observation()));
            }
        });
        budget.maxModelRequests().ifPresent(limit -> countCalls(trees, "model request", limit,
                tree -> tree.observations().stream().filter(o -> o.type().isModelCall()).toList(), overruns, marks));
        if (budget.noRepeatedToolCalls()) {
            for (TraceTree tree : trees) {
                Map<String, Observation> seen = new HashMap<>();
                for (Observation call : tree.observations()) {
                    if (call.type() != ObservationType.TOOL) {
                        continue;
                    }
                    JsonNode arguments = JsonPayload.parse(call.input());
                    String key = call.name() + "\u0000" + (arguments == null ? "" : canonical(arguments));
                    Observation first = seen.putIfAbsent(key, call);
                    if (first != null) {
                        overruns.add(LoupeErrors.repeatedToolCall(tree, first, call));
                        marks.add(new Marked(tree, call));
                        break;
                    }
                }
            }
        }
        if (budget.noToolCallAfterError()) {
            for (TraceTree tree : trees) {
                List<Observation> errors = Finder.errorsInOrder(tree);
                if (errors.isEmpty()) {
                    continue;
                }
                Observation error = errors.get(0);
                Instant failedAt = error.endTime() != null ? error.endTime() : error.startTime();
                List<Observation> ancestry = tree.ancestry(error);
                tree.observations().stream()
                        .filter(o -> o.type() == ObservationType.TOOL && !ancestry.contains(o)
                                && o != error && o.startTime() != null && failedAt != null
                                && !o.startTime().isBefore(failedAt))
                        .findFirst().ifPresent(call -> {
                            overruns.add(LoupeErrors.toolCallAfterError(tree, error, call));
                            marks.add(new Marked(tree, call));
                        });
            }
        }
        if (shown == null && !marks.isEmpty()) {
            shown = marks.get(0).tree();
            marked = marks.get(0).observation();
        }
        return overruns.isEmpty() ? Optional.empty()
                : Optional.of(LoupeErrors.shouldBeWithinBudget(trees, budget, overruns, shown, marked));
    }

    /** A call found in one of the traces checked. */
    private record Call(TraceTree tree, Observation observation) {
    }

    /** The observation a failure message marks, in its trace. */
    private record Marked(TraceTree tree, Observation observation) {
    }

    private static List<Call> calls(List<TraceTree> trees, Function<TraceTree, List<Observation>> select) {
        List<Call> calls = new ArrayList<>();
        trees.forEach(tree -> select.apply(tree).forEach(call -> calls.add(new Call(tree, call))));
        return calls;
    }

    private static void countCalls(List<TraceTree> trees, String what, int limit,
            Function<TraceTree, List<Observation>> select, List<String> overruns, List<Marked> marks) {
        List<Call> calls = calls(trees, select);
        if (calls.size() > limit) {
            Call beyond = calls.get(limit);
            overruns.add(LoupeErrors.callsOverrun(trees, what, calls.size(), limit,
                    calls.stream().map(Call::observation).toList(), beyond.tree()));
            marks.add(new Marked(beyond.tree(), beyond.observation()));
        }
    }

    /** Returns a document with its object keys sorted, so that arguments equal as JSON have the same text. */
    private static String canonical(JsonNode node) {
        return JsonPayload.canonical(node);
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
