package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageTest {

    @Test
    void usageOfThreeCountsAnswersForItsCountsAndHasNoOtherDetail() {
        Usage usage = Usage.of(120, 45);

        assertThat(usage.detail(Usage.INPUT)).isEqualTo(120);
        assertThat(usage.detail(Usage.OUTPUT)).isEqualTo(45);
        assertThat(usage.detail(Usage.TOTAL)).isEqualTo(165);
        assertThat(usage.detail(Usage.CACHED_INPUT)).isNull();
        assertThat(usage.detail(null)).isNull();
        assertThat(usage).isEqualTo(new Usage(Map.of("input", 120L, "output", 45L, "total", 165L)));
    }

    @Test
    void cacheAndReasoningDetailsArePartsOfTheTotalsNotAddedToThem() {
        Usage usage = new Usage(Map.of(Usage.INPUT, 1_000L, Usage.OUTPUT, 200L, Usage.CACHED_INPUT, 800L,
                Usage.CACHE_WRITE, 100L, Usage.REASONING, 150L));

        assertThat(usage.total()).isEqualTo(1_200);
        assertThat(usage.detail(Usage.CACHED_INPUT)).isEqualTo(800);
    }
}
