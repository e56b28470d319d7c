package dev.loupe.trace;


/**
 * Something that can be judged with scores: an observation, a trace or a session. Numeric, boolean and categorical
 * scores are told apart by the type of the value.
 *
 * @param <S> the handle type, returned for chaining
 */
public abstract sealed class Scorable<S extends Scorable<S>> permits ObservationHandle, TraceHandle, SessionHandle {

    Scorable() {
    }

    /** Adds a numeric score, such as {@code score("helpfulness", 0.92)}. */
    public final S score(String name, double value) {
        return score(name, value, null);
    }

    /** Adds a numeric score with a comment that says why it was given. */
    public final S score(String name, double value, String comment) {
        return addScore(name, value, comment);
    }

    /** Adds a boolean score, such as {@code score("resolved", true)}. */
    public final S score(String name, boolean value) {
        return score(name, value, null);
    }

    /** Adds a boolean score with a comment that says why it was given. */
    public final S score(String name, boolean value, String comment) {
        return addScore(name, value, comment);
    }

    /** Adds a categorical score, such as {@code score("tone", "friendly")}. */
    public final S score(String name, String category) {
        return score(name, category, null);
    }

    /** Adds a categorical score with a comment that says why it was given. */
    public final S score(String name, String category, String comment) {
        return addScore(name, category, comment);
    }

    /** Records a score of this target with a Double, Boolean or String value; never throws. */
    abstract S addScore(String name, Object value, String comment);
}
