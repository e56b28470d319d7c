package dev.loupe.model;

import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * Figures derived from a trace's observations: when it ended, how long it took, how many observations and errors it
 * has, and how many tokens it used at what cost.
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
        Instant end = null;
        int errors = 0;
        long input = 0;
        long output = 0;
        long total = 0;
        BigDecimal cost = null;
        for (Observation observation : observations) {
            if (observation.endTime() != null && (end == null || observation.endTime().isAfter(end))) {
                end = observation.endTime();
            }
            if (observation.isError()) {
                errors++;
            }
            Usage usage = observation.usage();
            if (usage != null) {
                input += orZero(usage.input());
                output += orZero(usage.output());
                total += orZero(usage.total());
            }
            if (observation.cost() != null && observation.cost().total() != null) {
                cost = cost == null ? observation.cost().total() : cost.add(observation.cost().total());
            }
        }
        return new TraceStats(end, latency(start, end), observations.size(), errors, input, output, total, cost);
    }

    /** Returns the time between start and end, or null when either is unknown. */
    public static Duration latency(Instant start, Instant end) {
        return start == null || end == null ? null : Duration.between(start, end);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
