package dev.loupe.model;

import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * Figures derived from a trace's observations: when it ended, how long it took, how many observations and errors it
 * has, and how many tokens it used at what cost.
 *
 * <p>The rules live in one place: each observation contributes its {@link ObservationFigures}, and an
 * {@link Accumulator} adds them up. A trace tree computes them from its observations; a store keeps each
 * observation's figures beside it and adds those up the same way, so the two can never disagree.
 *
 * @param endTime          the latest end of any observation, or null when none has ended
 * @param latency          from the trace's start to its latest observation end, or null when none has ended
 * @param observationCount how many observations the trace has
 * @param errorCount       how many of them have level ERROR
 * @param inputTokens      input units summed over all observations
 * @param outputTokens     output units summed over all observations
 * @param totalTokens      total units summed over all observations
 * @param totalCost        total cost in US dollars summed over all observations, or null when no cost is known
 */
public record TraceStats(
        Instant endTime,
        Duration latency,
        int observationCount,
        int errorCount,
        long inputTokens,
        long outputTokens,
        long totalTokens,
        BigDecimal totalCost) {

    /** Computes the figures of a trace that began at {@code start} from its observations. */
    public static TraceStats of(Instant start, Collection<Observation> observations) {
        Accumulator accumulator = new Accumulator();
        for (Observation observation : observations) {
            accumulator.add(ObservationFigures.of(observation));
        }
        return accumulator.stats(start);
    }

    /** Returns the time between start and end, or null when either is unknown. */
    public static Duration latency(Instant start, Instant end) {
        return start == null || end == null ? null : Duration.between(start, end);
    }

    /**
     * What one observation contributes to the figures of its trace. A store keeps these beside each observation, so
     * that it can add up a trace's figures without reading its observations whole.
     *
     * @param endTime      when the observation ended, or null while it is open
     * @param level        its level; {@link ObservationLevel#ERROR} marks it as failed
     * @param inputTokens  its input units, or null when not reported
     * @param outputTokens its output units, or null when not reported
     * @param totalTokens  its total units ({@link Usage#total()}: input plus output when no total was reported), or
     *                     null when no units were reported
     * @param totalCost    its total cost ({@link Cost#total()}: the sum of the parts when no total was given), or
     *                     null when no cost is known
     */
    public record ObservationFigures(
            Instant endTime,
            ObservationLevel level,
            Long inputTokens,
            Long outputTokens,
            Long totalTokens,
            BigDecimal totalCost) {

        /** Returns what this observation contributes to its trace's figures. */
        public static ObservationFigures of(Observation observation) {
            Usage usage = observation.usage();
            Cost cost = observation.cost();
            return new ObservationFigures(observation.endTime(), observation.level(),
                    usage == null ? null : usage.input(),
                    usage == null ? null : usage.output(),
                    usage == null ? null : usage.total(),
                    cost == null ? null : cost.total());
        }

        /** Returns whether the observation failed, as {@link Observation#isError()} says: it has level ERROR. */
        public boolean isError() {
            return level == ObservationLevel.ERROR;
        }
    }

    /**
     * Adds up the figures of one trace, one observation at a time: every observation counts once, failed ones count
     * as errors, units and cost are summed (a cost stays unknown until some observation has one), and the trace ends
     * with its latest observation end. Not safe for concurrent use.
     */
    public static final class Accumulator {
        private Instant endTime;
        private int observationCount;
        private int errorCount;
        private long inputTokens;
        private long outputTokens;
        private long totalTokens;
        private BigDecimal totalCost;

        /** Starts with the figures of a trace without observations. */
        public Accumulator() {
        }

        /** Adds what one observation contributes. */
        public Accumulator add(ObservationFigures observation) {
            observationCount++;
            if (observation.isError()) {
                errorCount++;
            }
            if (observation.endTime() != null && (endTime == null || observation.endTime().isAfter(endTime))) {
                endTime = observation.endTime();
            }
            inputTokens += orZero(observation.inputTokens());
            outputTokens += orZero(observation.outputTokens());
            totalTokens += orZero(observation.totalTokens());
            if (observation.totalCost() != null) {
                totalCost = totalCost == null ? observation.totalCost() : totalCost.add(observation.totalCost());
            }
            return this;
        }

        /** Returns the figures added so far, of a trace that began at {@code start}; latency runs from it. */
        public TraceStats stats(Instant start) {
            return new TraceStats(endTime, latency(start, endTime), observationCount, errorCount, inputTokens,
                    outputTokens, totalTokens, totalCost);
        }

        private static long orZero(Long value) {
            return value == null ? 0 : value;
        }
    }
}
