package dev.loupe.opentelemetry.export;

import dev.loupe.model.Observation;
import dev.loupe.model.Trace;

/**
 * Estimates what a record costs in memory while it waits to be exported (two bytes a character, and a fixed part for
 * the rest), so that the export's queue is bounded in bytes as well as in records.
 */
final class RecordBytes {

    private static final long FIXED = 256;

    private RecordBytes() {
    }

    static long of(Observation observation) {
        return FIXED + 2L * (length(observation.name()) + length(observation.input()) + length(observation.output())
                + length(observation.metadata()) + length(observation.modelParameters())
                + length(observation.statusMessage()) + length(observation.model()) + length(observation.id())
                + length(observation.traceId()));
    }

    static long of(Trace trace) {
        long tags = 0;
        for (String tag : trace.tags()) {
            tags += length(tag);
        }
        return FIXED + 2L * (length(trace.name()) + length(trace.input()) + length(trace.output())
                + length(trace.metadata()) + length(trace.userId()) + length(trace.sessionId()) + length(trace.id())
                + tags);
    }

    private static long length(String text) {
        return text == null ? 0 : text.length();
    }
}
