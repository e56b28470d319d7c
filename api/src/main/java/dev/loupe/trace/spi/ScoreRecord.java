package dev.loupe.trace.spi;

import java.time.Instant;

/**
 * A score as a source hands it to the engine: a judgement of a trace, of one of its observations, or of a session.
 *
 * @param id            the score id
 * @param traceId       the trace judged, or null for a score of a session alone
 * @param observationId the observation judged, or null for the whole trace or session
 * @param sessionId     the session judged, or null
 * @param name          what is judged, such as {@code helpfulness}
 * @param value         a {@link Double} (numeric), a {@link Boolean} or a {@link String} (categorical)
 * @param comment       why it was given, or null
 * @param timestamp     when it was given
 */
public record ScoreRecord(
        String id,
        String traceId,
        String observationId,
        String sessionId,
        String name,
        Object value,
        String comment,
        Instant timestamp) implements PipelineRecord {
}
