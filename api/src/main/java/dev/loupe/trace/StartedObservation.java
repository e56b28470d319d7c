package dev.loupe.trace;

import java.time.Instant;

/**
 * An observation that has just started, as {@link ExportListener#onStart} sees it.
 *
 * @param traceId             the trace it belongs to
 * @param observationId       its id
 * @param parentObservationId the observation it is nested in, or null at the top of its trace
 * @param type                its type
 * @param name                its name
 * @param startTime           when it started
 * @param context             the context current where it started (before it became current itself), with the
 *                            values carried by {@link ContextKey}s
 */
public record StartedObservation(
        String traceId,
        String observationId,
        String parentObservationId,
        ObservationType type,
        String name,
        Instant startTime,
        TraceContext context) {

    /** Returns whether this observation begins a new trace. */
    public boolean isTraceRoot() {
        return parentObservationId == null;
    }
}
