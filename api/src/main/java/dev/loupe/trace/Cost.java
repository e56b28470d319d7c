package dev.loupe.trace;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a model call cost in US dollars, split like {@link Usage}: {@code input}, {@code output}, {@code total} and
 * any named detail.
 *
 * @param details cost by name; the keys {@link Usage#INPUT}, {@link Usage#OUTPUT} and {@link Usage#TOTAL} have fixed
 *                meanings
 */
public record Cost(Map<String, BigDecimal> details) {

    /** Copies the details, keeping their order, and rejects null keys and values. */
    public Cost {
        Objects.requireNonNull(details, "details");
        LinkedHashMap<String, BigDecimal> copy = new LinkedHashMap<>();
        details.forEach((key, value) -> copy.put(
                Objects.requireNonNull(key, "cost detail name"),
                Objects.requireNonNull(value, () -> "cost detail '" + key + "' has no value")));
        details = Collections.unmodifiableMap(copy);
    }

    /** Returns a cost with input and output parts; the total is their sum. */
    public static Cost of(BigDecimal input, BigDecimal output) {
        Map<String, BigDecimal> details = new LinkedHashMap<>();
        details.put(Usage.INPUT, input);
        details.put(Usage.OUTPUT, output);
        details.put(Usage.TOTAL, input.add(output));
        return new Cost(details);
    }

    /** Returns the input cost, or null when not known. */
    public BigDecimal input() {
        return details.get(Usage.INPUT);
    }

    /** Returns the output cost, or null when not known. */
    public BigDecimal output() {
        return details.get(Usage.OUTPUT);
    }

    /**
     * Returns the total cost: the given total, or the sum of all other parts when no total was given, or null when
     * nothing is known.
     */
    public BigDecimal total() {
        BigDecimal total = details.get(Usage.TOTAL);
        if (total != null || details.isEmpty()) {
            return total;
        }
        return details.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
