package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.engine.ModelPrices;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GenerationsTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2025-06-01T09:00:00Z"));

    @RegisterExtension
    final TracingFixture tracing = TracingFixture.inMemory(builder -> builder.clock(clock));

    /** Records one generation configured by the callback with the fixture's tracer and returns it as stored. */
    private Observation generation(Consumer<Generation> configure) {
        return generation(tracing.tracer(), configure);
    }

    private Observation generation(Tracer tracer, Consumer<Generation> configure) {
        String traceId;
        try (RootSpan root = tracer.startTrace("agent"); Generation call = tracer.startGeneration("call")) {
            configure.accept(call);
            traceId = root.traceId();
        }
        tracer.flush();
        return tracing.stored(traceId).find("call").orElseThrow();
    }

    private Tracer tracerWith(ModelPrices prices) {
        return TracerBuilder.create().store(tracing.store()).modelPrices(prices).shutdownHook(false).build();
    }

    @Test
    void costIsComputedFromTheBuiltInPricesForAKnownModel() {
        Observation call = generation(gen -> gen.model("gpt-4o-mini").usage(1_000, 500));

        assertThat(call.cost().input()).isEqualByComparingTo("0.00015");
        assertThat(call.cost().output()).isEqualByComparingTo("0.0003");
        assertThat(call.cost().total()).isEqualByComparingTo("0.00045");
    }

    @Test
    void datedModelVersionIsPricedLikeItsModel() {
        Observation call = generation(gen -> gen.model("gpt-4o-2024-08-06").usage(1_000_000, 100_000));

        assertThat(call.cost().total()).isEqualByComparingTo("3.50");
    }

    @Test
    void embeddingCostIsComputedFromItsInputTokens() {
        String traceId;
        try (RootSpan root = tracing.tracer().startTrace("agent");
                Generation embed = tracing.tracer().startEmbedding("embed")) {
            embed.model("text-embedding-3-small").usage(Usage.of(500_000, 0));
            traceId = root.traceId();
        }

        assertThat(tracing.stored(traceId).find("embed").orElseThrow().cost().total()).isEqualByComparingTo("0.01");
    }

    @Test
    void explicitTotalCostWinsOverTheComputedCost() {
        Observation call = generation(gen -> gen.model("gpt-4o-mini").usage(1_000, 500).cost(0.5));

        assertThat(call.cost().total()).isEqualByComparingTo("0.5");
        assertThat(call.cost().input()).isNull();
    }

    @Test
    void explicitInputAndOutputCostsWinOverTheComputedCost() {
        Observation call = generation(gen -> gen.model("gpt-4o-mini").usage(1_000, 500).cost(0.01, 0.02));

        assertThat(call.cost().input()).isEqualByComparingTo("0.01");
        assertThat(call.cost().output()).isEqualByComparingTo("0.02");
        assertThat(call.cost().total()).isEqualByComparingTo("0.03");
    }

    @Test
    void customPriceTakesPrecedenceOverTheBuiltInOne() {
        try (Tracer tracer = tracerWith(ModelPrices.defaults().with("gpt-4o-mini", 1.00, 2.00))) {
            Observation call = generation(tracer, gen -> gen.model("gpt-4o-mini").usage(1_000_000, 1_000_000));

            assertThat(call.cost().total()).isEqualByComparingTo("3.00");
        }
    }

    @Test
    void customPriceTableCostsModelsTheBuiltInTableDoesNotKnow() {
        try (Tracer tracer = tracerWith(ModelPrices.defaults().with("acme-.*", 0.50, 1.50))) {
            Observation call = generation(tracer, gen -> gen.model("acme-large").usage(2_000_000, 1_000_000));

            assertThat(call.cost().input()).isEqualByComparingTo("1.00");
            assertThat(call.cost().output()).isEqualByComparingTo("1.50");
        }
    }

    @Test
    void unknownModelHasNoCost() {
        Observation call = generation(gen -> gen.model("my-local-llama").usage(1_000, 500));

        assertThat(call.cost()).isNull();
        assertThat(tracing.onlyStored().stats().totalCost()).isNull();
    }

    @Test
    void emptyPriceTableRecordsOnlyCostsTheCallerSets() {
        try (Tracer tracer = tracerWith(ModelPrices.none())) {
            Observation call = generation(tracer, gen -> gen.model("gpt-4o-mini").usage(1_000, 500));

            assertThat(call.cost()).isNull();
        }
    }

    @Test
    void usageDetailsKeepEveryNamedDetail() {
        Map<String, Integer> details = new LinkedHashMap<>();
        details.put("input", 100);
        details.put("output", 20);
        details.put("cached_input", 80);
        details.put("reasoning", 5);

        Observation call = generation(gen -> gen.model("o4-mini").usageDetails(details));

        assertThat(call.usage().input()).isEqualTo(100);
        assertThat(call.usage().output()).isEqualTo(20);
        assertThat(call.usage().detail("cached_input")).isEqualTo(80);
        assertThat(call.usage().detail("reasoning")).isEqualTo(5);
        assertThat(call.usage().total()).isEqualTo(120);
        assertThat(call.cost()).isNotNull();
    }

    @Test
    void reportedTotalIsKeptEvenWhenItDiffersFromInputPlusOutput() {
        Observation call = generation(gen -> gen.usage(10, 5, 20));

        assertThat(call.usage().total()).isEqualTo(20);
    }

    @Test
    void completionStartedRecordsTheTimeToFirstToken() {
        Observation call = generation(gen -> {
            clock.advance(Duration.ofMillis(180));
            gen.completionStarted();
            clock.advance(Duration.ofMillis(400));
        });

        assertThat(call.timeToFirstToken()).isEqualTo(Duration.ofMillis(180));
        assertThat(call.duration()).isEqualTo(Duration.ofMillis(580));
    }

    @Test
    void modelParametersAndPromptAreRecorded() {
        Observation call = generation(gen -> gen.model("gpt-4.1").modelParameters(Map.of("temperature", 0.2))
                .prompt("support-reply", 7));

        assertThat(call.model()).isEqualTo("gpt-4.1");
        assertThat(call.modelParameters()).isEqualTo("{\"temperature\":0.2}");
        assertThat(call.promptName()).isEqualTo("support-reply");
        assertThat(call.promptVersion()).isEqualTo(7);
    }

    @Test
    void traceFiguresSumTokensAndCostsOfAllGenerations() {
        tracing.tracer().trace("agent", () -> {
            tracing.tracer().generation("first", gen -> gen.model("gpt-4o-mini").usage(1_000, 500).output("a"));
            tracing.tracer().generation("second", gen -> gen.model("gpt-4o-mini").usage(2_000, 1_000).output("b"));
        });

        TraceTree tree = tracing.onlyStored();
        assertThat(tree.stats().inputTokens()).isEqualTo(3_000);
        assertThat(tree.stats().outputTokens()).isEqualTo(1_500);
        assertThat(tree.stats().totalTokens()).isEqualTo(4_500);
        assertThat(tree.stats().totalCost()).isEqualByComparingTo(new BigDecimal("0.00135"));
    }

    @Test
    void priceTableRejectsAPatternThatIsNotARegularExpression() {
        assertThatThrownBy(() -> ModelPrices.defaults().with("gpt-(4", 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gpt-(4")
                .hasMessageContaining("not a valid regular expression");
    }

    @Test
    void priceTableRejectsNegativePrices() {
        assertThatThrownBy(() -> ModelPrices.none().with("acme", -1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acme")
                .hasMessageContaining("zero or more");
    }
}
