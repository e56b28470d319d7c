package dev.loupe.trace.spi;

import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.time.Instant;
import java.util.Map;

/**
 * An observation as a source hands it to the engine. Payloads (input, output, metadata values, model parameters) are
 * captured values that the engine serializes on its own thread: whatever {@link Engine#capture} returned, or a
 * {@link JsonPayload} for a document that is JSON already. Null fields change nothing in a stored observation.
 *
 * @param id                  the observation id
 * @param traceId             the trace it belongs to
 * @param parentObservationId the observation it is nested in, or null at the top of the trace
 * @param type                what kind of work it records, or null for {@link ObservationType#SPAN}
 * @param name                its name
 * @param startTime           when it began
 * @param endTime             when it ended, or null while open
 * @param completionStartTime for model calls, when the first token arrived, or null
 * @param input               the captured input, or null
 * @param output              the captured output, or null
 * @param metadata            captured metadata values by key; empty when none
 * @param level               its level, or null for {@link ObservationLevel#DEFAULT}
 * @param statusMessage       what went wrong or what else to know about the outcome, or null
 * @param version             the version of the traced code, or null
 * @param model               for model calls, the model name, or null
 * @param modelParameters     for model calls, the captured parameters, or null
 * @param usage               for model calls, the units consumed, or null
 * @param cost                for model calls, the cost the source knows, or null to let the engine price the usage
 * @param promptName          the prompt template's name, or null
 * @param promptVersion       the prompt template's version, or null
 */
public record ObservationRecord(
        String id,
        String traceId,
        String parentObservationId,
        ObservationType type,
        String name,
        Instant startTime,
        Instant endTime,
        Instant completionStartTime,
        Object input,
        Object output,
        Map<String, Object> metadata,
        ObservationLevel level,
        String statusMessage,
        String version,
        String model,
        Object modelParameters,
        Usage usage,
        Cost cost,
        String promptName,
        Integer promptVersion) implements PipelineRecord {

    /** Replaces missing metadata with an empty map. */
    public ObservationRecord {
        metadata = metadata == null ? Map.of() : metadata;
    }
}
