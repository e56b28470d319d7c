package dev.loupe.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.model.TraceStats.Accumulator;
import dev.loupe.model.TraceStats.ObservationFigures;
import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The one definition of a trace's figures: what each observation contributes, and how they add up. */
class TraceStatsTest {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    static Observation.Builder span(String id) {
        return Observation.builder(id, "trace-1").startTime(T0);
    }

    @Test
    void anObservationContributesItsEndLevelUnitsAndTotalCost() {
        Observation generation = span("gen-1").endTime(T0.plusSeconds(2)).level(ObservationLevel.ERROR)
                .usage(Usage.of(30, 10, 45)).cost(new Cost(Map.of(Usage.TOTAL, new BigDecimal("0.5")))).build();

        assertThat(ObservationFigures.of(generation)).isEqualTo(new ObservationFigures(T0.plusSeconds(2),
                ObservationLevel.ERROR, 30L, 10L, 45L, new BigDecimal("0.5")));
    }

    @Test
    void aMissingTotalOfUnitsIsInputPlusOutputAndAMissingTotalCostTheSumOfItsParts() {
        Observation partial = span("gen-1").usage(new Usage(Map.of(Usage.INPUT, 7L, Usage.OUTPUT, 3L)))
                .cost(new Cost(Map.of(Usage.INPUT, new BigDecimal("0.1"), Usage.OUTPUT, new BigDecimal("0.2"))))
                .build();

        ObservationFigures figures = ObservationFigures.of(partial);

        assertThat(figures.totalTokens()).isEqualTo(10);
        assertThat(figures.totalCost()).isEqualByComparingTo("0.3");
    }

    @Test
    void anObservationWithoutUsageOrCostContributesNoUnitsAndNoCost() {
        ObservationFigures figures = ObservationFigures.of(span("obs-1").build());

        assertThat(figures.inputTokens()).isNull();
        assertThat(figures.outputTokens()).isNull();
        assertThat(figures.totalTokens()).isNull();
        assertThat(figures.totalCost()).isNull();
    }

    @ParameterizedTest
    @EnumSource(ObservationLevel.class)
    void anObservationIsAnErrorExactlyWhenItsLevelIsError(ObservationLevel level) {
        Observation observation = span("obs-1").level(level).build();

        assertThat(ObservationFigures.of(observation).isError())
                .isEqualTo(observation.isError())
                .isEqualTo(level == ObservationLevel.ERROR);
    }

    @Test
    void theFiguresOfObservationsAreWhatTheyContributeAddedUp() {
        List<Observation> observations = List.of(
                span("a").endTime(T0.plusSeconds(3)).usage(Usage.of(1, 2)).cost(Cost.of(BigDecimal.ONE,
                        BigDecimal.TEN)).build(),
                span("b").endTime(T0.plusSeconds(5)).level(ObservationLevel.ERROR).build(),
                span("c").usage(new Usage(Map.of(Usage.OUTPUT, 4L))).build());
        Accumulator accumulator = new Accumulator();
        observations.forEach(observation -> accumulator.add(ObservationFigures.of(observation)));

        assertThat(TraceStats.of(T0, observations)).isEqualTo(accumulator.stats(T0))
                .isEqualTo(new TraceStats(T0.plusSeconds(5), Duration.ofSeconds(5), 3, 1, 1, 6, 7,
                        new BigDecimal("11")));
    }

    @Test
    void aTraceWithoutObservationsHasZeroFiguresNoEndAndNoCost() {
        assertThat(new Accumulator().stats(T0)).isEqualTo(new TraceStats(null, null, 0, 0, 0, 0, 0, null));
    }

    @Test
    void latencyRunsFromTheStartGivenToTheLatestEnd() {
        Accumulator accumulator = new Accumulator()
                .add(new ObservationFigures(T0.plusSeconds(9), ObservationLevel.DEFAULT, null, null, null, null))
                .add(new ObservationFigures(T0.plusSeconds(4), ObservationLevel.DEFAULT, null, null, null, null))
                .add(new ObservationFigures(null, ObservationLevel.DEFAULT, null, null, null, null));

        assertThat(accumulator.stats(T0.plusSeconds(1)).latency()).isEqualTo(Duration.ofSeconds(8));
        assertThat(accumulator.stats(null).latency()).isNull();
    }
}
