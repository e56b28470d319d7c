package dev.loupe.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.internal.LangfuseUsage;
import dev.loupe.trace.Cost;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the usage and cost of a Langfuse generation, in every shape the SDKs send, into Loupe's one {@link Usage}
 * and {@link Cost}. This class reads the shapes into Langfuse's usage details, whose kinds are kept apart;
 * {@link LangfuseUsage} then translates them into Loupe's model, where {@code input} and {@code output} include their
 * parts ({@code cached_input}, {@code cache_write}, {@code reasoning} and any other {@code input_*} or
 * {@code output_*} detail):
 * <ul>
 *   <li>{@code usageDetails} as a free map of counts, or as OpenAI's chat usage ({@code prompt_tokens},
 *       {@code completion_tokens}, {@code total_tokens} and their {@code *_details}) or responses usage
 *       ({@code input_tokens}, {@code output_tokens}, {@code total_tokens} and their {@code *_details}); a detail
 *       count is kept as {@code input_<name>} or {@code output_<name>} and taken out of the input or output, which
 *       OpenAI counts it in;</li>
 *   <li>the older {@code usage}: {@code input}, {@code output}, {@code total} (and {@code unit}, which Loupe does not
 *       keep: units are tokens unless the keys say otherwise), or {@code promptTokens}, {@code completionTokens},
 *       {@code totalTokens}, with {@code inputCost}, {@code outputCost} and {@code totalCost};</li>
 *   <li>{@code costDetails} as a free map of US dollar amounts.</li>
 * </ul>
 * {@code usageDetails} wins over {@code usage} and {@code costDetails} over the costs in {@code usage}, as in
 * Langfuse; a usage without a total gets the sum of all its counts as its total.
 */
final class IngestionUsage {

    /** Fields of the older {@code usage} object that are not counts. */
    private static final Set<String> NOT_COUNTS = Set.of("unit", "inputCost", "outputCost", "totalCost");

    private IngestionUsage() {
    }

    /** Returns the usage of a generation body, or null when it reports none. */
    static Usage usage(EventFields body) {
        Map<String, Long> details = null;
        if (body.has("usageDetails")) {
            details = counts(body.object("usageDetails"));
        } else if (body.has("usage")) {
            details = counts(body.object("usage"));
        }
        if (details == null || details.isEmpty()) {
            return null;
        }
        if (!details.containsKey(Usage.TOTAL)) {
            details.put(Usage.TOTAL, details.values().stream().mapToLong(Long::longValue).sum());
        }
        return LangfuseUsage.usageFromLangfuse(details);
    }

    /** Returns the cost of a generation body, or null when it reports none (and the engine prices the usage). */
    static Cost cost(EventFields body) {
        Map<String, BigDecimal> details = new LinkedHashMap<>();
        if (body.has("costDetails")) {
            EventFields costs = body.object("costDetails");
            for (String name : costs.names()) {
                BigDecimal amount = amount(costs, name);
                if (amount != null) {
                    details.put(name, amount);
                }
            }
        } else if (body.has("usage")) {
            EventFields usage = body.object("usage");
            putAmount(details, Usage.INPUT, amount(usage, "inputCost"));
            putAmount(details, Usage.OUTPUT, amount(usage, "outputCost"));
            putAmount(details, Usage.TOTAL, amount(usage, "totalCost"));
        }
        return details.isEmpty() ? null : LangfuseUsage.costFromLangfuse(details);
    }

    /** Reads counts in whichever shape they come; the result is mutable and in the order Langfuse shows them. */
    private static Map<String, Long> counts(EventFields usage) {
        Map<String, Long> details = new LinkedHashMap<>();
        if (usage.has("prompt_tokens") || usage.has("completion_tokens")) {
            openAi(usage, details, "prompt_tokens", "prompt_tokens_details", "completion_tokens",
                    "completion_tokens_details");
        } else if (usage.has("input_tokens") || usage.has("output_tokens")) {
            openAi(usage, details, "input_tokens", "input_tokens_details", "output_tokens", "output_tokens_details");
        } else if (usage.has("promptTokens") || usage.has("completionTokens") || usage.has("totalTokens")) {
            putCount(details, Usage.INPUT, count(usage, "promptTokens"));
            putCount(details, Usage.OUTPUT, count(usage, "completionTokens"));
            putCount(details, Usage.TOTAL, count(usage, "totalTokens"));
        } else {
            for (String name : usage.names()) {
                if (NOT_COUNTS.contains(name)) {
                    continue;
                }
                putCount(details, name, count(usage, name));
            }
        }
        return details;
    }

    private static void openAi(EventFields usage, Map<String, Long> details, String inputField, String inputDetails,
            String outputField, String outputDetails) {
        Long input = count(usage, inputField);
        Long output = count(usage, outputField);
        Map<String, Long> inputParts = detailCounts(usage, inputDetails, "input_");
        Map<String, Long> outputParts = detailCounts(usage, outputDetails, "output_");
        if (input != null) {
            details.put(Usage.INPUT, Math.max(0, input - sum(inputParts)));
        }
        details.putAll(inputParts);
        if (output != null) {
            details.put(Usage.OUTPUT, Math.max(0, output - sum(outputParts)));
        }
        details.putAll(outputParts);
        putCount(details, Usage.TOTAL, count(usage, "total_tokens"));
    }

    private static Map<String, Long> detailCounts(EventFields usage, String field, String prefix) {
        Map<String, Long> parts = new LinkedHashMap<>();
        EventFields nested = usage.object(field);
        if (nested != null) {
            for (String name : nested.names()) {
                putCount(parts, prefix + name, count(nested, name));
            }
        }
        return parts;
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Long count(EventFields usage, String field) {
        JsonNode value = usage.value(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToLong()
                || value.longValue() < 0) {
            throw usage.wrongType(field, value, "a whole number of units, 0 or more");
        }
        return value.longValue();
    }

    private static BigDecimal amount(EventFields costs, String field) {
        JsonNode value = costs.value(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw costs.wrongType(field, value, "an amount in US dollars, such as 0.0025");
        }
        return value.decimalValue();
    }

    private static void putCount(Map<String, Long> details, String name, Long count) {
        if (count != null) {
            details.put(name, count);
        }
    }

    private static void putAmount(Map<String, BigDecimal> details, String name, BigDecimal amount) {
        if (amount != null) {
            details.put(name, amount);
        }
    }
}
