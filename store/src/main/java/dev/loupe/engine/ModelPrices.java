package dev.loupe.engine;

import dev.loupe.trace.Cost;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * Prices of models in US dollars per million tokens of each kind (input, cached input, cache write, output,
 * reasoning), used to compute a generation's cost from its usage when the caller set no cost. Entries match the
 * model name by regular expression; the first match wins, and entries added with {@link #with} come before the ones
 * they extend. Immutable.
 *
 * <p>A cost is priced by kind and never counted twice: {@code input} and {@code output} are totals that include
 * their parts {@link Usage#CACHED_INPUT}, {@link Usage#CACHE_WRITE} and {@link Usage#REASONING} (see {@link Usage});
 * each part is priced at its own rate, the rest of the input or output at the plain rate. The cost's details name
 * the same kinds: {@code input} (all input, parts included), {@code cached_input}, {@code cache_write},
 * {@code output} (all output, reasoning included), {@code reasoning}, and {@code total} = input + output.
 *
 * <p>The built-in table ({@link #defaults()}) holds the list prices of current OpenAI, Anthropic, Google and Mistral
 * models published on {@link #pricesDate()}; it was checked against Langfuse's MIT-licensed
 * {@code default-model-prices.json}. Prices change: add your own with {@link #with}, start from {@link #none()}, or
 * set costs explicitly.
 */
public final class ModelPrices {

    /** Distinct model names whose entry is remembered; an application uses a handful, so this is never reached. */
    private static final int MAX_REMEMBERED_MODELS = 1_024;
    private static final LocalDate PRICES_DATE = LocalDate.of(2026, 8, 22);
    private static final ModelPrices NONE = new ModelPrices(List.of(), null);
    private static final ModelPrices DEFAULTS = new ModelPrices(BuiltInPrices.entries(), PRICES_DATE);

    private final List<Entry> entries;
    private final LocalDate pricesDate;
    /** The entry each model name matched: regular expressions ran for every generation otherwise. */
    private final ConcurrentMap<String, Optional<Entry>> entryByModel = new ConcurrentHashMap<>();

    private ModelPrices(List<Entry> entries, LocalDate pricesDate) {
        this.entries = List.copyOf(entries);
        this.pricesDate = pricesDate;
    }

    /** Returns the built-in price table. */
    public static ModelPrices defaults() {
        return DEFAULTS;
    }

    /** Returns an empty table: costs are recorded only when the caller sets them, or for the entries added. */
    public static ModelPrices none() {
        return NONE;
    }

    /** Returns the day the built-in prices were published lists, or empty for a table built from {@link #none()}. */
    public Optional<LocalDate> pricesDate() {
        return Optional.ofNullable(pricesDate);
    }

    /**
     * Returns a table with one more entry, which takes precedence over all entries of this table; cached input and
     * cache writes cost what input does, reasoning what output does.
     *
     * @param modelPattern            a regular expression that matches the whole model name
     * @param inputUsdPerMillionTokens  price of one million input tokens in US dollars
     * @param outputUsdPerMillionTokens price of one million output tokens in US dollars
     * @throws IllegalArgumentException when the pattern is not a valid regular expression or a price is negative
     */
    public ModelPrices with(String modelPattern, double inputUsdPerMillionTokens, double outputUsdPerMillionTokens) {
        return with(modelPattern, Price.perMillionTokens(modelPattern, inputUsdPerMillionTokens,
                outputUsdPerMillionTokens));
    }

    /**
     * Returns a table with one more entry priced by kind of token, which takes precedence over all entries of this
     * table.
     *
     * @throws IllegalArgumentException when the pattern is not a valid regular expression
     */
    public ModelPrices with(String modelPattern, Price price) {
        Objects.requireNonNull(price, "price");
        List<Entry> more = new ArrayList<>(entries.size() + 1);
        more.add(new Entry(compile(modelPattern), price));
        more.addAll(entries);
        return new ModelPrices(more, pricesDate);
    }

    private static Pattern compile(String modelPattern) {
        Objects.requireNonNull(modelPattern, "modelPattern");
        try {
            return Pattern.compile(modelPattern);
        } catch (RuntimeException invalid) {
            throw new IllegalArgumentException("Model pattern '" + modelPattern
                    + "' is not a valid regular expression: " + invalid.getMessage(), invalid);
        }
    }

    /** Returns the price of a model, or empty when no entry matches its name. */
    public Optional<Price> priceOf(String model) {
        return model == null ? Optional.empty() : entry(model).map(Entry::price);
    }

    private Optional<Entry> entry(String model) {
        Optional<Entry> match = entryByModel.get(model);
        if (match == null) {
            match = entries.stream().filter(entry -> entry.pattern.matcher(model).matches()).findFirst();
            if (entryByModel.size() < MAX_REMEMBERED_MODELS) {
                entryByModel.put(model, match);
            }
        }
        return match;
    }

    /** Returns the cost of a call to this model with this usage, or empty when no entry matches the model. */
    public Optional<Cost> costOf(String model, Usage usage) {
        if (model == null || usage == null) {
            return Optional.empty();
        }
        return entry(model).map(entry -> entry.price.costOf(usage));
    }

    /**
     * The price of a model in US dollars per million tokens of each kind. Cached input and cache writes default to
     * the input price, reasoning to the output price.
     *
     * @param input       one million input tokens not read from or written to the prompt cache
     * @param output      one million output tokens that are not reasoning
     * @param cachedInput one million input tokens read from the prompt cache
     * @param cacheWrite  one million input tokens written to the prompt cache
     * @param reasoning   one million reasoning tokens
     */
    public record Price(BigDecimal input, BigDecimal output, BigDecimal cachedInput, BigDecimal cacheWrite,
            BigDecimal reasoning) {

        /** Checks that every price is known and not negative. */
        public Price {
            for (Map.Entry<String, BigDecimal> price : Map.of("input", orZero(input), "output", orZero(output),
                    "cachedInput", orZero(cachedInput), "cacheWrite", orZero(cacheWrite),
                    "reasoning", orZero(reasoning)).entrySet()) {
                if (price.getValue().signum() < 0) {
                    throw new IllegalArgumentException("The " + price.getKey() + " price is "
                            + price.getValue().toPlainString() + " USD per million tokens: give zero or more");
                }
            }
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(output, "output");
            cachedInput = cachedInput == null ? input : cachedInput;
            cacheWrite = cacheWrite == null ? input : cacheWrite;
            reasoning = reasoning == null ? output : reasoning;
        }

        private static BigDecimal orZero(BigDecimal value) {
            return value == null ? BigDecimal.ZERO : value;
        }

        /** Returns a price for input and output tokens, in US dollars per million. */
        public static Price perMillionTokens(double input, double output) {
            return perMillionTokens("(any)", input, output);
        }

        static Price perMillionTokens(String model, double input, double output) {
            if (!(input >= 0) || !(output >= 0) || Double.isInfinite(input) || Double.isInfinite(output)) {
                throw new IllegalArgumentException("Prices for model pattern '" + model + "' must be zero or more, "
                        + "got input " + input + " and output " + output);
            }
            return new Price(BigDecimal.valueOf(input), BigDecimal.valueOf(output), null, null, null);
        }

        /** Returns this price with its own rate for input read from the prompt cache, per million tokens. */
        public Price withCachedInput(double usdPerMillionTokens) {
            return new Price(input, output, decimal("cachedInput", usdPerMillionTokens), cacheWrite, reasoning);
        }

        /** Returns this price with its own rate for input written to the prompt cache, per million tokens. */
        public Price withCacheWrite(double usdPerMillionTokens) {
            return new Price(input, output, cachedInput, decimal("cacheWrite", usdPerMillionTokens), reasoning);
        }

        /** Returns this price with its own rate for reasoning tokens, per million tokens. */
        public Price withReasoning(double usdPerMillionTokens) {
            return new Price(input, output, cachedInput, cacheWrite, decimal("reasoning", usdPerMillionTokens));
        }

        private static BigDecimal decimal(String name, double usdPerMillionTokens) {
            if (!(usdPerMillionTokens >= 0) || Double.isInfinite(usdPerMillionTokens)) {
                throw new IllegalArgumentException("The " + name + " price is " + usdPerMillionTokens
                        + " USD per million tokens: give zero or more");
            }
            return BigDecimal.valueOf(usdPerMillionTokens);
        }

        /** Returns the cost of the usage, each kind of token at its own rate, nothing counted twice. */
        Cost costOf(Usage usage) {
            Long cached = usage.detail(Usage.CACHED_INPUT);
            Long written = usage.detail(Usage.CACHE_WRITE);
            Long reasoned = usage.detail(Usage.REASONING);
            if (cached == null && written == null && reasoned == null) {
                return Cost.of(price(input, usage.input()), price(output, usage.output()));
            }
            long in = count(usage.input());
            long out = count(usage.output());
            long read = count(cached);
            long write = count(written);
            long thought = count(reasoned);
            // Parts larger than their total mean the adapter reported the total without them (as Anthropic's API
            // does for cache tokens): the total is then the plain part alone.
            long plainInput = read + write <= in ? in - read - write : in;
            long plainOutput = thought <= out ? out - thought : out;
            BigDecimal readCost = price(cachedInput, read);
            BigDecimal writeCost = price(cacheWrite, write);
            BigDecimal reasoningCost = price(reasoning, thought);
            BigDecimal inputCost = price(input, plainInput).add(readCost).add(writeCost);
            BigDecimal outputCost = price(output, plainOutput).add(reasoningCost);
            Map<String, BigDecimal> details = new LinkedHashMap<>();
            details.put(Usage.INPUT, inputCost);
            if (cached != null) {
                details.put(Usage.CACHED_INPUT, readCost);
            }
            if (written != null) {
                details.put(Usage.CACHE_WRITE, writeCost);
            }
            details.put(Usage.OUTPUT, outputCost);
            if (reasoned != null) {
                details.put(Usage.REASONING, reasoningCost);
            }
            details.put(Usage.TOTAL, inputCost.add(outputCost));
            return new Cost(details);
        }

        private static long count(Long tokens) {
            return tokens == null || tokens < 0 ? 0 : tokens;
        }

        private static BigDecimal price(BigDecimal perMillion, Long tokens) {
            // exact, and far cheaper than a division: the price is per million tokens
            return tokens == null ? BigDecimal.ZERO
                    : perMillion.multiply(BigDecimal.valueOf(tokens)).movePointLeft(6);
        }
    }

    /** One row of a table: the model names it prices and the price. */
    record Entry(Pattern pattern, Price price) {
    }
}
