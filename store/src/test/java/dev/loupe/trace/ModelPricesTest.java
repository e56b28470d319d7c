package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.engine.ModelPrices;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ModelPricesTest {

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
}
