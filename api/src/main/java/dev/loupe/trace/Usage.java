package dev.loupe.trace;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The units a model call consumed, usually tokens: {@code input}, {@code output}, {@code total} and any named
 * detail such as {@code cached_input} or {@code reasoning}. Immutable; equal when the details are equal.
 *
 * <p>{@code input} and {@code output} are totals, as OpenAI reports them: {@link #CACHED_INPUT} and
 * {@link #CACHE_WRITE} are the parts of the input read from and written to the provider's prompt cache, and
 * {@link #REASONING} the part of the output the model spent reasoning. They are never added to the totals again;
 * an adapter of a provider that reports them apart from the input (Anthropic) adds them to {@code input}.
 *
 * <p>Usage made of the three counts ({@link #of(long, long, long)}) keeps them as numbers and builds the map of
 * details only when asked: a generation records usage on the application's thread.
 */
public final class Usage implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Key of the units the model read. */
    public static final String INPUT = "input";
    /** Key of the units the model wrote. */
    public static final String OUTPUT = "output";
    /** Key of all units of the call. */
    public static final String TOTAL = "total";
    /** Key of the input units read from the provider's prompt cache; part of {@link #INPUT}. */
    public static final String CACHED_INPUT = "cached_input";
    /** Key of the input units written to the provider's prompt cache; part of {@link #INPUT}. */
    public static final String CACHE_WRITE = "cache_write";
    /** Key of the output units the model spent reasoning; part of {@link #OUTPUT}. */
    public static final String REASONING = "reasoning";

    private final long input;
    private final long output;
    private final long total;
    /** The details; null while they are the three counts above and nobody asked for the map. */
    private Map<String, Long> details;

    /**
     * Creates usage from details by name, keeping their order.
     *
     * @throws NullPointerException naming the detail when a name or a value is null
     */
    public Usage(Map<String, Long> details) {
        Objects.requireNonNull(details, "details");
        LinkedHashMap<String, Long> copy = new LinkedHashMap<>();
        details.forEach((key, value) -> copy.put(
                Objects.requireNonNull(key, "usage detail name"),
                Objects.requireNonNull(value, () -> "usage detail '" + key + "' has no value")));
        this.details = Collections.unmodifiableMap(copy);
        this.input = 0;
        this.output = 0;
        this.total = 0;
    }

    private Usage(long input, long output, long total) {
        this.input = input;
        this.output = output;
        this.total = total;
    }

    /** Returns usage with input and output units; the total is their sum. */
    public static Usage of(long input, long output) {
        return of(input, output, input + output);
    }

    /** Returns usage with the given input, output and total units. */
    public static Usage of(long input, long output, long total) {
        return new Usage(input, output, total);
    }

    /** Returns the units by name, in the order they were given. */
    public Map<String, Long> details() {
        Map<String, Long> map = details;
        if (map == null) {
            LinkedHashMap<String, Long> counts = new LinkedHashMap<>();
            counts.put(INPUT, input);
            counts.put(OUTPUT, output);
            counts.put(TOTAL, total);
            map = Collections.unmodifiableMap(counts);
            details = map;
        }
        return map;
    }

    /** Returns the input units, or null when not reported. */
    public Long input() {
        return details == null ? Long.valueOf(input) : details.get(INPUT);
    }

    /** Returns the output units, or null when not reported. */
    public Long output() {
        return details == null ? Long.valueOf(output) : details.get(OUTPUT);
    }

    /**
     * Returns the total units: the reported total, or the sum of input and output when no total was reported,
     * or null when neither was.
     */
    public Long total() {
        if (details == null) {
            return total;
        }
        Long reported = details.get(TOTAL);
        if (reported != null) {
            return reported;
        }
        Long in = input();
        Long out = output();
        return in == null && out == null ? null : (in == null ? 0 : in) + (out == null ? 0 : out);
    }

    /** Returns the named detail, such as {@code cached_input}, or null when not reported. */
    public Long detail(String name) {
        return details().get(name);
    }

    /** Returns whether the other object is usage with the same details. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Usage usage && details().equals(usage.details());
    }

    /** Returns the hash code of the details. */
    @Override
    public int hashCode() {
        return details().hashCode();
    }

    /** Returns the details, for debugging. */
    @Override
    public String toString() {
        return "Usage" + details();
    }
}
