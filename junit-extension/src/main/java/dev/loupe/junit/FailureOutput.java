package dev.loupe.junit;

import java.util.Arrays;
import java.util.Locale;

/** What the extension prints when a test fails. */
public enum FailureOutput {
    /** The captured trace trees as outlines (the default). */
    TREE,
    /** The trace trees, followed by the input and output of every failed observation and of each root. */
    TREE_WITH_PAYLOADS,
    /** Nothing. */
    NONE;

    static FailureOutput parse(String value, String source) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException unknown) {
            throw new org.junit.platform.commons.PreconditionViolationException(source + " is '" + value
                    + "': use one of " + Arrays.toString(values()));
        }
    }
}
