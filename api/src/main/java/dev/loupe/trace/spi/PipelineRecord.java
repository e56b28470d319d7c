package dev.loupe.trace.spi;

/**
 * A record on its way into the engine's pipeline: a trace, an observation or a score, each an upsert by id. A later
 * record for the same id merges into the earlier one with Langfuse's rules (the later non-null value of each field
 * wins; metadata is merged key by key; tags are united; ids, the trace an observation belongs to and start times stay
 * as first written). Every source produces these records: the tracer, and adapters that capture other frameworks.
 */
public sealed interface PipelineRecord permits TraceRecord, ObservationRecord, ScoreRecord {

    /** Returns the id of the trace this record belongs to, or null for a score of a session alone. */
    String traceId();
}
