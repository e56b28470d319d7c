package dev.loupe.assertj;

import dev.loupe.assertj.LoupeErrors.Subject;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.ScoreDataType;
import dev.loupe.model.TraceTree;
import java.util.Objects;
import java.util.function.DoublePredicate;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a score of a trace or of an observation, reached with {@code assertThat(tree).score(name)} or
 * {@code hasScore(name, score -> score.isGreaterThan(0.8))}: numeric value, boolean, category and comment.
 */
// Not final: AssertJ's soft assertions subclass it (a proxy) to collect its failures.
public class ScoreAssert extends AbstractAssert<ScoreAssert, Score> {

    private TraceTree tree;
    private Observation owner;
    private String missing;

    /** Creates the assertion on a score on its own; prefer navigating from {@code assertThat(tree)}. */
    public ScoreAssert(Score actual) {
        super(actual, ScoreAssert.class);
    }

    /** Places the score in its trace, on the observation it judges (null for the whole trace). */
    ScoreAssert within(TraceTree trace, Observation judged) {
        this.tree = trace;
        this.owner = judged;
        return myself;
    }

    /** Marks the assertion as standing for a score that soft navigation did not find. */
    ScoreAssert missing(String what) {
        this.missing = what;
        return myself;
    }

    private Subject subject() {
        return Subject.of(tree, owner, actual);
    }

    private ScoreAssert verify(String failureMessage) {
        if (failureMessage != null) {
            throw failure("%s", failureMessage);
        }
        return myself;
    }

    /** Verifies that there is a score, also saying when soft navigation found none. */
    @Override
    public ScoreAssert isNotNull() {
        if (actual == null && missing != null) {
            throw failure("%s", LoupeErrors.navigationFailed(missing));
        }
        return super.isNotNull();
    }

    /** Verifies that the numeric score has exactly this value. */
    public ScoreAssert hasValue(double expected) {
        return compare("equal to", expected, value -> value == expected);
    }

    /** Verifies that the numeric score is greater than the bound. */
    public ScoreAssert isGreaterThan(double bound) {
        return compare("greater than", bound, value -> value > bound);
    }

    /** Verifies that the numeric score is at least the bound. */
    public ScoreAssert isGreaterThanOrEqualTo(double bound) {
        return compare("greater than or equal to", bound, value -> value >= bound);
    }

    /** Verifies that the numeric score is less than the bound. */
    public ScoreAssert isLessThan(double bound) {
        return compare("less than", bound, value -> value < bound);
    }

    /** Verifies that the numeric score is at most the bound. */
    public ScoreAssert isLessThanOrEqualTo(double bound) {
        return compare("less than or equal to", bound, value -> value <= bound);
    }

    /** Verifies that the numeric score lies between the bounds, both included. */
    public ScoreAssert isBetween(double low, double high) {
        return compare("between " + LoupeErrors.number(low) + " and", high, value -> low <= value && value <= high);
    }

    private ScoreAssert compare(String comparison, double bound, DoublePredicate accepted) {
        isNotNull();
        boolean numeric = actual.dataType() == ScoreDataType.NUMERIC && actual.value() != null;
        return verify(numeric && accepted.test(actual.value()) ? null
                : LoupeErrors.shouldHaveScoreValue(subject(), comparison, bound, actual));
    }

    /** Verifies that the boolean score is true. */
    public ScoreAssert isTrue() {
        return isBoolean(true);
    }

    /** Verifies that the boolean score is false. */
    public ScoreAssert isFalse() {
        return isBoolean(false);
    }

    private ScoreAssert isBoolean(boolean expected) {
        isNotNull();
        boolean same = actual.dataType() == ScoreDataType.BOOLEAN && actual.isTrue() == expected;
        return verify(same ? null : LoupeErrors.shouldHaveScoreValue(subject(), "of", expected, actual));
    }

    /** Verifies that the categorical score has this label, such as {@code correct}. */
    public ScoreAssert hasCategory(String expected) {
        isNotNull();
        boolean same = actual.dataType() == ScoreDataType.CATEGORICAL && Objects.equals(actual.stringValue(), expected);
        return verify(same ? null : LoupeErrors.shouldHaveScoreValue(subject(), "of", expected, actual));
    }

    /** Verifies the kind of value the score holds. */
    public ScoreAssert hasDataType(ScoreDataType expected) {
        isNotNull();
        return verify(actual.dataType() == expected ? null
                : LoupeErrors.shouldBeOfDataType(subject(), expected, actual));
    }

    /** Verifies the comment exactly. */
    public ScoreAssert hasComment(String expected) {
        isNotNull();
        return verify(Objects.equals(actual.comment(), expected) ? null
                : LoupeErrors.shouldHave(subject(), "comment", expected, actual.comment()));
    }

    /** Verifies that the comment contains the text. */
    public ScoreAssert hasCommentContaining(String text) {
        isNotNull();
        return verify(actual.comment() != null && actual.comment().contains(text) ? null
                : LoupeErrors.shouldHaveContaining(subject(), "comment", text, actual.comment()));
    }
}
