package dev.loupe.model;

import java.util.Arrays;
import java.util.Locale;

/** The kind of value a score holds. */
public enum ScoreDataType {
    /** A number, such as 0.92 for helpfulness. */
    NUMERIC,
    /** True or false; stored as 1 or 0 with the string value "true" or "false". */
    BOOLEAN,
    /** One of a set of labels, such as "correct" or "partially-correct". */
    CATEGORICAL;

    /**
     * Returns the data type with this name, ignoring case.
     *
     * @throws IllegalArgumentException naming the value and the accepted names when there is no such type
     */
    public static ScoreDataType parse(String name) {
        if (name != null) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ignored) {
                // fall through to the explanatory message
            }
        }
        throw new IllegalArgumentException("Unknown score data type '" + name + "': use one of "
                + Arrays.toString(values()));
    }
}
