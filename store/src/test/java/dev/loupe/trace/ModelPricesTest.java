package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.engine.ModelPrices;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ModelPricesTest {

    private static Usage usage(long input, long output, Object... details) {
        Map<String, Long> all = new LinkedHashMap<>();
        all.put(Usage.INPUT, input);
        all.put(Usage.OUTPUT, output);
        for (int i = 0; i < details.length; i += 2) {
            all.put((String) details[i], ((Number) details[i + 1]).longValue());
        }
        return new Usage(all);
    }

    private static Map<String, BigDecimal> costDetails(String model, Usage usage) {
        return ModelPrices.defaults().costOf(model, usage).orElseThrow().details();
    }

    @Test
    void aModelPricedAgainCostsTheSame() {
        ModelPrices prices = ModelPrices.defaults();

        var first = prices.costOf("gpt-4o-mini", Usage.of(1_000_000, 1_000_000)).orElseThrow();
        var second = prices.costOf("gpt-4o-mini", Usage.of(1_000_000, 1_000_000)).orElseThrow();

        assertThat(second).isEqualTo(first);
        assertThat(first.total()).isEqualByComparingTo(new BigDecimal("0.75"));
    }

    @Test
    void anEntryAddedLaterWinsOverTheTableItExtendsAfterThatTablePricedTheModel() {
        ModelPrices defaults = ModelPrices.defaults();
        defaults.costOf("gpt-4o-mini", Usage.of(10, 10));

        ModelPrices custom = defaults.with("gpt-4o-mini", 1.0, 1.0);

        assertThat(custom.costOf("gpt-4o-mini", Usage.of(1_000_000, 0)).orElseThrow().total())
                .isEqualByComparingTo(BigDecimal.ONE);
    }

    @Test
    void aModelWithoutEntryHasNoCostEveryTime() {
        assertThat(ModelPrices.defaults().costOf("home-made-llm", Usage.of(10, 10))).isEmpty();
        assertThat(ModelPrices.defaults().costOf("home-made-llm", Usage.of(10, 10))).isEmpty();
    }

    @Test
    void cachedInputIsPricedAtItsOwnRateAsPartOfTheInputNotOnTopOfIt() {
        // gpt-4o: $2.50 input, $1.25 cached input per million (Langfuse #10592: cached input added on top of input)
        Map<String, BigDecimal> cost = costDetails("gpt-4o", usage(1_000_000, 0, Usage.CACHED_INPUT, 400_000));

        assertThat(cost).containsOnlyKeys("input", "cached_input", "output", "total");
        assertThat(cost.get("cached_input")).isEqualByComparingTo("0.50");
        assertThat(cost.get("input")).isEqualByComparingTo("2.00");  // 600 000 × 2.50 + 400 000 × 1.25
        assertThat(cost.get("total")).isEqualByComparingTo("2.00");
    }

    @Test
    void reasoningTokensArePricedAsPartOfTheOutputNotAddedOnTopOfIt() {
        // o3: $8 output and reasoning per million (Langfuse #16508 unpriced reasoning, #11244 reasoning added on top)
        ModelPrices prices = ModelPrices.none().with("thinker",
                ModelPrices.Price.perMillionTokens(1.00, 8.00).withReasoning(4.00));
        Map<String, BigDecimal> cost = prices.costOf("thinker", usage(0, 1_000_000, Usage.REASONING, 250_000))
                .orElseThrow().details();

        assertThat(cost.get("reasoning")).isEqualByComparingTo("1.00");
        assertThat(cost.get("output")).isEqualByComparingTo("7.00");  // 750 000 × 8 + 250 000 × 4
        assertThat(cost.get("total")).isEqualByComparingTo("7.00");
        assertThat(costDetails("o3", usage(0, 1_000_000, Usage.REASONING, 250_000)).get("total"))
                .isEqualByComparingTo("8.00");
    }

    @Test
    void cacheWritesArePricedAtTheirOwnRate() {
        // claude-sonnet-4-5: $3 input, $0.30 cache read, $3.75 cache write per million (Langfuse #14249)
        Map<String, BigDecimal> cost = costDetails("claude-sonnet-4-5-20250929",
                usage(10_000, 1_000, Usage.CACHED_INPUT, 5_000, Usage.CACHE_WRITE, 4_000));

        assertThat(cost).containsOnlyKeys("input", "cached_input", "cache_write", "output", "total");
        assertThat(cost.get("cached_input")).isEqualByComparingTo("0.0015");
        assertThat(cost.get("cache_write")).isEqualByComparingTo("0.015");
        assertThat(cost.get("input")).isEqualByComparingTo("0.0195");  // 1 000 × 3 + 5 000 × 0.30 + 4 000 × 3.75
        assertThat(cost.get("output")).isEqualByComparingTo("0.015");
        assertThat(cost.get("total")).isEqualByComparingTo("0.0345");
    }

    @Test
    void cacheTokensReportedApartFromTheInputAreNotSubtractedFromIt() {
        // Anthropic's API reports input_tokens without the cached ones: the parts exceed the input
        Map<String, BigDecimal> cost = costDetails("claude-sonnet-4-5", usage(100, 0, Usage.CACHED_INPUT, 10_000));

        assertThat(cost.get("input")).isEqualByComparingTo("0.0033");  // 100 × 3 + 10 000 × 0.30
    }

    @Test
    void theTotalIsInputPlusOutputWhateverTheDetails() {
        Map<String, BigDecimal> cost = costDetails("gpt-5", usage(2_000, 3_000, Usage.CACHED_INPUT, 1_000,
                Usage.REASONING, 2_000));

        assertThat(cost.get("total")).isEqualByComparingTo(cost.get("input").add(cost.get("output")));
        assertThat(cost.get("total")).isEqualByComparingTo("0.031375");  // 1 000 × 1.25 + 1 000 × 0.125 + 3 000 × 10
    }

    @ParameterizedTest(name = "{0} costs ${1} input and ${2} output per million tokens")
    @CsvSource({
            "gpt-4o-2024-08-06, 2.50, 10.00", "gpt-4.1-mini, 0.40, 1.60", "o4-mini, 1.10, 4.40",
            "gpt-5, 1.25, 10.00", "gpt-5-mini-2025-08-07, 0.25, 2.00", "gpt-5.4, 2.50, 15.00",
            "openai/gpt-5.5, 5.00, 30.00",
            "claude-3-5-haiku-20241022, 0.80, 4.00", "claude-sonnet-4-20250514, 3.00, 15.00",
            "claude-haiku-4-5-20251001, 1.00, 5.00", "claude-opus-4-1-20250805, 15.00, 75.00",
            "claude-opus-4-5-20251101, 5.00, 25.00", "anthropic/claude-sonnet-4-6, 3.00, 15.00",
            "gemini-2.0-flash-001, 0.10, 0.40", "gemini-2.5-pro, 1.25, 10.00", "gemini-2.5-flash, 0.30, 2.50",
            "gemini-3-pro-preview, 2.00, 12.00", "models/gemini-3-flash-preview, 0.50, 3.00",
            "mistral-large-latest, 0.50, 1.50", "mistral-large-2411, 2.00, 6.00", "mistral-medium-2508, 0.40, 2.00",
            "mistral-small-latest, 0.10, 0.30", "codestral-latest, 0.30, 0.90", "magistral-medium-latest, 2.00, 5.00",
            "ministral-8b-latest, 0.15, 0.15"})
    void theBuiltInTableCoversCurrentModelsOfTheFourProviders(String model, BigDecimal input, BigDecimal output) {
        ModelPrices.Price price = ModelPrices.defaults().priceOf(model).orElseThrow();

        assertThat(price.input()).isEqualByComparingTo(input);
        assertThat(price.output()).isEqualByComparingTo(output);
    }

    @Test
    void theBuiltInTableSaysWhenItsPricesWerePublished() {
        assertThat(ModelPrices.defaults().pricesDate()).hasValue(LocalDate.of(2026, 8, 22));
        assertThat(ModelPrices.none().pricesDate()).isEmpty();
    }

    @Test
    void aPriceWithoutCacheOrReasoningRatesUsesTheInputAndOutputRates() {
        ModelPrices.Price price = ModelPrices.Price.perMillionTokens(1.00, 2.00);

        assertThat(price.cachedInput()).isEqualByComparingTo("1.00");
        assertThat(price.cacheWrite()).isEqualByComparingTo("1.00");
        assertThat(price.reasoning()).isEqualByComparingTo("2.00");
    }

    @Test
    void aTableCanBeReplacedWhole() {
        ModelPrices own = ModelPrices.none().with("acme-.*",
                ModelPrices.Price.perMillionTokens(1.00, 2.00).withCachedInput(0.10).withCacheWrite(1.50));

        assertThat(own.priceOf("gpt-4o")).isEmpty();
        assertThat(own.costOf("acme-large", usage(1_000_000, 0, Usage.CACHED_INPUT, 1_000_000)).orElseThrow()
                .total()).isEqualByComparingTo("0.10");
    }

    @Test
    void negativePricesAreRejectedNamingTheKind() {
        assertThatThrownBy(() -> ModelPrices.Price.perMillionTokens(1, 2).withCacheWrite(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The cacheWrite price is -1.0 USD per million tokens: give zero or more");
        assertThatThrownBy(() -> new ModelPrices.Price(BigDecimal.ONE, BigDecimal.ONE, new BigDecimal("-2"), null,
                null)).hasMessage("The cachedInput price is -2 USD per million tokens: give zero or more");
    }
}
