package dev.loupe.replay;

import java.util.Locale;

/** What the recording proxy does with a model call. */
public enum ReplayMode {

    /** Forward every request to the real provider, store the exchange, and return the response unchanged. */
    RECORD,
    /** Serve the stored response; a request with no recording fails loudly. Needs no network and no API key. */
    REPLAY,
    /** Replay when a recording exists, record when none does. */
    AUTO;

    /**
     * Returns the mode a setting names, in any case: {@code record}, {@code replay} or {@code auto}.
     *
     * @param value the setting's value
     * @param where where the value came from, for the message, such as {@code "system property loupe.llm.mode"}
     * @throws IllegalArgumentException naming the value and where it came from when it is none of the three
     */
    public static ReplayMode parse(String value, String where) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException(where + " is '" + value + "': use record, replay or auto", unknown);
        }
    }
}
