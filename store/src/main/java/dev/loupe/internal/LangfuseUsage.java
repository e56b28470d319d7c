package dev.loupe.internal;

import dev.loupe.trace.Cost;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BinaryOperator;

/**
 * Translates usage and cost between Langfuse's vocabulary, spoken by its SDKs, its ingestion API and its OpenTelemetry
 * attributes ({@code langfuse.observation.usage_details}, {@code cost_details}), and Loupe's one model ({@link Usage},
 * {@link Cost}). The devserver's ingestion, the OpenTelemetry span mapping and the OTLP export all go through it.
 *
 * <p>The two vocabularies count differently. In Loupe {@code input} and {@code output} are totals that include their
 * parts {@link Usage#CACHED_INPUT}, {@link Usage#CACHE_WRITE} and {@link Usage#REASONING}. Langfuse keeps every kind
 * apart: its {@code input} excludes {@value #INPUT_CACHED_TOKENS} and {@value #INPUT_CACHE_CREATION}, its
 * {@code output} excludes {@value #OUTPUT_REASONING_TOKENS}, and it prices each key at its own rate. Which details are
 * parts of which total:
 * <ul>
 *   <li>of the input: Loupe's cached input and cache writes, under any of the names Langfuse's prices know for them
 *       ({@code input_cached_tokens}, {@code input_cache_read}, Anthropic's {@code cache_read_input_tokens};
 *       {@code input_cache_creation}, {@code input_cache_write}, {@code cache_creation_input_tokens}), and every
 *       other {@code input_*} detail, such as {@code input_audio_tokens};</li>
 *   <li>of the output: reasoning ({@code output_reasoning_tokens}, {@code output_reasoning}, {@code reasoning_tokens})
 *       and every other {@code output_*} detail.</li>
 * </ul>
 * Other details (and {@code total}, which both count the same way) pass through unchanged in both directions, and the
 * names of parts Loupe does not price apart keep their names too; only the three parts Loupe prices are renamed.
 */
public final class LangfuseUsage {

    /** Langfuse's name of the input read from the provider's cache, priced in its default model prices. */
    public static final String INPUT_CACHED_TOKENS = "input_cached_tokens";
    /** Langfuse's name of the input written to the provider's cache, priced in its default model prices. */
    public static final String INPUT_CACHE_CREATION = "input_cache_creation";
    /** Langfuse's name of the output spent reasoning, priced in its default model prices. */
    public static final String OUTPUT_REASONING_TOKENS = "output_reasoning_tokens";

    /** Every name, Langfuse's and the providers' that its SDKs pass on, of the three parts Loupe prices. */
    private static final Map<String, String> LOUPE_NAMES = Map.ofEntries(
            Map.entry(INPUT_CACHED_TOKENS, Usage.CACHED_INPUT),
            Map.entry("input_cache_read", Usage.CACHED_INPUT),
            Map.entry("cache_read_input_tokens", Usage.CACHED_INPUT),
            Map.entry(INPUT_CACHE_CREATION, Usage.CACHE_WRITE),
            Map.entry("input_cache_write", Usage.CACHE_WRITE),
            Map.entry("cache_creation_input_tokens", Usage.CACHE_WRITE),
            Map.entry(OUTPUT_REASONING_TOKENS, Usage.REASONING),
            Map.entry("output_reasoning", Usage.REASONING),
            Map.entry("reasoning_tokens", Usage.REASONING));

    /** The name Langfuse's default model prices price each of Loupe's three parts by (the most widely priced). */
    private static final Map<String, String> LANGFUSE_NAMES = Map.of(
            Usage.CACHED_INPUT, INPUT_CACHED_TOKENS,
            Usage.CACHE_WRITE, INPUT_CACHE_CREATION,
            Usage.REASONING, OUTPUT_REASONING_TOKENS);

    private static final Arithmetic<Long> COUNTS = new Arithmetic<>(0L, Long::sum, (a, b) -> a - b, Long::compare);
    private static final Arithmetic<BigDecimal> AMOUNTS = new Arithmetic<>(BigDecimal.ZERO, BigDecimal::add,
            BigDecimal::subtract, BigDecimal::compareTo);

    private LangfuseUsage() {
    }

    /**
     * Returns Langfuse usage details (counts by name, as {@code langfuse.observation.usage_details} or an ingestion
     * event's {@code usageDetails} carry them) as Loupe's usage: every part is added to its total and the parts Loupe
     * prices get its names, so {@code {input: 80, input_cached_tokens: 20}} becomes {@code {input: 100,
     * cached_input: 20}}. A total given as {@code total} is kept; none is made up.
     */
    public static Usage usageFromLangfuse(Map<String, Long> langfuse) {
        return new Usage(fromLangfuse(langfuse, COUNTS));
    }

    /**
     * Returns Langfuse cost details (US dollars by name, as {@code cost_details} or {@code costDetails} carry them)
     * as Loupe's cost, the same way as {@link #usageFromLangfuse}: the input's cost includes the cached input's.
     */
    public static Cost costFromLangfuse(Map<String, BigDecimal> langfuse) {
        return new Cost(fromLangfuse(langfuse, AMOUNTS));
    }

    /**
     * Returns Loupe's usage as Langfuse usage details: each part is taken out of its total and the parts Loupe prices
     * get the names Langfuse prices them by ({@value #INPUT_CACHED_TOKENS}, {@value #INPUT_CACHE_CREATION},
     * {@value #OUTPUT_REASONING_TOKENS}), so {@code {input: 100, cached_input: 20}} becomes {@code {input: 80,
     * input_cached_tokens: 20}}. When the parts exceed their total, the usage was reported the way Anthropic's API
     * reports it, with the total left without them: the total is then sent as the plain part alone, as
     * {@code ModelPrices} prices it, and every part as it is, so that no count is ever negative and Langfuse charges
     * what Loupe charges. {@code total} is written only when the usage has one; without it Langfuse adds up the
     * details, which comes to the same.
     */
    public static Map<String, Long> toLangfuse(Usage usage) {
        return toLangfuse(Objects.requireNonNull(usage, "usage").details(), COUNTS);
    }

    /** Returns Loupe's cost as Langfuse cost details, the same way as {@link #toLangfuse(Usage)}. */
    public static Map<String, BigDecimal> toLangfuse(Cost cost) {
        return toLangfuse(Objects.requireNonNull(cost, "cost").details(), AMOUNTS);
    }

    private static <T> Map<String, T> fromLangfuse(Map<String, T> langfuse, Arithmetic<T> arithmetic) {
        T input = langfuse.get(Usage.INPUT);
        T output = langfuse.get(Usage.OUTPUT);
        Map<String, T> parts = new LinkedHashMap<>();
        for (Map.Entry<String, T> detail : langfuse.entrySet()) {
            String name = detail.getKey();
            if (isTotal(name)) {
                continue;
            }
            T value = detail.getValue();
            if (isInputPart(name)) {
                input = arithmetic.add(input, value);
            } else if (isOutputPart(name)) {
                output = arithmetic.add(output, value);
            }
            parts.merge(LOUPE_NAMES.getOrDefault(name, name), value, arithmetic.sum());
        }
        return assemble(input, output, langfuse.get(Usage.TOTAL), parts);
    }

    private static <T> Map<String, T> toLangfuse(Map<String, T> loupe, Arithmetic<T> arithmetic) {
        T inputParts = null;
        T outputParts = null;
        Map<String, T> parts = new LinkedHashMap<>();
        for (Map.Entry<String, T> detail : loupe.entrySet()) {
            String name = detail.getKey();
            if (isTotal(name)) {
                continue;
            }
            T value = detail.getValue();
            if (isInputPart(name)) {
                inputParts = arithmetic.add(inputParts, value);
            } else if (isOutputPart(name)) {
                outputParts = arithmetic.add(outputParts, value);
            }
            parts.merge(LANGFUSE_NAMES.getOrDefault(name, name), value, arithmetic.sum());
        }
        return assemble(arithmetic.plainPart(loupe.get(Usage.INPUT), inputParts),
                arithmetic.plainPart(loupe.get(Usage.OUTPUT), outputParts), loupe.get(Usage.TOTAL), parts);
    }

    /** Returns input, output and total first (those present), then the parts in the order they came. */
    private static <T> Map<String, T> assemble(T input, T output, T total, Map<String, T> parts) {
        Map<String, T> details = new LinkedHashMap<>();
        if (input != null) {
            details.put(Usage.INPUT, input);
        }
        if (output != null) {
            details.put(Usage.OUTPUT, output);
        }
        if (total != null) {
            details.put(Usage.TOTAL, total);
        }
        details.putAll(parts);
        return details;
    }

    private static boolean isTotal(String name) {
        return name.equals(Usage.INPUT) || name.equals(Usage.OUTPUT) || name.equals(Usage.TOTAL);
    }

    private static boolean isInputPart(String name) {
        String loupeName = LOUPE_NAMES.getOrDefault(name, name);
        return loupeName.equals(Usage.CACHED_INPUT) || loupeName.equals(Usage.CACHE_WRITE) || name.startsWith("input_");
    }

    private static boolean isOutputPart(String name) {
        return LOUPE_NAMES.getOrDefault(name, name).equals(Usage.REASONING) || name.startsWith("output_");
    }

    /** Sums for counts and for amounts, so that one translation serves usage and cost. */
    private record Arithmetic<T>(T zero, BinaryOperator<T> sum, BinaryOperator<T> difference,
            Comparator<T> order) {

        /** Returns the total with the part added; a missing total counts as zero. */
        T add(T total, T part) {
            return sum.apply(total == null ? zero : total, part);
        }

        /**
         * Returns what is left of a total without its parts: null without a total, the total itself when there are
         * no parts or when they exceed it (the total then counts as the plain part alone, as {@code ModelPrices}
         * prices it), so never a negative number.
         */
        T plainPart(T total, T parts) {
            if (total == null || parts == null || order.compare(parts, total) > 0) {
                return total;
            }
            return difference.apply(total, parts);
        }
    }
}
