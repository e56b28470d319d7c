package dev.loupe.assertj;

import dev.loupe.assertj.LoupeErrors.Subject;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractAssert;

/**
 * The checks every observation shares: name, type, level and status, input and output, metadata, duration, its
 * place in the tree, its order against other observations, and its scores. Failure messages name the observation
 * by name and path and draw the trace with the observation marked.
 *
 * @param <SELF>   the assertion type, returned by every check for chaining
 * @param <ACTUAL> the observation type
 */
public abstract class AbstractObservationAssert<SELF extends AbstractObservationAssert<SELF, ACTUAL>,
        ACTUAL extends Observation> extends AbstractAssert<SELF, ACTUAL> {

    /** The trace the observation belongs to, for paths, relatives and the drawing in failure messages. */
    TraceTree tree;
    private Navigation navigation = Navigation.STRICT;
    private String missing;

    /** Creates the assertion on an observation on its own; a trace tree holding only it stands for its trace. */
    protected AbstractObservationAssert(ACTUAL actual, Class<?> selfType) {
        super(actual, selfType);
        this.tree = actual == null ? null
                : TraceTree.of(Trace.builder(actual.traceId()).build(), List.of(actual), List.of());
    }

    /** Places the observation in its trace. */
    SELF within(TraceTree trace, Navigation through) {
        this.tree = trace;
        this.navigation = through;
        return myself;
    }

    /** Marks the assertion as standing for an observation that soft navigation did not find. */
    SELF missing(String what) {
        this.missing = what;
        return myself;
    }

    /** Returns the subject of failure messages: this observation in its trace. */
    Subject subject() {
        return Subject.of(tree, actual);
    }

    /** Fails with the message when there is one; returns this assertion otherwise. */
    SELF verify(String failureMessage) {
        if (failureMessage != null) {
            throw failure("%s", failureMessage);
        }
        return myself;
    }

    /** Verifies that there is an observation, also saying when soft navigation found none. */
    @Override
    public SELF isNotNull() {
        if (actual == null && missing != null) {
            throw failure("%s", LoupeErrors.navigationFailed(missing));
        }
        return super.isNotNull();
    }

    // ---------------------------------------------------------------------------------------------------------
    // What it is

    /** Verifies the observation's name. */
    public SELF hasName(String expected) {
        isNotNull();
        return verify(Objects.equals(actual.name(), expected) ? null
                : LoupeErrors.shouldHave(subject(), "name", expected, actual.name()));
    }

    /** Verifies the observation's type, such as {@link ObservationType#TOOL}. */
    public SELF hasType(ObservationType expected) {
        isNotNull();
        return verify(actual.type() == expected ? null
                : LoupeErrors.shouldHave(subject(), "type", expected, actual.type()));
    }

    /** Verifies the observation's level, such as {@link ObservationLevel#WARNING}. */
    public SELF hasLevel(ObservationLevel expected) {
        isNotNull();
        return verify(actual.level() == expected ? null
                : LoupeErrors.shouldHave(subject(), "level", expected, actual.level()));
    }

    /** Verifies the observation's status message exactly. */
    public SELF hasStatusMessage(String expected) {
        isNotNull();
        return verify(Objects.equals(actual.statusMessage(), expected) ? null
                : LoupeErrors.shouldHave(subject(), "status message", expected, actual.statusMessage()));
    }

    /** Verifies that the observation's status message contains the text. */
    public SELF hasStatusMessageContaining(String text) {
        isNotNull();
        return verify(actual.statusMessage() != null && actual.statusMessage().contains(text) ? null
                : LoupeErrors.shouldHaveContaining(subject(), "status message", text, actual.statusMessage()));
    }

    /** Verifies that the observation failed: its level is ERROR. */
    public SELF isError() {
        isNotNull();
        return verify(actual.isError() ? null : LoupeErrors.shouldBeError(subject(), actual));
    }

    /** Verifies that the observation did not fail: its level is not ERROR. */
    public SELF isNotError() {
        isNotNull();
        return verify(!actual.isError() ? null : LoupeErrors.shouldNotBeError(subject(), actual));
    }

    /** Verifies that the observation failed with a status message containing the text. */
    public SELF hasErrorWithMessage(String text) {
        isNotNull();
        boolean failedSo = actual.isError() && actual.statusMessage() != null && actual.statusMessage().contains(text);
        return verify(failedSo ? null : LoupeErrors.shouldHaveErrorWithMessage(subject(), text,
                actual.isError() ? List.of(actual) : List.of()));
    }

    /** Verifies that the observation took at most the duration, from its start to its end. */
    public SELF hasDurationAtMost(Duration limit) {
        isNotNull();
        Duration duration = actual.duration();
        return verify(duration != null && duration.compareTo(limit) <= 0 ? null
                : LoupeErrors.shouldBeAtMost(subject(), "duration", LoupeErrors.duration(limit),
                        duration == null ? null : LoupeErrors.duration(duration),
                        actual.isOpen() ? "it has not ended" : "its start was not recorded"));
    }

    /** Verifies that the observation's metadata has the entry; the value is compared as JSON. */
    public SELF hasMetadataEntry(String key, Object value) {
        isNotNull();
        return verify(PayloadChecks.entry(subject(), "metadata entry", actual.metadata(), key, value));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Input and output

    /** Verifies that the input is this value, as the tracer records it: a String is a JSON string, a Map an object. */
    public SELF hasInput(Object value) {
        isNotNull();
        return verify(PayloadChecks.equalsValue(subject(), "input", actual.input(), value));
    }

    /** Verifies that the input is this JSON document, ignoring whitespace and the order of keys. */
    public SELF hasInputJson(String json) {
        isNotNull();
        return verify(PayloadChecks.equalsDocument(subject(), "input", actual.input(), json));
    }

    /** Verifies that the input, or any string in it, contains the text. */
    public SELF hasInputContaining(String text) {
        isNotNull();
        return verify(PayloadChecks.containing(subject(), "input", actual.input(), text));
    }

    /** Verifies the value at a JSON path of the input, such as {@code messages[0].role}. */
    public SELF hasInputAtPath(String path, Object value) {
        isNotNull();
        return verify(PayloadChecks.at(subject(), "input", actual.input(), path, value));
    }

    /** Verifies the input, decoded into a String, Number, Boolean, List, Map or null, with the requirements. */
    public SELF hasInputSatisfying(Consumer<Object> requirements) {
        isNotNull();
        return verify(PayloadChecks.satisfying(subject(), "input", actual.input(), requirements));
    }

    /** Verifies that the output is this value, as the tracer records it: a String is a JSON string, a Map an object. */
    public SELF hasOutput(Object value) {
        isNotNull();
        return verify(PayloadChecks.equalsValue(subject(), "output", actual.output(), value));
    }

    /** Verifies that the output is this JSON document, ignoring whitespace and the order of keys. */
    public SELF hasOutputJson(String json) {
        isNotNull();
        return verify(PayloadChecks.equalsDocument(subject(), "output", actual.output(), json));
    }

    /** Verifies that the output, or any string in it, contains the text. */
    public SELF hasOutputContaining(String text) {
        isNotNull();
        return verify(PayloadChecks.containing(subject(), "output", actual.output(), text));
    }

    /** Verifies the value at a JSON path of the output, such as {@code choices[0].message.content}. */
    public SELF hasOutputAtPath(String path, Object value) {
        isNotNull();
        return verify(PayloadChecks.at(subject(), "output", actual.output(), path, value));
    }

    /** Verifies the output, decoded into a String, Number, Boolean, List, Map or null, with the requirements. */
    public SELF hasOutputSatisfying(Consumer<Object> requirements) {
        isNotNull();
        return verify(PayloadChecks.satisfying(subject(), "output", actual.output(), requirements));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Place in the tree

    /** Verifies the parent, given as a name or as {@code TYPE name}, such as {@code AGENT planner}. */
    public SELF hasParent(String parent) {
        isNotNull();
        Outline.Node expected = Outline.label(parent);
        Optional<Observation> actualParent = tree.parent(actual);
        return verify(actualParent.isPresent() && expected.matches(actualParent.get()) ? null
                : LoupeErrors.shouldHaveParent(subject(), expected, actualParent.orElse(null)));
    }

    /** Verifies that an observation above this one, at any height, has the name (or {@code TYPE name}). */
    public SELF hasAncestor(String ancestor) {
        isNotNull();
        Outline.Node expected = Outline.label(ancestor);
        List<Observation> ancestors = tree.ancestry(actual);
        ancestors = ancestors.subList(0, ancestors.size() - 1);
        return verify(ancestors.stream().anyMatch(expected::matches) ? null
                : LoupeErrors.shouldHaveAncestor(subject(), expected, ancestors));
    }

    /** Verifies that a direct child has the name (or {@code TYPE name}). */
    public SELF hasChild(String child) {
        isNotNull();
        Outline.Node expected = Outline.label(child);
        List<Observation> children = tree.children(actual);
        return verify(children.stream().anyMatch(expected::matches) ? null
                : LoupeErrors.shouldHaveChild(subject(), expected, children));
    }

    /** Verifies the direct children exactly, in start order; each is a name or {@code TYPE name}. */
    public SELF hasChildrenNamed(String... children) {
        isNotNull();
        List<Outline.Node> expected = Outline.labels(children);
        List<Observation> actualChildren = tree.children(actual);
        return verify(Outline.inOrder(expected, actualChildren) ? null
                : LoupeErrors.shouldHaveChildren(subject(), "exactly the children", expected, actualChildren));
    }

    /** Verifies the direct children exactly, in any order; each is a name or {@code TYPE name}. */
    public SELF hasChildrenNamedInAnyOrder(String... children) {
        isNotNull();
        List<Outline.Node> expected = Outline.labels(children);
        List<Observation> actualChildren = tree.children(actual);
        return verify(Outline.inAnyOrder(expected, actualChildren) ? null
                : LoupeErrors.shouldHaveChildren(subject(), "exactly the children, in any order,", expected,
                        actualChildren));
    }

    /** Verifies that the direct children include these, in this start order, others allowed in between. */
    public SELF hasChildrenContainingInOrder(String... children) {
        isNotNull();
        List<Outline.Node> expected = Outline.labels(children);
        List<Observation> actualChildren = tree.children(actual);
        return verify(Outline.containsInOrder(expected, actualChildren) ? null
                : LoupeErrors.shouldHaveChildren(subject(), "children including, in this order,", expected,
                        actualChildren));
    }

    /** Verifies how deep the observation sits: 0 at the top of the trace, 1 for children of a top observation. */
    public SELF hasDepth(int expected) {
        isNotNull();
        int depth = tree.depth(actual);
        return verify(depth == expected ? null : LoupeErrors.shouldHaveDepth(subject(), expected, depth));
    }

    /** Verifies that the observation starts before the other one, given by name or by path, starts. */
    public SELF startsBefore(String other) {
        isNotNull();
        Observation that = relative(other);
        boolean before = actual.startTime() != null && that.startTime() != null
                && actual.startTime().isBefore(that.startTime());
        return verify(before ? null : LoupeErrors.shouldHappenBefore(subject(), "start", that, tree,
                actual.startTime(), that.startTime()));
    }

    /** Verifies that the observation ends before the other one, given by name or by path, ends. */
    public SELF endsBefore(String other) {
        isNotNull();
        Observation that = relative(other);
        boolean before = actual.endTime() != null && that.endTime() != null
                && actual.endTime().isBefore(that.endTime());
        return verify(before ? null : LoupeErrors.shouldHappenBefore(subject(), "end", that, tree,
                actual.endTime(), that.endTime()));
    }

    private Observation relative(String nameOrPath) {
        Objects.requireNonNull(nameOrPath, "other observation");
        if (nameOrPath.contains(">")) {
            Optional<Observation> found = tree.findByPath(nameOrPath);
            if (found.isEmpty()) {
                throw failure("%s", Finder.pathNotFound(tree, nameOrPath));
            }
            return found.get();
        }
        return tree.find(nameOrPath).orElseThrow(() -> failure("%s",
                LoupeErrors.shouldHaveObservationNamed(tree, "observation", nameOrPath, tree.walk())));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Scores

    /** Verifies that the observation has a score with this name. */
    public SELF hasScore(String name) {
        score(name);
        return myself;
    }

    /** Verifies the observation's latest score with this name with the requirements, such as a minimum value. */
    public SELF hasScore(String name, Consumer<ScoreAssert> requirements) {
        ScoreAssert score = score(name);
        if (score.actual() != null) {
            requirements.accept(score);
        }
        return myself;
    }

    /** Navigates to the observation's latest score with this name. */
    public ScoreAssert score(String name) {
        isNotNull();
        List<Score> scores = tree.scoresOf(actual);
        Optional<Score> score = scores.stream().filter(candidate -> candidate.name().equals(name))
                .reduce((first, second) -> second);
        if (score.isEmpty()) {
            return navigation.toMissingScore(tree, actual, "score '" + name + "'",
                    failure("%s", LoupeErrors.shouldHaveScore(subject(), name, scores)));
        }
        return navigation.toScore(score.get(), tree, actual);
    }
}
