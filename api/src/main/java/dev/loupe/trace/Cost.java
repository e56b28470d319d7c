package dev.loupe.trace;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a model call cost in US dollars, split like {@link Usage}: {@code input}, {@code output}, {@code total} and
 * any named detail; the keys {@link Usage#INPUT}, {@link Usage#OUTPUT} and {@link Usage#TOTAL} have fixed meanings.
 * Immutable; equal when the details are equal.
 *
 * <p>A cost made of input and output ({@link #of}) keeps the two amounts and builds the map of details only when
 * asked: the engine prices every generation.
 */
public final class Cost implements Serializable {

    private static final long serialVersionUID = 1L;

    private final BigDecimal input;
    private final BigDecimal output;
    /** The details; null while they are the two amounts above and their sum, and nobody asked for the map. */
    private Map<String, BigDecimal> details;

    /**
     * Creates a cost from details by name, keeping their order.
     *
     * @throws NullPointerException naming the detail when a name or a value is null
     */
    public Cost(Map<String, BigDecimal> details) {
        Objects.requireNonNull(details, "details");
        LinkedHashMap<String, BigDecimal> copy = new LinkedHashMap<>();
        details.forEach((key, value) -> copy.put(
                Objects.requireNonNull(key, "cost detail name"),
                Objects.requireNonNull(value, () -> "cost detail '" + key + "' has no value")));
        this.details = Collections.unmodifiableMap(copy);
        this.input = null;
        this.output = null;
    }

    private Cost(BigDecimal input, BigDecimal output) {
        this.input = input;
        this.output = output;
    }

    /** Returns a cost with input and output parts; the total is their sum. */
    public static Cost of(BigDecimal input, BigDecimal output) {
        return new Cost(Objects.requireNonNull(input, "input"), Objects.requireNonNull(output, "output"));
    }

    /** Returns the cost by name, in the order the parts were given. */
    public Map<String, BigDecimal> details() {
        Map<String, BigDecimal> map = details;
        if (map == null) {
            LinkedHashMap<String, BigDecimal> parts = new LinkedHashMap<>();
            parts.put(Usage.INPUT, input);
            parts.put(Usage.OUTPUT, output);
            parts.put(Usage.TOTAL, input.add(output));
            map = Collections.unmodifiableMap(parts);
            details = map;
        }
        return map;
    }

    /** Returns the input cost, or null when not known. */
    public BigDecimal input() {
        return details == null ? input : details.get(Usage.INPUT);
    }

    /** Returns the output cost, or null when not known. */
    public BigDecimal output() {
        return details == null ? output : details.get(Usage.OUTPUT);
    }

    /**
     * Returns the total cost: the given total; else input plus output, which include their parts (cached input,
     * reasoning...); else, for details that name neither, their sum; null when nothing is known.
     */
    public BigDecimal total() {
        if (details == null) {
            return input.add(output);
        }
        BigDecimal total = details.get(Usage.TOTAL);
        if (total != null || details.isEmpty()) {
            return total;
        }
        BigDecimal in = details.get(Usage.INPUT);
        BigDecimal out = details.get(Usage.OUTPUT);
        if (in != null || out != null) {
            // The parts (cached input, reasoning...) are inside the input and output: never added again.
            return (in == null ? BigDecimal.ZERO : in).add(out == null ? BigDecimal.ZERO : out);
        }
        return details.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Returns whether the other object is a cost with the same details. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Cost cost && details().equals(cost.details());
    }

    /** Returns the hash code of the details. */
    @Override
    public int hashCode() {
        return details().hashCode();
    }

    /** Returns the details, for debugging. */
    @Override
    public String toString() {
        return "Cost" + details();
    }
}
