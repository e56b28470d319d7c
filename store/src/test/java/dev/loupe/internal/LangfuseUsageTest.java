package dev.loupe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.loupe.engine.ModelPrices;
import dev.loupe.trace.Cost;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LangfuseUsageTest {

    /** A map in the order given, as JSON objects and Langfuse's SDKs keep them. */
    private static <T> Map<String, T> ordered(Object... namesAndValues) {
        Map<String, T> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            T value = (T) namesAndValues[i + 1];
            map.put((String) namesAndValues[i], value);
        }
        return map;
    }

    /** What Langfuse charges for tokens at a price in US dollars per million tokens. */
    private static BigDecimal perMillion(long tokens, String usdPerMillionTokens) {
        return new BigDecimal(usdPerMillionTokens).multiply(BigDecimal.valueOf(tokens))
                .divide(BigDecimal.valueOf(1_000_000));
    }

    @Nested
    class FromLangfuse {

        @Test
        void cachedAndReasoningTokensAreAddedToTheirTotalsUnderLoupesNames() {
            Usage usage = LangfuseUsage.usageFromLangfuse(ordered("input", 80L, "output", 30L, "total", 110L,
                    "input_cached_tokens", 20L, "output_reasoning_tokens", 10L));

            assertThat(usage.details()).containsExactly(entry("input", 100L), entry("output", 40L),
                    entry("total", 110L), entry("cached_input", 20L), entry("reasoning", 10L));
        }

        @Test
        void anthropicsCacheKeysArePartsOfTheInput() {
            Usage usage = LangfuseUsage.usageFromLangfuse(ordered("input", 7L, "output", 445L,
                    "cache_read_input_tokens", 16_399L, "cache_creation_input_tokens", 2_089L));

            assertThat(usage.details()).containsExactly(entry("input", 18_495L), entry("output", 445L),
                    entry("cached_input", 16_399L), entry("cache_write", 2_089L));
        }

        @Test
        void langfusesOtherNamesOfThePartsLoupePricesGetLoupesNames() {
            Usage usage = LangfuseUsage.usageFromLangfuse(ordered("input", 1L, "output", 1L, "input_cache_read", 2L,
                    "input_cache_creation", 3L, "output_reasoning", 4L));

            assertThat(usage.details()).containsExactly(entry("input", 6L), entry("output", 5L),
                    entry("cached_input", 2L), entry("cache_write", 3L), entry("reasoning", 4L));
        }

        @Test
        void otherInputAndOutputDetailsAreAddedToTheirTotalsAndKeepTheirNames() {
            Usage usage = LangfuseUsage.usageFromLangfuse(ordered("input", 10L, "output", 5L,
                    "input_audio_tokens", 3L, "output_audio_tokens", 2L));

            assertThat(usage.details()).containsExactly(entry("input", 13L), entry("output", 7L),
                    entry("input_audio_tokens", 3L), entry("output_audio_tokens", 2L));
        }

        @Test
        void unknownDetailsPassThroughUnchangedAndChangeNoTotal() {
            Usage usage = LangfuseUsage.usageFromLangfuse(ordered("input", 10L, "output", 5L, "images", 2L));

            assertThat(usage.details()).containsExactly(entry("input", 10L), entry("output", 5L),
                    entry("images", 2L));
        }

        @Test
        void aPartWithoutItsTotalBecomesTheTotal() {
            Usage usage = LangfuseUsage.usageFromLangfuse(ordered("output", 5L, "input_cached_tokens", 4L));

            assertThat(usage.details()).containsExactly(entry("input", 4L), entry("output", 5L),
                    entry("cached_input", 4L));
        }

        @Test
        void costsAreTranslatedLikeCounts() {
            Cost cost = LangfuseUsage.costFromLangfuse(ordered("input", new BigDecimal("0.000015"),
                    "output", new BigDecimal("0.00006"), "input_cached_tokens", new BigDecimal("0.0000025")));

            assertThat(cost.details()).containsOnlyKeys("input", "output", "cached_input");
            assertThat(cost.input()).isEqualByComparingTo("0.0000175");
            assertThat(cost.details().get("cached_input")).isEqualByComparingTo("0.0000025");
            assertThat(cost.total()).isEqualByComparingTo("0.0000775");
        }
    }

    @Nested
    class ToLangfuse {

        @Test
        void cachedInputAndCacheWritesAreTakenOutOfTheInputUnderTheNamesLangfusePrices() {
            Usage usage = new Usage(ordered("input", 1_460L, "output", 88L, "total", 1_548L,
                    "cached_input", 1_024L, "cache_write", 100L));

            assertThat(LangfuseUsage.toLangfuse(usage)).containsExactly(entry("input", 336L), entry("output", 88L),
                    entry("total", 1_548L), entry("input_cached_tokens", 1_024L),
                    entry("input_cache_creation", 100L));
        }

        @Test
        void reasoningIsTakenOutOfTheOutput() {
            Usage usage = new Usage(ordered("input", 50L, "output", 400L, "reasoning", 320L));

            assertThat(LangfuseUsage.toLangfuse(usage)).containsExactly(entry("input", 50L), entry("output", 80L),
                    entry("output_reasoning_tokens", 320L));
        }

        @Test
        void usageOfTheThreeCountsIsSentAsItIs() {
            assertThat(LangfuseUsage.toLangfuse(Usage.of(120, 30))).containsExactly(entry("input", 120L),
                    entry("output", 30L), entry("total", 150L));
        }

        @Test
        void unknownDetailsPassThroughUnchanged() {
            Usage usage = new Usage(ordered("input", 10L, "output", 5L, "images", 2L));

            assertThat(LangfuseUsage.toLangfuse(usage)).containsExactly(entry("input", 10L), entry("output", 5L),
                    entry("images", 2L));
        }

        @Test
        void otherInputAndOutputDetailsAreTakenOutOfTheirTotalsAndKeepTheirNames() {
            Usage usage = new Usage(ordered("input", 13L, "output", 7L, "input_audio_tokens", 3L,
                    "output_audio_tokens", 2L));

            assertThat(LangfuseUsage.toLangfuse(usage)).containsExactly(entry("input", 10L), entry("output", 5L),
                    entry("input_audio_tokens", 3L), entry("output_audio_tokens", 2L));
        }

        @Test
        void partsLargerThanTheirTotalLeaveTheTotalAsThePlainPartAndAreKeptNeverANegativeCount() {
            Usage usage = new Usage(ordered("input", 7L, "output", 5L, "cached_input", 16_399L, "cache_write", 6L,
                    "reasoning", 9L));

            assertThat(LangfuseUsage.toLangfuse(usage)).containsExactly(entry("input", 7L), entry("output", 5L),
                    entry("input_cached_tokens", 16_399L), entry("input_cache_creation", 6L),
                    entry("output_reasoning_tokens", 9L));
        }

        @Test
        void partsLargerThanTheirTotalAreSentSoThatLangfuseChargesWhatLoupeCharges() {
            ModelPrices.Price price = ModelPrices.Price.perMillionTokens(3.00, 15.00).withCachedInput(0.30);
            Usage anthropicStyle = new Usage(ordered("input", 7L, "output", 445L, "cached_input", 16_399L));
            Cost loupesCost = ModelPrices.none().with("claude", price).costOf("claude", anthropicStyle).orElseThrow();

            Map<String, Long> langfuse = LangfuseUsage.toLangfuse(anthropicStyle);
            BigDecimal langfusesCost = perMillion(langfuse.get("input"), "3.00")
                    .add(perMillion(langfuse.get("input_cached_tokens"), "0.30"))
                    .add(perMillion(langfuse.get("output"), "15.00"));

            assertThat(langfusesCost).isEqualByComparingTo(loupesCost.total());
        }

        @Test
        void aPartWithoutItsTotalIsSentWithoutMakingUpATotal() {
            Usage usage = new Usage(ordered("output", 5L, "cached_input", 4L));

            assertThat(LangfuseUsage.toLangfuse(usage)).containsExactly(entry("output", 5L),
                    entry("input_cached_tokens", 4L));
        }

        @Test
        void costsAreTakenApartLikeCounts() {
            Cost cost = new Cost(ordered("input", new BigDecimal("0.0030"), "cached_input", new BigDecimal("0.0005"),
                    "output", new BigDecimal("0.0030"), "reasoning", new BigDecimal("0.0020"),
                    "total", new BigDecimal("0.0060")));

            Map<String, BigDecimal> langfuse = LangfuseUsage.toLangfuse(cost);

            assertThat(langfuse).containsOnlyKeys("input", "output", "total", "input_cached_tokens",
                    "output_reasoning_tokens");
            assertThat(langfuse.get("input")).isEqualByComparingTo("0.0025");
            assertThat(langfuse.get("output")).isEqualByComparingTo("0.0010");
            assertThat(langfuse.get("input_cached_tokens")).isEqualByComparingTo("0.0005");
            assertThat(langfuse.get("output_reasoning_tokens")).isEqualByComparingTo("0.0020");
            assertThat(langfuse.get("total")).isEqualByComparingTo("0.0060");
        }

        @Test
        void aCostPartLargerThanItsTotalLeavesTheTotalAsItIsNeverNegative() {
            Cost cost = new Cost(ordered("output", new BigDecimal("0.0010"), "reasoning", new BigDecimal("0.0020")));

            Map<String, BigDecimal> langfuse = LangfuseUsage.toLangfuse(cost);

            assertThat(langfuse.get("output")).isEqualByComparingTo("0.0010");
            assertThat(langfuse.get("output_reasoning_tokens")).isEqualByComparingTo("0.0020");
        }
    }

    @Nested
    class RoundTrip {

        @Test
        void loupesUsageComesBackFromLangfuseAsItWent() {
            Usage usage = new Usage(ordered("input", 1_460L, "output", 88L, "total", 1_548L,
                    "cached_input", 1_024L, "cache_write", 100L, "reasoning", 40L, "input_audio_tokens", 6L,
                    "images", 2L));

            assertThat(LangfuseUsage.usageFromLangfuse(LangfuseUsage.toLangfuse(usage))).isEqualTo(usage);
        }

        @Test
        void loupesCostComesBackFromLangfuseAsItWent() {
            Cost cost = new Cost(ordered("input", new BigDecimal("0.0030"), "cached_input", new BigDecimal("0.0005"),
                    "output", new BigDecimal("0.0010"), "reasoning", new BigDecimal("0.0004"),
                    "total", new BigDecimal("0.0040")));

            Cost back = LangfuseUsage.costFromLangfuse(LangfuseUsage.toLangfuse(cost));

            assertThat(back.details()).containsOnlyKeys(cost.details().keySet());
            cost.details().forEach((name, amount) -> assertThat(back.details().get(name)).as(name)
                    .isEqualByComparingTo(amount));
        }

        @Test
        void langfusesDisjointUsageComesBackFromLoupeAsItWent() {
            Map<String, Long> langfuse = ordered("input", 336L, "output", 48L, "total", 1_548L,
                    "input_cached_tokens", 1_024L, "input_cache_creation", 100L, "output_reasoning_tokens", 40L);

            assertThat(LangfuseUsage.toLangfuse(LangfuseUsage.usageFromLangfuse(langfuse))).isEqualTo(langfuse);
        }
    }
}
