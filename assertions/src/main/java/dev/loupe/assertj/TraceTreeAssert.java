package dev.loupe.assertj;

import dev.loupe.assertj.LoupeErrors.Subject;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractIntegerAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/**
 * Assertions on one trace: its attributes, errors, budgets and shape, with navigation into its generations, tool
 * calls, observations and scores. Obtained with {@link LoupeAssertions#assertThat(TraceTree)}.
 *
 * <pre>
 * assertThat(tree)
 *     .hasName("support-agent")
 *     .hasInputContaining("reset my password")
 *     .hasNoErrors()
 *     .hasChildrenNamed("draft-reply", "search_docs", "final-answer")
 *     .hasTotalTokensAtMost(2_000);
 * </pre>
 *
 * <p>Observations are found by name (optionally {@code TYPE name}) or by path ({@code "support-agent > search_docs"}),
 * never by position. Failure messages draw the trace and mark the observation concerned.
 */
// Not final: AssertJ's soft assertions subclass it (a proxy) to collect its failures.
public class TraceTreeAssert extends AbstractAssert<TraceTreeAssert, TraceTree> {

    private Navigation navigation = Navigation.STRICT;

    /** Creates the assertion on a trace; prefer {@link LoupeAssertions#assertThat(TraceTree)}. */
    public TraceTreeAssert(TraceTree actual) {
        super(actual, TraceTreeAssert.class);
    }

    /** Makes navigation return assertions of the same kind as this one: soft ones under soft assertions. */
    TraceTreeAssert navigatingWith(Navigation through) {
        this.navigation = through;
        return myself;
    }

    private Subject subject() {
        return Subject.of(actual);
    }

    private Trace trace() {
        return actual.trace();
    }

    private TraceTreeAssert verify(String failureMessage) {
        if (failureMessage != null) {
            throw failure("%s", failureMessage);
        }
        return myself;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Trace attributes

    /** Verifies the trace's name. */
    public TraceTreeAssert hasName(String expected) {
        isNotNull();
        return verify(Objects.equals(actual.name(), expected) ? null
                : LoupeErrors.shouldHave(subject(), "name", expected, actual.name()));
    }

    /** Verifies the user the trace ran for. */
    public TraceTreeAssert hasUserId(String expected) {
        isNotNull();
        return verify(Objects.equals(trace().userId(), expected) ? null
                : LoupeErrors.shouldHave(subject(), "user id", expected, trace().userId()));
    }

    /** Verifies the session (conversation) the trace belongs to. */
    public TraceTreeAssert hasSessionId(String expected) {
        isNotNull();
        return verify(Objects.equals(trace().sessionId(), expected) ? null
                : LoupeErrors.shouldHave(subject(), "session id", expected, trace().sessionId()));
    }

    /** Verifies that the trace has these tags, among others. */
    public TraceTreeAssert hasTags(String... tags) {
        isNotNull();
        List<String> expected = Arrays.asList(tags);
        List<String> missing = expected.stream().filter(tag -> !trace().tags().contains(tag))
                .collect(Collectors.toList());
        return verify(missing.isEmpty() ? null
                : LoupeErrors.shouldHaveTags(subject(), expected, trace().tags(), missing));
    }

    /** Verifies that the trace's metadata has the entry; the value is compared as JSON. */
    public TraceTreeAssert hasMetadataEntry(String key, Object value) {
        isNotNull();
        return verify(PayloadChecks.entry(subject(), "metadata entry", trace().metadata(), key, value));
    }

    /** Verifies the release of the application that recorded the trace. */
    public TraceTreeAssert hasRelease(String expected) {
        isNotNull();
        return verify(Objects.equals(trace().release(), expected) ? null
                : LoupeErrors.shouldHave(subject(), "release", expected, trace().release()));
    }

    /** Verifies the environment the trace was recorded in, such as {@code test}. */
    public TraceTreeAssert hasEnvironment(String expected) {
        isNotNull();
        return verify(Objects.equals(trace().environment(), expected) ? null
                : LoupeErrors.shouldHave(subject(), "environment", expected, trace().environment()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Input and output of the trace

    /** Verifies that the trace's input is this value, as the tracer records it: a String is a JSON string. */
    public TraceTreeAssert hasInput(Object value) {
        isNotNull();
        return verify(PayloadChecks.equalsValue(subject(), "input", trace().input(), value));
    }

    /** Verifies that the trace's input is this JSON document, ignoring whitespace and the order of keys. */
    public TraceTreeAssert hasInputJson(String json) {
        isNotNull();
        return verify(PayloadChecks.equalsDocument(subject(), "input", trace().input(), json));
    }

    /** Verifies that the trace's input, or any string in it, contains the text. */
    public TraceTreeAssert hasInputContaining(String text) {
        isNotNull();
        return verify(PayloadChecks.containing(subject(), "input", trace().input(), text));
    }

    /** Verifies the value at a JSON path of the trace's input, such as {@code question.text}. */
    public TraceTreeAssert hasInputAtPath(String path, Object value) {
        isNotNull();
        return verify(PayloadChecks.at(subject(), "input", trace().input(), path, value));
    }

    /** Verifies the trace's input, decoded into a String, Number, Boolean, List, Map or null, with the requirements. */
    public TraceTreeAssert hasInputSatisfying(Consumer<Object> requirements) {
        isNotNull();
        return verify(PayloadChecks.satisfying(subject(), "input", trace().input(), requirements));
    }

    /** Verifies that the trace's output is this value, as the tracer records it: a String is a JSON string. */
    public TraceTreeAssert hasOutput(Object value) {
        isNotNull();
        return verify(PayloadChecks.equalsValue(subject(), "output", trace().output(), value));
    }

    /** Verifies that the trace's output is this JSON document, ignoring whitespace and the order of keys. */
    public TraceTreeAssert hasOutputJson(String json) {
        isNotNull();
        return verify(PayloadChecks.equalsDocument(subject(), "output", trace().output(), json));
    }

    /** Verifies that the trace's output, or any string in it, contains the text. */
    public TraceTreeAssert hasOutputContaining(String text) {
        isNotNull();
        return verify(PayloadChecks.containing(subject(), "output", trace().output(), text));
    }

    /** Verifies the value at a JSON path of the trace's output, such as {@code answer.sources[0]}. */
    public TraceTreeAssert hasOutputAtPath(String path, Object value) {
        isNotNull();
        return verify(PayloadChecks.at(subject(), "output", trace().output(), path, value));
    }

    /** Verifies the trace's output, decoded into a String, Number, Boolean, List, Map or null, with the requirements. */
    public TraceTreeAssert hasOutputSatisfying(Consumer<Object> requirements) {
        isNotNull();
        return verify(PayloadChecks.satisfying(subject(), "output", trace().output(), requirements));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Errors

    /** Verifies that no observation of the trace failed (level ERROR). */
    public TraceTreeAssert hasNoErrors() {
        isNotNull();
        List<Observation> errors = Finder.errorsInOrder(actual);
        return verify(errors.isEmpty() ? null : LoupeErrors.shouldHaveNoErrors(actual, errors));
    }

    /** Verifies that an observation failed with a status message containing the text. */
    public TraceTreeAssert hasErrorWithMessage(String text) {
        isNotNull();
        List<Observation> errors = Finder.errorsInOrder(actual);
        boolean found = errors.stream().anyMatch(error -> error.statusMessage() != null
                && error.statusMessage().contains(text));
        return verify(found ? null : LoupeErrors.shouldHaveErrorWithMessage(subject(), text, errors));
    }

    /** Verifies which observation failed first, by name or path; its parents usually fail after it. */
    public TraceTreeAssert hasFirstErrorIn(String nameOrPath) {
        isNotNull();
        List<Observation> errors = Finder.errorsInOrder(actual);
        if (errors.isEmpty()) {
            return verify(LoupeErrors.shouldHaveAnError(actual));
        }
        Observation first = errors.get(0);
        boolean same = nameOrPath.contains(">")
                ? actual.findByPath(nameOrPath).map(found -> found.id().equals(first.id())).orElse(false)
                : nameOrPath.equals(first.name());
        return verify(same ? null : LoupeErrors.shouldHaveFirstErrorIn(actual, nameOrPath, first, errors));
    }

    /** Navigates to the observation that failed first. */
    public ObservationAssert firstError() {
        isNotNull();
        List<Observation> errors = Finder.errorsInOrder(actual);
        if (errors.isEmpty()) {
            return navigation.toMissing(ObservationAssert.class, ObservationAssert::new, actual, "the first error",
                    failure("%s", LoupeErrors.shouldHaveAnError(actual)));
        }
        return navigation.to(ObservationAssert.class, ObservationAssert::new, errors.get(0), actual);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Budgets and counts

    /** Verifies that the trace took at most the duration, from its start to the end of its last observation. */
    public TraceTreeAssert hasDurationAtMost(Duration limit) {
        return isWithinBudget(Budget.builder().maxDuration(limit).build());
    }

    /** Verifies that all model calls of the trace used at most this many tokens together. */
    public TraceTreeAssert hasTotalTokensAtMost(long limit) {
        return isWithinBudget(Budget.builder().maxTokens(limit).build());
    }

    /** Verifies that all model calls of the trace cost at most this many US dollars together. */
    public TraceTreeAssert hasTotalCostAtMost(double limitUsd) {
        return isWithinBudget(Budget.builder().maxCostUsd(limitUsd).build());
    }

    /** Verifies that all model calls of the trace cost at most this many US dollars together. */
    public TraceTreeAssert hasTotalCostAtMost(BigDecimal limitUsd) {
        return isWithinBudget(Budget.builder().maxCostUsd(limitUsd).build());
    }

    /** Verifies every limit of the budget at once; the message lists every limit overrun. */
    public TraceTreeAssert isWithinBudget(Budget budget) {
        isNotNull();
        Objects.requireNonNull(budget, "budget");
        return verify(BudgetCheck.overruns(List.of(actual), budget).orElse(null));
    }

    /** Verifies that the trace made at most this many tool calls. */
    public TraceTreeAssert hasToolCallsAtMost(int limit) {
        return isWithinBudget(Budget.builder().maxToolCalls(limit).build());
    }

    /** Verifies that the trace called the tool of this name at most this many times. */
    public TraceTreeAssert hasToolCallsAtMost(String tool, int limit) {
        return isWithinBudget(Budget.builder().maxCallsOf(tool, limit).build());
    }

    /** Verifies that the trace made at most this many model requests (generations and embeddings). */
    public TraceTreeAssert hasModelRequestsAtMost(int limit) {
        return isWithinBudget(Budget.builder().maxModelRequests(limit).build());
    }

    /** Verifies that no tool was called twice with the same arguments, compared as JSON. */
    public TraceTreeAssert hasNoRepeatedToolCalls() {
        return isWithinBudget(Budget.builder().noRepeatedToolCalls().build());
    }

    /** Verifies that no tool call started after an observation of the trace failed (level ERROR). */
    public TraceTreeAssert hasNoToolCallAfterError() {
        return isWithinBudget(Budget.builder().noToolCallAfterError().build());
    }

    /** Verifies how many observations the trace has in all. */
    public TraceTreeAssert hasObservationCount(int expected) {
        isNotNull();
        List<Observation> all = actual.walk();
        return verify(all.size() == expected ? null
                : LoupeErrors.shouldHaveCount(actual, "observations", expected, all));
    }

    /** Verifies how many observations of a type the trace has, such as two {@link ObservationType#TOOL}. */
    public TraceTreeAssert hasObservationCount(ObservationType type, int expected) {
        isNotNull();
        List<Observation> ofType = actual.ofType(type);
        return verify(ofType.size() == expected ? null
                : LoupeErrors.shouldHaveCount(actual, LoupeErrors.kind(type) + "s", expected, ofType));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Structure

    /**
     * Returns the observations directly under the trace's root: the children of its root observation, or its
     * top-level observations when it has more than one.
     */
    private List<Observation> topChildren() {
        return actual.roots().size() == 1 ? actual.children(actual.root()) : actual.roots();
    }

    private Subject topSubject() {
        return actual.roots().size() == 1 ? Subject.of(actual, actual.root()) : subject();
    }

    /** Verifies the children of the root observation exactly, in start order; each is a name or {@code TYPE name}. */
    public TraceTreeAssert hasChildrenNamed(String... children) {
        isNotNull();
        List<Outline.Node> expected = Outline.labels(children);
        return verify(Outline.inOrder(expected, topChildren()) ? null
                : LoupeErrors.shouldHaveChildren(topSubject(), "exactly the children", expected, topChildren()));
    }

    /** Verifies the children of the root observation exactly, in any order; each is a name or {@code TYPE name}. */
    public TraceTreeAssert hasChildrenNamedInAnyOrder(String... children) {
        isNotNull();
        List<Outline.Node> expected = Outline.labels(children);
        return verify(Outline.inAnyOrder(expected, topChildren()) ? null
                : LoupeErrors.shouldHaveChildren(topSubject(), "exactly the children, in any order,", expected,
                        topChildren()));
    }

    /** Verifies that the children of the root observation include these in this order, others allowed between. */
    public TraceTreeAssert hasChildrenContainingInOrder(String... children) {
        isNotNull();
        List<Outline.Node> expected = Outline.labels(children);
        return verify(Outline.containsInOrder(expected, topChildren()) ? null
                : LoupeErrors.shouldHaveChildren(topSubject(), "children including, in this order,", expected,
                        topChildren()));
    }

    /**
     * Verifies the whole tree against an indented outline, siblings in start order; each line is a name or
     * {@code TYPE name}, and every observation of the trace must appear.
     */
    public TraceTreeAssert hasShape(String outline) {
        isNotNull();
        List<Outline.Node> expected = Outline.parse(outline);
        return verify(Outline.compare(actual, null, expected, false)
                .map(mismatch -> LoupeErrors.shouldHaveShape(actual, "the shape", expected, mismatch)).orElse(null));
    }

    /** Verifies the whole tree against an indented outline like {@link #hasShape}, siblings in any order. */
    public TraceTreeAssert hasShapeInAnyOrder(String outline) {
        isNotNull();
        List<Outline.Node> expected = Outline.parse(outline);
        return verify(Outline.compare(actual, null, expected, true)
                .map(mismatch -> LoupeErrors.shouldHaveShape(actual, "the shape, siblings in any order,", expected,
                        mismatch)).orElse(null));
    }

    /**
     * Verifies that a subtree anywhere in the trace contains the outline: its first line matches some observation,
     * and each line below is found under its parent line's observation, siblings in order, others allowed between.
     */
    public TraceTreeAssert containsShape(String outline) {
        isNotNull();
        List<Outline.Node> parsed = Outline.parse(outline);
        if (parsed.size() != 1) {
            throw new IllegalArgumentException("An outline for containsShape has one top line, the root of the "
                    + "subtree to find, but this one has " + parsed.size() + ": " + parsed);
        }
        Outline.Node expected = parsed.get(0);
        List<Observation> candidates = actual.filter(expected::matches);
        if (candidates.stream().anyMatch(candidate -> Outline.contains(actual, expected, candidate))) {
            return myself;
        }
        return verify(LoupeErrors.shouldContainShape(actual, expected, candidates.isEmpty() ? null
                : Outline.explainMissing(actual, expected, candidates.get(0))));
    }

    /** Verifies that the trace has an observation with this name, or {@code TYPE name}. */
    public TraceTreeAssert hasObservation(String name) {
        find(name, ObservationAssert.class, ObservationAssert::new);
        return myself;
    }

    /** Verifies that the trace has an observation at this path of names, such as {@code "agent > search_docs"}. */
    public TraceTreeAssert hasObservationAtPath(String path) {
        observationAtPath(path);
        return myself;
    }

    /** Verifies that the trace has no observation with this name, or {@code TYPE name}. */
    public TraceTreeAssert doesNotHaveObservation(String name) {
        isNotNull();
        List<Observation> found = actual.filter(Outline.label(name)::matches);
        return verify(found.isEmpty() ? null : LoupeErrors.shouldNotHaveObservationNamed(actual, name, found));
    }

    /** Verifies that the tools were called exactly in this order (by start time), and no other tool was. */
    public TraceTreeAssert hasToolCallsInOrder(String... tools) {
        isNotNull();
        List<Observation> calls = Finder.toolCallsInStartOrder(actual);
        List<Outline.Node> expected = Outline.labels(tools);
        return verify(Outline.inOrder(expected, calls) ? null
                : LoupeErrors.shouldHaveToolCallsInOrder(actual, "exactly in the order", Arrays.asList(tools), calls));
    }

    /** Verifies that the tools were called in this order (by start time), other calls allowed in between. */
    public TraceTreeAssert hasToolCallsContainingInOrder(String... tools) {
        isNotNull();
        List<Observation> calls = Finder.toolCallsInStartOrder(actual);
        List<Outline.Node> expected = Outline.labels(tools);
        return verify(Outline.containsInOrder(expected, calls) ? null
                : LoupeErrors.shouldHaveToolCallsInOrder(actual, "including, in this order,", Arrays.asList(tools),
                        calls));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Queries

    /** Verifies that some observation matches the query, such as {@code generation().withModel("gpt-4o")}. */
    public TraceTreeAssert hasSome(ObservationMatcher query) {
        Objects.requireNonNull(query, "query");
        isNotNull();
        return verify(query.findIn(actual).isEmpty() ? LoupeErrors.shouldHaveSome(actual, query) : null);
    }

    /** Verifies that no observation matches the query, such as {@code toolCall().withLevel(ERROR)}. */
    public TraceTreeAssert hasNone(ObservationMatcher query) {
        Objects.requireNonNull(query, "query");
        isNotNull();
        List<Observation> found = query.findIn(actual);
        return verify(found.isEmpty() ? null : LoupeErrors.shouldHaveNone(actual, query, found));
    }

    /** Verifies that exactly this many observations match the query. */
    public TraceTreeAssert hasExactly(int count, ObservationMatcher query) {
        Objects.requireNonNull(query, "query");
        isNotNull();
        List<Observation> found = query.findIn(actual);
        return verify(found.size() == count ? null : LoupeErrors.shouldHaveExactly(actual, count, query, found));
    }

    /**
     * Verifies that every observation the selection matches also matches the requirement, such as every
     * {@code generation()} being {@code observation().withModelMatching("gpt-4o.*")}; true when none is selected.
     */
    public TraceTreeAssert allMatch(ObservationMatcher selection, ObservationMatcher requirement) {
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(requirement, "requirement");
        isNotNull();
        List<Observation> selected = selection.findIn(actual);
        List<Observation> failing = selected.stream().filter(o -> !requirement.matches(actual, o))
                .collect(Collectors.toList());
        return verify(failing.isEmpty() ? null
                : LoupeErrors.shouldAllMatch(actual, selection, requirement, failing, selected.size()));
    }

    /** Returns an assertion on how many observations match the query, such as {@code count(toolCall()).isBetween(1, 3)}. */
    public AbstractIntegerAssert<?> count(ObservationMatcher query) {
        Objects.requireNonNull(query, "query");
        isNotNull();
        return Assertions.assertThat(query.findIn(actual).size()).as(LoupeErrors.countOf(actual, query));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Golden snapshots

    /**
     * Verifies that the trace's normalised outline (names, types, models, levels, token counts, tools with their
     * arguments) matches its snapshot file, {@code src/test/resources/loupe-snapshots/<TestClass>/<test>.<trace>.txt}.
     * The first run writes the file; set {@value Snapshot#UPDATE_PROPERTY} or
     * {@value Snapshot#UPDATE_ENVIRONMENT_VARIABLE} to {@code true} to rewrite it. A mismatch prints a unified diff.
     */
    public TraceTreeAssert matchesSnapshot() {
        return matchesSnapshot(Snapshot.defaults());
    }

    /** Verifies the trace against its snapshot file like {@link #matchesSnapshot()}, with these settings. */
    public TraceTreeAssert matchesSnapshot(Snapshot settings) {
        Objects.requireNonNull(settings, "settings");
        isNotNull();
        SnapshotFile.Result result = SnapshotFile.compare(actual, settings);
        return verify(result.outcome() == SnapshotFile.Outcome.DIFFERS
                ? LoupeErrors.shouldMatchSnapshot(actual, result.file(), result.diff()) : null);
    }

    /** Verifies the trace for instrumentation mistakes; the message lists every one with its observation's path. */
    public TraceTreeAssert isWellFormed() {
        isNotNull();
        List<WellFormedness.Problem> problems = WellFormedness.problems(actual);
        return verify(problems.isEmpty() ? null : LoupeErrors.shouldBeWellFormed(actual, problems));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Navigation

    /** Navigates to the first observation, depth first, with this name, or {@code TYPE name}. */
    public ObservationAssert observation(String name) {
        return find(name, ObservationAssert.class, ObservationAssert::new);
    }

    /** Navigates to the observation at a path of names, such as {@code "support-agent > search_docs"}. */
    public ObservationAssert observationAtPath(String path) {
        isNotNull();
        Objects.requireNonNull(path, "path");
        Optional<Observation> found = actual.findByPath(path);
        if (found.isEmpty()) {
            return navigation.toMissing(ObservationAssert.class, ObservationAssert::new, actual,
                    "the observation at '" + path + "'", failure("%s", Finder.pathNotFound(actual, path)));
        }
        return navigation.to(ObservationAssert.class, ObservationAssert::new, found.get(), actual);
    }

    /** Navigates to the root observation: the first observation at the top of the trace. */
    public ObservationAssert root() {
        isNotNull();
        if (actual.roots().isEmpty()) {
            return navigation.toMissing(ObservationAssert.class, ObservationAssert::new, actual,
                    "the root observation", failure("%s", LoupeErrors.shouldHaveCount(actual, "observations", 1,
                            List.of())));
        }
        return navigation.to(ObservationAssert.class, ObservationAssert::new, actual.root(), actual);
    }

    /** Navigates to the first model call (generation or embedding), depth first, with this name. */
    public GenerationAssert generation(String name) {
        isNotNull();
        Objects.requireNonNull(name, "name");
        Optional<Observation> found = Finder.modelCall(actual, name);
        if (found.isEmpty()) {
            return navigation.toMissing(GenerationAssert.class, GenerationAssert::new, actual,
                    "generation '" + name + "'", failure("%s", LoupeErrors.shouldHaveObservationNamed(actual,
                            "generation", name, Finder.modelCalls(actual))));
        }
        return navigation.to(GenerationAssert.class, GenerationAssert::new, found.get(), actual);
    }

    /** Navigates to the first tool call, depth first, with this name. */
    public ToolCallAssert toolCall(String name) {
        isNotNull();
        Objects.requireNonNull(name, "name");
        List<Observation> tools = actual.toolCalls();
        Optional<Observation> found = tools.stream().filter(tool -> name.equals(tool.name())).findFirst();
        if (found.isEmpty()) {
            return navigation.toMissing(ToolCallAssert.class, ToolCallAssert::new, actual,
                    "tool call '" + name + "'", failure("%s", LoupeErrors.shouldHaveObservationNamed(actual,
                            "tool call", name, tools)));
        }
        return navigation.to(ToolCallAssert.class, ToolCallAssert::new, found.get(), actual);
    }

    private <A extends AbstractObservationAssert<A, Observation>> A find(String name, Class<A> type,
            Function<Observation, A> create) {
        isNotNull();
        Outline.Node label = Outline.label(name);
        Optional<Observation> found = actual.walk().stream().filter(label::matches).findFirst();
        if (found.isEmpty()) {
            String kind = label.type() == null ? "observation" : LoupeErrors.kind(label.type());
            List<Observation> candidates = label.type() == null ? actual.walk() : actual.ofType(label.type());
            return navigation.toMissing(type, create, actual, kind + " '" + label.name() + "'",
                    failure("%s", LoupeErrors.shouldHaveObservationNamed(actual, kind, label.name(), candidates)));
        }
        return navigation.to(type, create, found.get(), actual);
    }

    /** Returns a list assertion on all observations, depth first, for {@code extracting}, {@code filteredOn}... */
    public ListAssert<Observation> observations() {
        isNotNull();
        return navigation.toList(actual.walk(), actual, "observations of " + LoupeErrors.trace(actual));
    }

    /** Returns a trajectory assertion on the spans, in the order they started. */
    public TrajectoryAssert spans() {
        return trajectory(ObservationType.SPAN);
    }

    /** Returns a trajectory assertion on the generations, in the order they started. */
    public TrajectoryAssert generations() {
        return trajectory(ObservationType.GENERATION);
    }

    /**
     * Returns a trajectory assertion on the tool calls, in the order they started: match them against an expected
     * sequence with {@link TrajectoryAssert#matchesTrajectory(TrajectoryMatch, ExpectedCall...)}, or use any list
     * assertion.
     */
    public TrajectoryAssert toolCalls() {
        return trajectory(ObservationType.TOOL);
    }

    /** Returns a trajectory assertion on the events, in the order they started. */
    public TrajectoryAssert events() {
        return trajectory(ObservationType.EVENT);
    }

    /** Returns a trajectory assertion on the observations of one type, in the order they started. */
    public TrajectoryAssert trajectory(ObservationType type) {
        Objects.requireNonNull(type, "type");
        isNotNull();
        List<Observation> calls = actual.observations().stream().filter(o -> o.type() == type)
                .collect(Collectors.toList());
        return navigation.toTrajectory(calls, actual, LoupeErrors.kind(type) + "s");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Scores

    /** Verifies that the trace as a whole has a score with this name. */
    public TraceTreeAssert hasScore(String name) {
        score(name);
        return myself;
    }

    /** Verifies the trace's latest score with this name with the requirements, such as a minimum value. */
    public TraceTreeAssert hasScore(String name, Consumer<ScoreAssert> requirements) {
        ScoreAssert score = score(name);
        if (score.actual() != null) {
            requirements.accept(score);
        }
        return myself;
    }

    /** Navigates to the latest score with this name of the trace as a whole. */
    public ScoreAssert score(String name) {
        isNotNull();
        Optional<Score> score = actual.score(name);
        if (score.isEmpty()) {
            List<Score> scores = new ArrayList<>(actual.traceScores());
            return navigation.toMissingScore(actual, null, "score '" + name + "'",
                    failure("%s", LoupeErrors.shouldHaveScore(subject(), name, scores)));
        }
        return navigation.toScore(score.get(), actual, null);
    }
}
