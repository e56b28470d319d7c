package dev.loupe.trace.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A trace's own attributes as a source hands them to the engine; payloads are captured values as in
 * {@link ObservationRecord}. Null fields change nothing in a stored trace; tags are added to the stored ones.
 *
 * @param id          the trace id
 * @param name        its name, or null
 * @param timestamp   when it began, or null
 * @param input       the captured input, or null
 * @param output      the captured output, or null
 * @param userId      the user it ran for, or null
 * @param sessionId   the session (conversation) it belongs to, or null
 * @param metadata    captured metadata values by key; empty when none
 * @param tags        its tags; empty when none
 * @param release     the application's release, or null
 * @param version     the traced code's version, or null
 * @param environment the environment, such as {@code production}, or null
 */
public record TraceRecord(
        String id,
        String name,
        Instant timestamp,
        Object input,
        Object output,
        String userId,
        String sessionId,
        Map<String, Object> metadata,
        List<String> tags,
        String release,
        String version,
        String environment) implements PipelineRecord {

    /** Replaces missing metadata and tags with empty ones. */
    public TraceRecord {
        metadata = metadata == null ? Map.of() : metadata;
        tags = tags == null ? List.of() : tags;
    }

    /** Returns the trace id. */
    @Override
    public String traceId() {
        return id;
    }
}
