package dev.loupe.trace;

import java.util.Arrays;
import java.util.Locale;

/** How important an observation is; ERROR marks the observations that failed. */
public enum ObservationLevel {
    /** Detail that is usually hidden. */
    DEBUG,
    /** The level of an observation for which nothing else was said. */
    DEFAULT,
    /** Something unexpected that did not fail the observation. */
    WARNING,
    /** The observation failed; its status message says why. */
    ERROR;

    /**
     * Returns the level with this name, ignoring case.
     *
     * @throws IllegalArgumentException naming the value and the accepted names when there is no such level
     */
    public static ObservationLevel parse(String name) {
        if (name != null) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ignored) {
                // fall through to the explanatory message
            }
        }
        throw new IllegalArgumentException("Unknown observation level '" + name + "': use one of "
                + Arrays.toString(values()));
    }
}
