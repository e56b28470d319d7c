package dev.loupe.engine;

import dev.loupe.trace.spi.JsonPayload;
import dev.loupe.trace.spi.ObservationRecord;
import dev.loupe.trace.spi.ScoreRecord;
import dev.loupe.trace.spi.TraceRecord;
import java.util.Collection;
import java.util.Map;

/**
 * Estimates the heap a queued record holds, so that the queue can be bounded in bytes. The estimate errs on the large
 * side (two bytes per character, as for text beyond Latin-1) and looks into collections only a few levels and
 * elements deep: it runs on the application's thread for every record.
 */
final class RecordSizes {

    /** A record's own fields, ids and timestamps. */
    static final long RECORD_BYTES = 400;
    private static final long VALUE_BYTES = 24;
    private static final int MAX_DEPTH = 2;
    private static final int MAX_ELEMENTS = 32;

    private RecordSizes() {
    }

    /** Returns the estimated bytes of a pipeline record; zero for anything else (flush markers). */
    static long of(Object item) {
        if (item instanceof ObservationRecord observation) {
            long bytes = RECORD_BYTES + payload(observation.input(), 0) + payload(observation.output(), 0)
                    + payload(observation.modelParameters(), 0);
            Map<String, Object> metadata = observation.metadata();
            return metadata.isEmpty() ? bytes : bytes + payload(metadata, 0);
        }
        if (item instanceof TraceRecord trace) {
            long bytes = RECORD_BYTES + payload(trace.input(), 0) + payload(trace.output(), 0);
            return trace.metadata().isEmpty() ? bytes : bytes + payload(trace.metadata(), 0);
        }
        if (item instanceof ScoreRecord score) {
            return RECORD_BYTES + payload(score.comment(), 0);
        }
        return 0;
    }

    private static long payload(Object value, int depth) {
        if (value == null) {
            return 0;
        }
        if (value instanceof CharSequence text) {
            return VALUE_BYTES + 2L * text.length();
        }
        if (value instanceof JsonPayload json) {
            return 2 * VALUE_BYTES + 2L * json.json().length();
        }
        if (depth >= MAX_DEPTH) {
            return VALUE_BYTES;
        }
        if (value instanceof Collection<?> values) {
            return VALUE_BYTES + elements(values, values.size(), depth);
        }
        if (value instanceof Map<?, ?> entries) {
            long bytes = VALUE_BYTES + 2L * VALUE_BYTES * entries.size();
            int seen = 0;
            for (Map.Entry<?, ?> entry : entries.entrySet()) {
                if (++seen > MAX_ELEMENTS) {
                    // the rest are counted at the average size of the ones seen
                    return bytes + (bytes / MAX_ELEMENTS) * (entries.size() - MAX_ELEMENTS);
                }
                bytes += payload(entry.getKey(), depth + 1) + payload(entry.getValue(), depth + 1);
            }
            return bytes;
        }
        return VALUE_BYTES;
    }

    private static long elements(Iterable<?> values, int size, int depth) {
        long bytes = 8L * size;
        int seen = 0;
        for (Object element : values) {
            if (++seen > MAX_ELEMENTS) {
                return bytes + (bytes / MAX_ELEMENTS) * (size - MAX_ELEMENTS);
            }
            bytes += payload(element, depth + 1);
        }
        return bytes;
    }
}
