package dev.loupe.engine;

import dev.loupe.trace.Cost;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * Prices of models in US dollars per million input and output tokens, used to compute a generation's cost from its
 * usage when the caller set no cost. Entries match the model name by regular expression; the first match wins, and
 * entries added with {@link #with} come before the ones they extend. Immutable.
 *
 * <p>The built-in table holds providers' published list prices at the time of this release. They change: for exact
 * figures, add your own with {@link #with}, or set costs explicitly.
 */
public final class ModelPrices {

    /** Distinct model names whose entry is remembered; an application uses a handful, so this is never reached. */
    private static final int MAX_REMEMBERED_MODELS = 1_024;
    private static final ModelPrices NONE = new ModelPrices(List.of());
    private static final ModelPrices DEFAULTS = NONE
            // Listed from general to specific: each with(...) takes precedence over the entries before it.
            .with("(?i)gpt-4o(-\\d{4}-\\d{2}-\\d{2})?", 2.50, 10.00)
            .with("(?i)gpt-4o-mini(-\\d{4}-\\d{2}-\\d{2})?", 0.15, 0.60)
            .with("(?i)gpt-4\\.1(-\\d{4}-\\d{2}-\\d{2})?", 2.00, 8.00)
            .with("(?i)gpt-4\\.1-mini(-\\d{4}-\\d{2}-\\d{2})?", 0.40, 1.60)
            .with("(?i)gpt-4\\.1-nano(-\\d{4}-\\d{2}-\\d{2})?", 0.10, 0.40)
            .with("(?i)o3-mini(-\\d{4}-\\d{2}-\\d{2})?", 1.10, 4.40)
            .with("(?i)o4-mini(-\\d{4}-\\d{2}-\\d{2})?", 1.10, 4.40)
            .with("(?i)text-embedding-3-small", 0.02, 0)
            .with("(?i)text-embedding-3-large", 0.13, 0)
            .with("(?i)claude-3-5-haiku.*", 0.80, 4.00)
            .with("(?i)claude-3-5-sonnet.*|claude-3-7-sonnet.*|claude-sonnet-4.*", 3.00, 15.00)
            .with("(?i)claude-opus-4.*", 15.00, 75.00);

    private final List<Entry> entries;
    /** The entry each model name matched: regular expressions ran for every generation otherwise. */
    private final ConcurrentMap<String, Optional<Entry>> entryByModel = new ConcurrentHashMap<>();

    private ModelPrices(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Returns the built-in price table. */
    public static ModelPrices defaults() {
        return DEFAULTS;
    }

    /** Returns an empty table: costs are recorded only when the caller sets them. */
    public static ModelPrices none() {
        return NONE;
    }

    /**
     * Returns a table with one more entry, which takes precedence over all entries of this table.
     *
     * @param modelPattern            a regular expression that matches the whole model name
     * @param inputUsdPerMillionTokens  price of one million input tokens in US dollars
     * @param outputUsdPerMillionTokens price of one million output tokens in US dollars
     * @throws IllegalArgumentException when the pattern is not a valid regular expression or a price is negative
     */
    public ModelPrices with(String modelPattern, double inputUsdPerMillionTokens, double outputUsdPerMillionTokens) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(modelPattern);
        } catch (RuntimeException invalid) {
            throw new IllegalArgumentException("Model pattern '" + modelPattern
                    + "' is not a valid regular expression: " + invalid.getMessage(), invalid);
        }
        if (!(inputUsdPerMillionTokens >= 0) || !(outputUsdPerMillionTokens >= 0)) {
            throw new IllegalArgumentException("Prices for model pattern '" + modelPattern + "' must be zero or more, "
                    + "got input " + inputUsdPerMillionTokens + " and output " + outputUsdPerMillionTokens);
        }
        List<Entry> more = new ArrayList<>(entries.size() + 1);
        more.add(new Entry(pattern, BigDecimal.valueOf(inputUsdPerMillionTokens),
                BigDecimal.valueOf(outputUsdPerMillionTokens)));
        more.addAll(entries);
        return new ModelPrices(more);
    }

    /** Returns the cost of a call to this model with this usage, or empty when no entry matches the model. */
    public Optional<Cost> costOf(String model, Usage usage) {
        if (model == null || usage == null) {
            return Optional.empty();
        }
        Optional<Entry> match = entryByModel.get(model);
        if (match == null) {
            match = entries.stream().filter(entry -> entry.pattern.matcher(model).matches()).findFirst();
            if (entryByModel.size() < MAX_REMEMBERED_MODELS) {
                entryByModel.put(model, match);
            }
        }
        if (match.isEmpty()) {
            return Optional.empty();
        }
        Entry entry = match.get();
        return Optional.of(Cost.of(price(entry.inputPerMillion, usage.input()),
                price(entry.outputPerMillion, usage.output())));
    }

    private static BigDecimal price(BigDecimal perMillion, Long tokens) {
        // exact, and far cheaper than a division: the price is per million tokens
        return tokens == null ? BigDecimal.ZERO : perMillion.multiply(BigDecimal.valueOf(tokens)).movePointLeft(6);
    }

    private record Entry(Pattern pattern, BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
    }
}
