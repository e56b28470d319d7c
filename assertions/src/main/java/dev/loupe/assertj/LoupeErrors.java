package dev.loupe.assertj;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.ScoreDataType;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Every failure message of the Loupe assertions, in one place so that they read alike:
 *
 * <pre>
 * Expecting generation 'final-answer' at support-agent &gt; final-answer
 *   to have model "gpt-4o"
 *   but its model is "gpt-4o-mini".
 * Trace:
 *   trace support-agent [4bf92f3577b34da6a3ce929d0e0e4736]  1.20 s  545 tokens
 *   └─ SPAN support-agent  1.20 s
 *      ├─ GENERATION draft-reply  390 ms  gpt-4o-mini  120 in / 45 out
 *      └─ GENERATION final-answer  540 ms  gpt-4o-mini  300 in / 80 out   &lt;-- here
 * </pre>
 *
 * <p>Observations are named by name and path, never by position; the trace is drawn by
 * {@link TraceTree#render(Observation)}, marking the observation concerned.
 */
final class LoupeErrors {

    private static final int MAX_SUGGESTIONS = 5;

    private LoupeErrors() {
    }

    /** What a failure is about: the trace, and the observation to mark in it (null to mark none). */
    record Subject(TraceTree tree, Observation marked, String description) {

        /** Returns the subject of a check on a whole trace. */
        static Subject of(TraceTree tree) {
            return new Subject(tree, null, trace(tree));
        }

        /** Returns the subject of a check on one observation of a trace. */
        static Subject of(TraceTree tree, Observation observation) {
            return new Subject(tree, observation, observation(tree, observation));
        }

        /** Returns the subject of a check on a score of a trace (owner null) or of one of its observations. */
        static Subject of(TraceTree tree, Observation owner, Score score) {
            String name = "score '" + score.name() + "'";
            if (tree == null) {
                return new Subject(null, null, name);
            }
            return new Subject(tree, owner, name + " of " + (owner == null ? trace(tree) : observation(tree, owner)));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Names of things

    /** Returns how messages name a trace: {@code trace 'support-agent'}. */
    static String trace(TraceTree tree) {
        return tree.name() == null ? "trace " + tree.id() : "trace '" + tree.name() + "'";
    }

    /** Returns how messages name an observation: {@code tool call 'search_docs' at support-agent > search_docs}. */
    static String observation(TraceTree tree, Observation observation) {
        return kind(observation.type()) + " '" + observation.name() + "' at " + path(tree, observation);
    }

    /** Returns the path of an observation in the tree, or its name when the tree does not hold it. */
    static String path(TraceTree tree, Observation observation) {
        return tree != null && tree.observation(observation.id()).isPresent() ? tree.path(observation)
                : String.valueOf(observation.name());
    }

    /** Returns how messages name an observation type: {@code generation}, {@code tool call}. */
    static String kind(ObservationType type) {
        return type == ObservationType.TOOL ? "tool call" : type.name().toLowerCase(Locale.ROOT);
    }

    /** Returns an observation as a list in a message shows it: {@code TOOL search_docs}. */
    static String label(Observation observation) {
        return observation.type() + " " + observation.name();
    }

    /** Returns an amount in US dollars: {@code $0.000045}. */
    static String usd(BigDecimal amount) {
        return amount == null ? "unknown"
                : "$" + amount.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** Returns a duration as the trace drawing shows it: {@code 850 ms}, {@code 1.25 s}. */
    static String duration(Duration duration) {
        if (duration == null) {
            return "unknown";
        }
        long micros = duration.toNanos() / 1_000;
        if (micros < 1_000) {
            return micros + " µs";
        }
        if (micros < 1_000_000) {
            return BigDecimal.valueOf(micros, 3).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros()
                    .toPlainString() + " ms";
        }
        return BigDecimal.valueOf(micros, 6).setScale(2, RoundingMode.HALF_UP).toPlainString() + " s";
    }

    /** Returns the limits of a budget: {@code at most 2000 tokens, at most $0.05}. */
    static String limits(Budget budget) {
        List<String> limits = new ArrayList<>();
        budget.maxTokens().ifPresent(tokens -> limits.add("at most " + tokens + " tokens"));
        budget.maxCostUsd().ifPresent(cost -> limits.add("at most " + usd(cost)));
        budget.maxDuration().ifPresent(time -> limits.add("at most " + duration(time) + " a trace"));
        budget.maxToolCalls().ifPresent(calls -> limits.add("at most " + count(calls, "tool call")));
        budget.maxCallsPerTool().forEach((tool, calls) -> limits.add("at most " + count(calls, "call") + " of '"
                + tool + "'"));
        budget.maxModelRequests().ifPresent(calls -> limits.add("at most " + count(calls, "model request")));
        if (budget.noRepeatedToolCalls()) {
            limits.add("no repeated identical tool call");
        }
        if (budget.noToolCallAfterError()) {
            limits.add("no tool call after an error");
        }
        return limits.isEmpty() ? "no limit" : String.join(", ", limits);
    }

    /** Returns a count with its noun: {@code 1 tool call}, {@code 3 tool calls}. */
    static String count(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    /** Returns a number as messages show it: {@code 1} rather than {@code 1.0}. */
    static String number(double value) {
        return quote(value);
    }

    private static String quote(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence || value instanceof Character) {
            return "\"" + value + "\"";
        }
        if (value instanceof Double number && number == Math.rint(number) && Math.abs(number) < 1e15) {
            return Long.toString(number.longValue());
        }
        return String.valueOf(value);
    }

    private static String json(String json) {
        return JsonPayload.show(json);
    }

    private static String paths(TraceTree tree, Collection<Observation> observations) {
        return observations.isEmpty() ? "none"
                : observations.stream().map(tree::path).collect(Collectors.joining(", "));
    }

    private static String labels(Collection<Observation> observations) {
        return observations.stream().map(LoupeErrors::label).collect(Collectors.joining(", ", "[", "]"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // The shape of every message

    private static String expecting(Subject subject, String expectation, String found) {
        StringBuilder message = new StringBuilder("Expecting ").append(subject.description())
                .append("\n  to ").append(expectation)
                .append("\n  but ").append(found).append('.');
        return withTrace(message, subject.tree(), subject.marked());
    }

    private static String withTrace(StringBuilder message, TraceTree tree, Observation marked) {
        if (tree != null) {
            message.append("\nTrace:\n  ").append(tree.render(marked).replace("\n", "\n  "));
        }
        return message.toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Values

    /** The subject's property differs: {@code to have model "gpt-4o" but its model is "gpt-4o-mini"}. */
    static String shouldHave(Subject subject, String property, Object expected, Object actual) {
        return expecting(subject, "have " + property + " " + quote(expected),
                actual == null ? "it has no " + property : "its " + property + " is " + quote(actual));
    }

    /** The subject's property does not contain a text. */
    static String shouldHaveContaining(Subject subject, String property, String text, String actual) {
        return expecting(subject, "have " + article(property) + " containing " + quote(text),
                actual == null ? "it has no " + property : "its " + property + " is " + quote(actual));
    }

    /** A quantity is above its bound, or unknown: {@code to take at most 2 s but it took 3.1 s}. */
    static String shouldBeAtMost(Subject subject, String quantity, String limit, String actual, String unknownWhy) {
        return expecting(subject, "have " + quantity + " of at most " + limit,
                actual == null ? "its " + quantity + " is unknown: " + unknownWhy
                        : "its " + quantity + " is " + actual);
    }

    /** The tags lack some of the expected ones. */
    static String shouldHaveTags(Subject subject, Collection<String> expected, Collection<String> actual,
            Collection<String> missing) {
        return expecting(subject, "have the tags " + expected,
                "its tags are " + actual + ", without " + missing);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Payloads: input, output, arguments, result, metadata, model parameters

    /** A payload is not the expected JSON document. */
    static String shouldHavePayload(Subject subject, String payload, JsonNode expected, String actual) {
        return expecting(subject, "have the " + payload + "\n    " + JsonPayload.show(expected),
                actual == null ? "it has no " + payload : "its " + payload + " " + be(payload) + "\n    " + json(actual));
    }

    /** A payload does not contain a text. */
    static String shouldHavePayloadContaining(Subject subject, String payload, String text, String actual) {
        return expecting(subject, "have " + article(payload) + " containing " + quote(text),
                actual == null ? "it has no " + payload : "its " + payload + " " + be(payload) + "\n    " + json(actual));
    }

    /** A payload has another value, or nothing, at a JSON path. */
    static String shouldHavePayloadAt(Subject subject, String payload, String path, JsonNode expected,
            JsonNode found, String actual) {
        return expecting(subject, "have " + JsonPayload.show(expected) + " at " + path + " of its " + payload,
                (found == null ? "its " + payload + " has nothing at " + path
                        : "it has " + JsonPayload.show(found) + " there")
                        + (actual == null ? "; it has no " + payload : "; the " + payload + " is\n    " + json(actual)));
    }

    /** A payload does not satisfy the test's requirements. */
    static String shouldHavePayloadSatisfying(Subject subject, String payload, String actual, AssertionError cause) {
        return expecting(subject, "have " + article(payload) + " satisfying the given requirements",
                "they failed with:\n    " + String.valueOf(cause.getMessage()).strip().replace("\n", "\n    ")
                        + "\n  for the " + payload + "\n    " + json(actual));
    }

    /** A JSON object lacks an entry or has another value in it: metadata, model parameters, tool arguments. */
    static String shouldHaveEntry(Subject subject, String entry, String key, JsonNode expected, JsonNode found,
            String object) {
        return expecting(subject, "have " + entry + " " + quote(key) + " = " + JsonPayload.show(expected),
                (found == null ? "it has no " + entry + " " + quote(key)
                        : "its " + entry + " " + quote(key) + " is " + JsonPayload.show(found))
                        + (object == null ? "" : "; all of them: " + json(object)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Finding observations and scores

    /**
     * No observation of a kind has the name; the closest names are suggested:
     * {@code no generation named 'final-answr'; found: final-answer, draft-reply}.
     */
    static String shouldHaveObservationNamed(TraceTree tree, String kind, String name, List<Observation> candidates) {
        String found = "there is no " + kind + " named '" + name + "'; found: " + suggest(name,
                candidates.stream().map(Observation::name).collect(Collectors.toList()));
        List<Observation> sameName = tree.findAll(name);
        if (!sameName.isEmpty()) {
            found += " ('" + name + "' is " + sameName.stream().map(observation -> "a " + kind(observation.type())
                    + " at " + tree.path(observation)).distinct().collect(Collectors.joining(" and ")) + ")";
        }
        return expecting(Subject.of(tree), "have " + article(kind) + " named '" + name + "'", found);
    }

    /** No observation is at a path; says how far the path could be followed. */
    static String shouldHaveObservationAtPath(TraceTree tree, String path, Observation deepest, String missingName,
            List<Observation> candidates) {
        String where = deepest == null ? "in the trace" : "under " + tree.path(deepest);
        return expecting(new Subject(tree, deepest, trace(tree)), "have an observation at path '" + path + "'",
                "there is no '" + missingName + "' " + where + "; found: "
                        + suggest(missingName, candidates.stream().map(Observation::name).collect(Collectors.toList())));
    }

    /** The trace has an observation it should not have. */
    static String shouldNotHaveObservationNamed(TraceTree tree, String name, List<Observation> found) {
        return expecting(new Subject(tree, found.get(0), trace(tree)), "have no observation named '" + name + "'",
                "it has " + found.size() + ": " + paths(tree, found));
    }

    /** No score of the subject has the name. */
    static String shouldHaveScore(Subject subject, String name, List<Score> scores) {
        return expecting(subject, "have a score named '" + name + "'",
                "there is no score named '" + name + "'; found: " + suggest(name,
                        scores.stream().map(Score::name).collect(Collectors.toList())));
    }

    /** A navigation of soft assertions found nothing, so the checks chained after it cannot run. */
    static String navigationFailed(String what) {
        return "Cannot check " + what + ": it was not found (see the failure reported before this one)";
    }

    /** Returns the names closest to the wanted one by edit distance, at most five, or "none". */
    static String suggest(String wanted, Collection<String> names) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(names));
        distinct.remove(null);
        if (distinct.isEmpty()) {
            return "none";
        }
        String target = wanted == null ? "" : wanted;
        distinct.sort(Comparator.comparingInt(name -> editDistance(target, name)));
        String shown = distinct.stream().limit(MAX_SUGGESTIONS).collect(Collectors.joining(", "));
        return distinct.size() > MAX_SUGGESTIONS ? shown + " and " + (distinct.size() - MAX_SUGGESTIONS) + " more"
                : shown;
    }

    /** Returns the Levenshtein distance of two texts, ignoring case. */
    static int editDistance(String left, String right) {
        String a = left.toLowerCase(Locale.ROOT);
        String b = right.toLowerCase(Locale.ROOT);
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String be(String payload) {
        return payload.endsWith("s") ? "are" : "is";
    }

    private static String article(String kind) {
        return "aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " + kind : "a " + kind;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Errors

    /** The trace has observations that failed. */
    static String shouldHaveNoErrors(TraceTree tree, List<Observation> errors) {
        return expecting(new Subject(tree, errors.get(0), trace(tree)), "have no errors",
                "it has " + errors.size() + ":" + errorList(tree, errors));
    }

    /** No observation failed with a message containing the text. */
    static String shouldHaveErrorWithMessage(Subject subject, String text, List<Observation> errors) {
        return expecting(subject, "have an error with a message containing " + quote(text),
                errors.isEmpty() ? "it has no errors" : "its errors are:" + errorList(subject.tree(), errors));
    }

    /** The trace has no error to navigate to. */
    static String shouldHaveAnError(TraceTree tree) {
        return expecting(Subject.of(tree), "have an error", "it has none");
    }

    /** Another observation failed first. */
    static String shouldHaveFirstErrorIn(TraceTree tree, String name, Observation first, List<Observation> errors) {
        return expecting(new Subject(tree, first, trace(tree)), "have failed first in '" + name + "'",
                "it failed first in " + observation(tree, first) + "; its errors, first to last, are:"
                        + errorList(tree, errors));
    }

    /** The observation did not fail. */
    static String shouldBeError(Subject subject, Observation observation) {
        return expecting(subject, "have failed (level ERROR)", "its level is " + observation.level()
                + (observation.statusMessage() == null ? "" : " with status message " + quote(observation.statusMessage())));
    }

    /** The observation failed. */
    static String shouldNotBeError(Subject subject, Observation observation) {
        return expecting(subject, "not have failed", "it has level ERROR"
                + (observation.statusMessage() == null ? "" : " with status message " + quote(observation.statusMessage())));
    }

    private static String errorList(TraceTree tree, List<Observation> errors) {
        return errors.stream().map(error -> "\n    " + tree.path(error) + ": "
                        + (error.statusMessage() == null ? "(no status message)" : quote(error.statusMessage())))
                .collect(Collectors.joining());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Structure

    /** The children of an observation differ from the expected ones. */
    static String shouldHaveChildren(Subject subject, String how, List<Outline.Node> expected,
            List<Observation> children) {
        return expecting(subject, "have " + how + " " + expected, children.isEmpty() ? "it has no children"
                : "its children are " + labels(children));
    }

    /** The observation has another parent, or none. */
    static String shouldHaveParent(Subject subject, Outline.Node expected, Observation parent) {
        return expecting(subject, "have the parent " + expected, parent == null
                ? "it is at the top of the trace" : "its parent is " + label(parent));
    }

    /** No child of the observation matches. */
    static String shouldHaveChild(Subject subject, Outline.Node expected, List<Observation> children) {
        return expecting(subject, "have a child " + expected, children.isEmpty()
                ? "it has no children" : "its children are " + labels(children));
    }

    /** No ancestor of the observation matches. */
    static String shouldHaveAncestor(Subject subject, Outline.Node expected, List<Observation> ancestors) {
        return expecting(subject, "have an ancestor " + expected, ancestors.isEmpty()
                ? "it is at the top of the trace" : "its ancestors are " + labels(ancestors));
    }

    /** The observation is not at the expected depth. */
    static String shouldHaveDepth(Subject subject, int expected, int actual) {
        return expecting(subject, "be at depth " + expected + " (0 is the top of the trace)",
                "it is at depth " + actual);
    }

    /** The observation does not start, or end, before the other one. */
    static String shouldHappenBefore(Subject subject, String moment, Observation other, TraceTree tree,
            Object time, Object otherTime) {
        return expecting(subject, moment + " before " + observation(tree, other) + " " + moment + "s",
                time == null || otherTime == null ? "the time to compare is unknown: " + moment + " "
                        + (time == null ? "of this observation" : "of the other") + " was not recorded"
                        : "it " + moment + "s at " + time + " and the other at " + otherTime);
    }

    /** The trace has another number of observations of a type. */
    static String shouldHaveCount(TraceTree tree, String what, int expected, List<Observation> found) {
        return expecting(Subject.of(tree), "have " + expected + " " + what, "it has " + found.size()
                + (found.isEmpty() ? "" : ": " + paths(tree, found)));
    }

    /** The tools were called in another order. */
    static String shouldHaveToolCallsInOrder(TraceTree tree, String how, List<String> expected,
            List<Observation> calls) {
        return expecting(Subject.of(tree), "have tool calls " + how + " " + expected,
                calls.isEmpty() ? "no tool was called"
                        : "the tools were called in this order: " + calls.stream().map(Observation::name)
                        .collect(Collectors.joining(", ", "[", "]")));
    }

    /** A tool was called another number of times. */
    static String shouldBeCalledTimes(Subject subject, String tool, int expected, List<Observation> calls,
            TraceTree tree) {
        return expecting(subject, "be called " + times(expected) + " in " + trace(tree),
                "'" + tool + "' was called " + times(calls.size()) + ": " + paths(tree, calls));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Trajectories and limits

    private static final int MAX_CELL = 60;

    /** The calls do not match the expected trajectory; both are shown side by side, the first difference marked. */
    static String shouldMatchTrajectory(TraceTree tree, String kind, TrajectoryComparison comparison) {
        TrajectoryComparison.Row first = comparison.firstDifference();
        String found;
        if (comparison.mode() == TrajectoryMatch.STRICT) {
            found = "they differ first at call " + comparison.firstDifferenceNumber() + ": expected "
                    + (first.expected() == null ? "no more calls" : first.expected())
                    + ", found " + (first.actual() == null ? "no call" : call(tree, first.actual()));
        } else {
            List<String> problems = new ArrayList<>();
            List<TrajectoryComparison.Row> missing = comparison.rows().stream()
                    .filter(row -> row.differs() && row.actual() == null).toList();
            List<TrajectoryComparison.Row> unexpected = comparison.rows().stream()
                    .filter(row -> row.differs() && row.expected() == null).toList();
            if (!missing.isEmpty()) {
                problems.add(missing.size() + (missing.size() == 1 ? " expected call was" : " expected calls were")
                        + " not made: " + missing.stream().map(row -> row.expected().toString())
                        .collect(Collectors.joining(", ")));
            }
            if (!unexpected.isEmpty()) {
                problems.add(unexpected.size() + (unexpected.size() == 1 ? " call was" : " calls were")
                        + " not expected: " + unexpected.stream().map(row -> call(tree, row.actual()))
                        .collect(Collectors.joining(", ")));
            }
            found = String.join("\n  and ", problems);
        }
        StringBuilder message = new StringBuilder("Expecting the ").append(kind).append(" of ")
                .append(tree == null ? "the trace" : trace(tree))
                .append("\n  to match the trajectory ").append(comparison.mode().description())
                .append("\n  but ").append(found).append('.');
        message.append("\nTrajectories (> marks the first difference):\n").append(sideBySide(tree, comparison));
        return withTrace(message, tree, first == null ? null : first.actual());
    }

    private static String sideBySide(TraceTree tree, TrajectoryComparison comparison) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"expected", "actual"});
        for (TrajectoryComparison.Row row : comparison.rows()) {
            cells.add(new String[] {row.expected() == null ? "-" : cut(row.expected().toString()),
                    row.actual() == null ? "-" : cut(call(tree, row.actual()))});
        }
        int width = cells.stream().mapToInt(cell -> cell[0].length()).max().orElse(0);
        TrajectoryComparison.Row first = comparison.firstDifference();
        StringBuilder table = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            TrajectoryComparison.Row row = i == 0 ? null : comparison.rows().get(i - 1);
            String mark = row == null ? "  " : row == first ? "> " : row.differs() ? "! " : "  ";
            String number = row == null ? "   " : String.format(Locale.ROOT, "%2d ", i);
            table.append(i == 0 ? "" : "\n").append("  ").append(mark).append(number)
                    .append(pad(cells.get(i)[0], width)).append(" | ").append(cells.get(i)[1]);
        }
        return table.toString();
    }

    /** Returns a call as a trajectory shows it: {@code search_docs {"query":"reset"}}. */
    static String call(TraceTree tree, Observation observation) {
        return observation.name() + (observation.input() == null ? "" : " " + JsonPayload.show(
                JsonPayload.parse(observation.input())));
    }

    private static String cut(String text) {
        return text.length() <= MAX_CELL ? text : text.substring(0, MAX_CELL - 1) + "…";
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Queries

    /** No observation matches the query. */
    static String shouldHaveSome(TraceTree tree, ObservationMatcher query) {
        return expecting(Subject.of(tree), "have some observation matching: " + query, "none does");
    }

    /** Some observations match a query that none should. */
    static String shouldHaveNone(TraceTree tree, ObservationMatcher query, List<Observation> found) {
        return expecting(new Subject(tree, found.get(0), trace(tree)), "have no observation matching: " + query,
                found.size() + (found.size() == 1 ? " does: " : " do: ") + paths(tree, found));
    }

    /** Another number of observations match the query. */
    static String shouldHaveExactly(TraceTree tree, int expected, ObservationMatcher query, List<Observation> found) {
        Observation marked = found.size() > expected ? found.get(expected) : null;
        return expecting(new Subject(tree, marked, trace(tree)), "have exactly " + expected
                        + (expected == 1 ? " observation" : " observations") + " matching: " + query,
                found.isEmpty() ? "none does" : found.size() + (found.size() == 1 ? " does: " : " do: ")
                        + paths(tree, found));
    }

    /** Some observations of a selection do not meet the requirement. */
    static String shouldAllMatch(TraceTree tree, ObservationMatcher selection, ObservationMatcher requirement,
            List<Observation> failing, int selected) {
        return expecting(new Subject(tree, failing.get(0), trace(tree)), "have every observation matching: "
                        + selection + "\n  also match: " + requirement,
                failing.size() + " of " + selected + (failing.size() == 1 ? " does not: " : " do not: ")
                        + paths(tree, failing));
    }

    /** Returns how the count of a query is described: {@code observations of trace 'x' matching: TOOL}. */
    static String countOf(TraceTree tree, ObservationMatcher query) {
        return "the number of observations of " + trace(tree) + " matching: " + query;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Snapshots

    /** The trace's outline differs from its snapshot; the unified diff shows how. */
    static String shouldMatchSnapshot(TraceTree tree, Path file, String diff) {
        StringBuilder message = new StringBuilder("Expecting ").append(trace(tree))
                .append("\n  to match its snapshot ").append(file)
                .append("\n  but its outline differs (- snapshot, + trace):\n")
                .append(indent(diff))
                .append("\nIf the change is intended, rewrite the snapshot: run the test with -D")
                .append(Snapshot.UPDATE_PROPERTY).append("=true or ").append(Snapshot.UPDATE_ENVIRONMENT_VARIABLE)
                .append("=true.");
        return withTrace(message, tree, null);
    }

    /** Overrun: more tool calls, or model requests, than allowed. */
    static String callsOverrun(List<TraceTree> trees, String what, int used, int limit, List<Observation> calls,
            TraceTree shown) {
        String counted = (trees.size() == 1 ? "it made " : "they made ") + count(used, what);
        Observation beyond = limit < calls.size() ? calls.get(limit) : null;
        return counted + (beyond == null ? "" : "; the first beyond the limit is " + observation(shown, beyond));
    }

    /** Overrun: one tool was called more often than allowed. */
    static String toolOverrun(List<TraceTree> trees, String tool, int used, int limit, List<Observation> calls,
            TraceTree shown) {
        String counted = (trees.size() == 1 ? "it called " : "they called ") + "'" + tool + "' " + times(used);
        Observation beyond = limit < calls.size() ? calls.get(limit) : null;
        return counted + (beyond == null ? "" : "; the first call beyond the limit is at " + shown.path(beyond));
    }

    /** Overrun: a tool was called twice with the same arguments. */
    static String repeatedToolCall(TraceTree tree, Observation first, Observation repeat) {
        return "'" + repeat.name() + "' was called twice with the same arguments "
                + (repeat.input() == null ? "(none)" : JsonPayload.show(JsonPayload.parse(repeat.input())))
                + ": first at " + tree.path(first) + " (" + trace(tree) + "), again at " + tree.path(repeat);
    }

    /** Overrun: a tool was called after an observation had failed. */
    static String toolCallAfterError(TraceTree tree, Observation error, Observation call) {
        return "tool call '" + call.name() + "' at " + tree.path(call) + " started after "
                + kind(error.type()) + " '" + error.name() + "' at " + tree.path(error) + " failed"
                + (error.statusMessage() == null ? "" : " (" + error.statusMessage() + ")");
    }

    private static String times(int count) {
        return count == 1 ? "once" : count + " times";
    }

    /** The tree does not have the outline's shape. */
    static String shouldHaveShape(TraceTree tree, String how, List<Outline.Node> outline, Outline.Mismatch mismatch) {
        String where = mismatch.parent() == null ? "at the top of the trace" : "under " + tree.path(mismatch.parent());
        return expecting(new Subject(tree, mismatch.parent(), trace(tree)),
                "have " + how + "\n    " + Outline.format(outline).replace("\n", "\n    "),
                where + " it expected " + mismatch.expected() + " and found "
                        + (mismatch.found().isEmpty() ? "no observation" : labels(mismatch.found())));
    }

    /** No subtree of the trace contains the outline. */
    static String shouldContainShape(TraceTree tree, Outline.Node outline, Outline.Mismatch mismatch) {
        String expectation = "contain the shape\n    " + Outline.format(List.of(outline)).replace("\n", "\n    ");
        if (mismatch == null) {
            return expecting(Subject.of(tree), expectation, "no observation is " + outline + "; found: "
                    + suggest(outline.name(), tree.walk().stream().map(Observation::name).collect(Collectors.toList())));
        }
        return expecting(new Subject(tree, mismatch.parent(), trace(tree)), expectation,
                "under " + tree.path(mismatch.parent()) + " it expected " + mismatch.expected() + " and found "
                        + (mismatch.found().isEmpty() ? "no children" : labels(mismatch.found())));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Model calls

    /** The model call reported other usage. */
    static String shouldHaveUsage(Subject subject, long input, long output, Usage usage) {
        return expecting(subject, "have used " + input + " input and " + output + " output tokens",
                usage == null ? "it reported no usage"
                        : "it used " + usage.input() + " input and " + usage.output() + " output tokens");
    }

    /** The model call's input has no such chat message. */
    static String shouldHaveInputMessage(Subject subject, String role, String content, boolean containing,
            List<JsonPayload.ChatMessage> messages, String input) {
        String expectation = "have an input message from " + quote(role)
                + (containing ? " containing " : " with the content ") + quote(content);
        if (messages.isEmpty()) {
            return expecting(subject, expectation, "its input has no chat messages; it is\n    " + json(input));
        }
        return expecting(subject, expectation, "its messages are:" + messages.stream()
                .map(message -> "\n    " + message).collect(Collectors.joining()));
    }

    /** The roles of the model call's input messages differ. */
    static String shouldHaveInputMessageRoles(Subject subject, List<String> expected,
            List<JsonPayload.ChatMessage> messages) {
        return expecting(subject, "have input messages from " + expected,
                "they are from " + messages.stream().map(JsonPayload.ChatMessage::role).collect(Collectors.toList()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Scores

    /** The score's value does not compare as expected. */
    static String shouldHaveScoreValue(Subject subject, String comparison, Object expected, Score score) {
        return expecting(subject, "have a value " + comparison + " " + quote(expected), valueOf(score));
    }

    /** The score is not of the expected data type. */
    static String shouldBeOfDataType(Subject subject, ScoreDataType expected, Score score) {
        return expecting(subject, "be a " + expected.name().toLowerCase(Locale.ROOT) + " score", valueOf(score));
    }

    private static String valueOf(Score score) {
        return switch (score.dataType()) {
            case NUMERIC -> score.value() == null ? "it has no value" : "its value is " + quote(score.value());
            case BOOLEAN -> "it is a boolean score with the value " + score.valueAsText();
            case CATEGORICAL -> "it is a categorical score with the value " + quote(score.stringValue());
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // Budgets

    /** The traces used more tokens than the budget allows. */
    static String tokensOverrun(List<TraceTree> trees, long used, TraceTree worst, Observation largest) {
        StringBuilder found = new StringBuilder();
        found.append(trees.size() == 1 ? "it used " : "they used ").append(used).append(" tokens");
        if (trees.size() > 1) {
            found.append(" together: ").append(trees.stream()
                    .map(tree -> traceLabel(tree) + " " + tree.stats().totalTokens())
                    .collect(Collectors.joining(", ")));
        }
        if (largest != null && largest.usage() != null) {
            found.append("; the most in ").append(observation(worst, largest)).append(": ")
                    .append(largest.usage().total());
        }
        return found.toString();
    }

    /** The traces cost more than the budget allows. */
    static String costOverrun(List<TraceTree> trees, BigDecimal used, TraceTree worst, Observation largest) {
        StringBuilder found = new StringBuilder();
        found.append(trees.size() == 1 ? "it cost " : "they cost ").append(usd(used));
        if (trees.size() > 1) {
            found.append(" together: ").append(trees.stream()
                    .map(tree -> traceLabel(tree) + " " + usd(tree.stats().totalCost() == null ? BigDecimal.ZERO
                            : tree.stats().totalCost()))
                    .collect(Collectors.joining(", ")));
        }
        if (largest != null && largest.cost() != null) {
            found.append("; the most in ").append(observation(worst, largest)).append(": ")
                    .append(usd(largest.cost().total()));
        }
        return found.toString();
    }

    /** Some traces took longer than the budget allows, or their duration is unknown. */
    static String durationOverrun(List<TraceTree> trees, List<TraceTree> slow, Duration limit) {
        if (trees.size() == 1) {
            return "it " + took(trees.get(0));
        }
        return slow.size() + " of them took longer than " + duration(limit) + ": "
                + slow.stream().map(tree -> traceLabel(tree) + " " + took(tree)).collect(Collectors.joining(", "));
    }

    private static String took(TraceTree tree) {
        return tree.stats().latency() == null ? "has no ended observation, so its duration is unknown"
                : "took " + duration(tree.stats().latency());
    }

    /** Returns how a list of traces names one: {@code support-agent [4bf92f35]}. */
    private static String traceLabel(TraceTree tree) {
        String id = tree.id().length() > 8 ? tree.id().substring(0, 8) : tree.id();
        return (tree.name() == null ? "(unnamed)" : tree.name()) + " [" + id + "]";
    }

    /** Traces spent more than their budget; every overrun is listed and the worst trace drawn. */
    static String shouldBeWithinBudget(List<TraceTree> trees, Budget budget, List<String> overruns, TraceTree shown,
            Observation marked) {
        String subject = trees.size() == 1 ? trace(trees.get(0)) : trees.size() + " traces";
        StringBuilder message = new StringBuilder("Expecting ").append(subject)
                .append("\n  to stay within the budget of ").append(limits(budget));
        for (int i = 0; i < overruns.size(); i++) {
            message.append(i == 0 ? "\n  but " : "\n  and ").append(overruns.get(i));
        }
        message.append('.');
        if (trees.size() > 1 && shown != null) {
            message.append("\nThe trace that overran the most, ").append(traceLabel(shown)).append(':');
            message.append("\n  ").append(shown.render(marked).replace("\n", "\n  "));
            return message.toString();
        }
        return withTrace(message, shown, marked);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Well-formedness

    /** The trace has instrumentation mistakes; each is listed with the path of its observation. */
    static String shouldBeWellFormed(TraceTree tree, List<WellFormedness.Problem> problems) {
        StringBuilder found = new StringBuilder("it has ").append(problems.size())
                .append(problems.size() == 1 ? " problem:" : " problems:");
        for (WellFormedness.Problem problem : problems) {
            found.append("\n    - ").append(problem.observation() == null ? "trace" : tree.path(problem.observation()))
                    .append(": ").append(problem.description());
        }
        Observation first = problems.stream().map(WellFormedness.Problem::observation)
                .filter(Objects::nonNull).findFirst().orElse(null);
        String text = "Expecting " + trace(tree) + "\n  to be well formed\n  but " + found;
        return withTrace(new StringBuilder(text), tree, first);
    }

    /** Problem: the observation has not ended. */
    static String neverEnded() {
        return "never ended (no end time)";
    }

    /** Problem: the observation has no start time. */
    static String noStartTime() {
        return "has no start time";
    }

    /** Problem: the observation ends before it starts. */
    static String endsBeforeItStarts(Observation observation) {
        return "ends (" + observation.endTime() + ") before it starts (" + observation.startTime() + ")";
    }

    /** Problem: the observation's parent is not in the trace. */
    static String missingParent(String parentId) {
        return "its parent " + parentId + " is not in the trace";
    }

    /** Problem: the observation is its own parent, or its ancestors loop back to it. */
    static String parentCycle(String parentId) {
        return "its parent " + parentId + " is itself or one of its own descendants (a cycle of parents)";
    }

    /** Problem: a model call has no model. */
    static String noModel(Observation observation) {
        return kind(observation.type()) + " without a model";
    }

    /** Problem: a model call reported no usage. */
    static String noUsage(Observation observation) {
        return kind(observation.type()) + " without usage";
    }

    /** Problem: a usage count is negative. */
    static String negativeUsage(String detail, long value) {
        return "negative usage: " + detail + " = " + value;
    }

    /** Problem: the total of a usage is not the sum of its input and output. */
    static String inconsistentUsage(Usage usage) {
        return "inconsistent usage: total " + usage.total() + " != input " + usage.input() + " + output "
                + usage.output();
    }

    /** Problem: a cost is negative. */
    static String negativeCost(String detail, BigDecimal value) {
        return "negative cost: " + detail + " = " + value.toPlainString();
    }

    /** Problem: a child starts before its parent. */
    static String startsBeforeParent(Observation child, Observation parent) {
        return "starts (" + child.startTime() + ") before its parent " + label(parent) + " (" + parent.startTime() + ")";
    }

    /** Problem: a child ends after its parent. */
    static String endsAfterParent(Observation child, Observation parent) {
        return "ends (" + child.endTime() + ") after its parent " + label(parent) + " (" + parent.endTime() + ")";
    }

    /** Problem: a score judges an observation that is not in the trace. */
    static String scoreOnMissingObservation(Score score) {
        return "score '" + score.name() + "' is on observation " + score.observationId()
                + ", which is not in the trace";
    }

    /** Problem: a score belongs to another trace. */
    static String scoreOnOtherTrace(Score score) {
        return "score '" + score.name() + "' is on trace " + score.traceId() + ", not on this one";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Captured traces of a test

    private static String captured(List<TraceTree> trees) {
        if (trees.isEmpty()) {
            return "\nNo trace was captured.";
        }
        StringBuilder text = new StringBuilder("\nCaptured traces:");
        trees.forEach(tree -> text.append('\n').append(indent(tree.render())));
        return text.toString();
    }

    private static String indent(String text) {
        return text.lines().map(line -> "  " + line).collect(Collectors.joining("\n"));
    }

    private static String names(List<TraceTree> trees) {
        return trees.stream().map(TraceTree::name).map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    static String shouldHaveCapturedCount(List<TraceTree> trees, int expected) {
        return "Expecting the test to have captured " + expected + (expected == 1 ? " trace" : " traces")
                + "\n  but it captured " + trees.size() + ": " + names(trees) + "." + captured(trees);
    }

    static String shouldHaveCapturedNames(List<TraceTree> trees, List<String> expected) {
        return "Expecting the test to have captured traces named " + expected + ", in this order,"
                + "\n  but it captured " + names(trees) + "." + captured(trees);
    }

    static String shouldHaveCapturedNamed(List<TraceTree> trees, String name) {
        return "Expecting the test to have captured a trace named '" + name + "'"
                + "\n  but none is named so; closest names: "
                + suggest(name, trees.stream().map(TraceTree::name).filter(Objects::nonNull).toList()) + "."
                + captured(trees);
    }

    static String shouldHaveSessionScore(String name, List<Score> sessionScores) {
        return "Expecting the test to have given a session score named '" + name + "'"
                + "\n  but " + (sessionScores.isEmpty() ? "it gave no session score."
                : "it gave only " + sessionScores.stream()
                        .map(score -> score.name() + " (session " + score.sessionId() + ")").toList() + ".");
    }

    static String capturedTraceFailed(TraceTree tree, int position, int count, AssertionError failure) {
        return "Captured trace " + trace(tree) + " (number " + position + " of " + count
                + ", in the order they began) does not satisfy its requirements:\n" + indent(failure.getMessage());
    }

    static String noCapturedTraceSatisfies(List<TraceTree> trees, List<AssertionError> failures) {
        StringBuilder message = new StringBuilder("Expecting at least one captured trace to satisfy the requirements"
                + "\n  but none of the " + trees.size() + " does:");
        for (int i = 0; i < trees.size(); i++) {
            message.append("\n").append(indent(trace(trees.get(i)) + ": " + failures.get(i).getMessage()));
        }
        return message.toString();
    }
}
