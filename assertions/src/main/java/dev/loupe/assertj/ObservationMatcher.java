package dev.loupe.assertj;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A query over the observations of a trace: by type, name (exact or a regular expression), model, level, a value at
 * a JSON path of the metadata, input or output, an ancestor, depth and duration. Immutable; each method returns a
 * new matcher that requires one more thing, and matchers compose with {@link #and}, {@link #or}, {@link #under} and
 * {@link #not}. Used by {@link TraceTreeAssert#hasSome}, {@link TraceTreeAssert#hasNone},
 * {@link TraceTreeAssert#hasExactly}, {@link TraceTreeAssert#allMatch} and {@link TraceTreeAssert#count}.
 *
 * <pre>
 * assertThat(tree).hasSome(generation().withModel("gpt-4o").under(agent().named("planner")));
 * assertThat(tree).hasNone(toolCall().withLevel(ObservationLevel.ERROR));
 * </pre>
 */
public final class ObservationMatcher {

    private final String description;
    private final Test test;

    /** Decides whether an observation of a tree matches. */
    @FunctionalInterface
    private interface Test {
        boolean matches(TraceTree tree, Observation observation);
    }

    private ObservationMatcher(String description, Test test) {
        this.description = description;
        this.test = test;
    }

    /** Returns a matcher of any observation. */
    public static ObservationMatcher observation() {
        return new ObservationMatcher("observation", (tree, observation) -> true);
    }

    /** Returns a matcher of observations of a type. */
    public static ObservationMatcher ofType(ObservationType type) {
        Objects.requireNonNull(type, "type");
        return new ObservationMatcher(type.name(), (tree, observation) -> observation.type() == type);
    }

    /** Returns a matcher of generations. */
    public static ObservationMatcher generation() {
        return ofType(ObservationType.GENERATION);
    }

    /** Returns a matcher of tool calls. */
    public static ObservationMatcher toolCall() {
        return ofType(ObservationType.TOOL);
    }

    /** Returns a matcher of spans. */
    public static ObservationMatcher span() {
        return ofType(ObservationType.SPAN);
    }

    /** Returns a matcher of agents. */
    public static ObservationMatcher agent() {
        return ofType(ObservationType.AGENT);
    }

    /** Returns a matcher of events. */
    public static ObservationMatcher event() {
        return ofType(ObservationType.EVENT);
    }

    private ObservationMatcher also(String what, Test more) {
        return new ObservationMatcher(description + " " + what,
                (tree, observation) -> test.matches(tree, observation) && more.matches(tree, observation));
    }

    /** Requires this exact name. */
    public ObservationMatcher named(String name) {
        Objects.requireNonNull(name, "name");
        return also("named '" + name + "'", (tree, observation) -> name.equals(observation.name()));
    }

    /** Requires a name the regular expression matches in full, such as {@code search_.*}. */
    public ObservationMatcher nameMatching(String regex) {
        Pattern pattern = pattern("nameMatching", regex);
        return also("with a name matching /" + regex + "/",
                (tree, observation) -> observation.name() != null && pattern.matcher(observation.name()).matches());
    }

    /** Requires this model. */
    public ObservationMatcher withModel(String model) {
        Objects.requireNonNull(model, "model");
        return also("with model '" + model + "'", (tree, observation) -> model.equals(observation.model()));
    }

    /** Requires a model the regular expression matches in full, such as {@code gpt-4o.*}. */
    public ObservationMatcher withModelMatching(String regex) {
        Pattern pattern = pattern("withModelMatching", regex);
        return also("with a model matching /" + regex + "/",
                (tree, observation) -> observation.model() != null && pattern.matcher(observation.model()).matches());
    }

    /** Requires this level, such as {@link ObservationLevel#ERROR}. */
    public ObservationMatcher withLevel(ObservationLevel level) {
        Objects.requireNonNull(level, "level");
        return also("with level " + level, (tree, observation) -> observation.level() == level);
    }

    /** Requires the value, compared as JSON, at a path of the metadata such as {@code customer.tier}. */
    public ObservationMatcher withMetadata(String path, Object value) {
        return payloadAt("metadata", path, value, Observation::metadata);
    }

    /** Requires the value, compared as JSON, at a path of the input (a tool's arguments), such as {@code query}. */
    public ObservationMatcher withInput(String path, Object value) {
        return payloadAt("input", path, value, Observation::input);
    }

    /** Requires the value, compared as JSON, at a path of the output, such as {@code choices[0].text}. */
    public ObservationMatcher withOutput(String path, Object value) {
        return payloadAt("output", path, value, Observation::output);
    }

    private ObservationMatcher payloadAt(String payload, String path, Object value,
            Function<Observation, String> read) {
        Objects.requireNonNull(path, "path");
        JsonNode wanted = JsonPayload.fromValue(value);
        return also("with " + JsonPayload.show(wanted) + " at " + path + " of its " + payload, (tree, observation) -> {
            Optional<JsonNode> found = JsonPayload.at(JsonPayload.parse(read.apply(observation)), path);
            return found.isPresent() && JsonPayload.sameJson(found.get(), wanted);
        });
    }

    /** Requires an ancestor (a parent, or its parent, and so on) that the other matcher matches. */
    public ObservationMatcher under(ObservationMatcher ancestor) {
        Objects.requireNonNull(ancestor, "ancestor");
        return also("under " + article(ancestor.description), (tree, observation) -> {
            List<Observation> ancestry = tree.ancestry(observation);
            return ancestry.subList(0, ancestry.size() - 1).stream()
                    .anyMatch(candidate -> ancestor.test.matches(tree, candidate));
        });
    }

    /** Requires this depth: 0 at the top of the trace, 1 for the children of a top observation, and so on. */
    public ObservationMatcher atDepth(int depth) {
        return also("at depth " + depth, (tree, observation) -> tree.depth(observation) == depth);
    }

    /** Requires at most this depth. */
    public ObservationMatcher atDepthAtMost(int depth) {
        return also("at depth " + depth + " or less", (tree, observation) -> tree.depth(observation) <= depth);
    }

    /** Requires a known duration of at least this long. */
    public ObservationMatcher lastingAtLeast(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        return also("lasting at least " + LoupeErrors.duration(duration), (tree, observation) ->
                observation.duration() != null && observation.duration().compareTo(duration) >= 0);
    }

    /** Requires a known duration of at most this long. */
    public ObservationMatcher lastingAtMost(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        return also("lasting at most " + LoupeErrors.duration(duration), (tree, observation) ->
                observation.duration() != null && observation.duration().compareTo(duration) <= 0);
    }

    /** Requires the predicate on the observation; the description names it in failure messages. */
    public ObservationMatcher satisfying(String description, Predicate<Observation> predicate) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(predicate, "predicate");
        return also("where " + description, (tree, observation) -> {
            try {
                return predicate.test(observation);
            } catch (RuntimeException notApplicable) {
                return false;   // such as a NullPointerException on a field this observation lacks: no match
            }
        });
    }

    /** Returns a matcher of observations this one and the other both match. */
    public ObservationMatcher and(ObservationMatcher other) {
        Objects.requireNonNull(other, "other");
        return new ObservationMatcher("(" + description + ") and (" + other.description + ")",
                (tree, observation) -> test.matches(tree, observation) && other.test.matches(tree, observation));
    }

    /** Returns a matcher of observations this one or the other matches. */
    public ObservationMatcher or(ObservationMatcher other) {
        Objects.requireNonNull(other, "other");
        return new ObservationMatcher("(" + description + ") or (" + other.description + ")",
                (tree, observation) -> test.matches(tree, observation) || other.test.matches(tree, observation));
    }

    /** Returns a matcher of the observations the other one does not match. */
    public static ObservationMatcher not(ObservationMatcher other) {
        Objects.requireNonNull(other, "other");
        return new ObservationMatcher("not (" + other.description + ")",
                (tree, observation) -> !other.test.matches(tree, observation));
    }

    /** Returns whether an observation of the tree matches. */
    public boolean matches(TraceTree tree, Observation observation) {
        return test.matches(tree, observation);
    }

    /** Returns the observations of the tree that match, depth first. */
    public List<Observation> findIn(TraceTree tree) {
        return tree.filter(observation -> test.matches(tree, observation));
    }

    /** Returns what the matcher requires, as failure messages name it: {@code GENERATION with model 'gpt-4o'}. */
    @Override
    public String toString() {
        return description;
    }

    private static String article(String description) {
        return (description.startsWith("AGENT") || description.startsWith("EVENT") || description.startsWith("EMBEDDING")
                || description.startsWith("observation") ? "an " : "a ") + description;
    }

    private static Pattern pattern(String method, String regex) {
        Objects.requireNonNull(regex, "regex");
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException invalid) {
            throw new IllegalArgumentException(method + "(\"" + regex + "\") is not a valid regular expression: "
                    + invalid.getDescription() + "; quote literal text with Pattern.quote", invalid);
        }
    }
}
