package dev.loupe.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The units a model call consumed, usually tokens: {@code input}, {@code output}, {@code total} and any named
 * detail such as {@code cached_input} or {@code reasoning}.
 *
 * @param details units by name; the keys {@link #INPUT}, {@link #OUTPUT} and {@link #TOTAL} have fixed meanings
 */
public record Usage(Map<String, Long> details) {

    /** Key of the units the model read. */
    public static final String INPUT = "input";
    /** Key of the units the model wrote. */
    public static final String OUTPUT = "output";
    /** Key of all units of the call. */
    public static final String TOTAL = "total";

    /** Copies the details, keeping their order, and rejects null keys and values. */
    public Usage {
        Objects.requireNonNull(details, "details");
        LinkedHashMap<String, Long> copy = new LinkedHashMap<>();
        details.forEach((key, value) -> copy.put(
                Objects.requireNonNull(key, "usage detail name"),
                Objects.requireNonNull(value, () -> "usage detail '" + key + "' has no value")));
        details = Collections.unmodifiableMap(copy);
    }

    /** Returns usage with input and output units; the total is their sum. */
    public static Usage of(long input, long output) {
        return of(input, output, input + output);
    }

    /** Returns usage with the given input, output and total units. */
    public static Usage of(long input, long output, long total) {
        Map<String, Long> details = new LinkedHashMap<>();
        details.put(INPUT, input);
        details.put(OUTPUT, output);
        details.put(TOTAL, total);
        return new Usage(details);
    }

    /** Returns the input units, or null when not reported. */
    public Long input() {
        return details.get(INPUT);
    }

    /** Returns the output units, or null when not reported. */
    public Long output() {
        return details.get(OUTPUT);
    }

    /**
     * Returns the total units: the reported total, or the sum of input and output when no total was reported,
     * or null when neither was.
     */
    public Long total() {
        Long total = details.get(TOTAL);
        if (total != null) {
            return total;
        }
        Long input = input();
        Long output = output();
        return input == null && output == null ? null : (input == null ? 0 : input) + (output == null ? 0 : output);
    }

    /** Returns the named detail, such as {@code cached_input}, or null when not reported. */
    public Long detail(String name) {
        return details.get(name);
    }
}
