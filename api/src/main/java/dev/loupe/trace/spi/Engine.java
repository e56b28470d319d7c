package dev.loupe.trace.spi;

import dev.loupe.trace.ExporterStats;
import dev.loupe.trace.StartedObservation;
import java.time.Clock;
import java.time.Duration;

/**
 * The engine behind an enabled {@link dev.loupe.trace.Tracer}: it takes the records the tracer and other sources
 * produce and carries them to its sinks. The API holds no engine of its own; {@code loupe-store} provides one, found
 * through {@link EngineProvider}.
 *
 * <p>Every method is called on application threads and must never throw into them, and {@link #accept} must cost no
 * more than putting the record in a bounded queue.
 */
public interface Engine {

    /** Hands a record to the pipeline; counts it as dropped when it cannot be taken. */
    void accept(PipelineRecord record);

    /** Returns whether {@link #started} wants to hear of observations as they start; false spares the call. */
    boolean observesStarts();

    /** Called on the application thread when an observation starts. */
    void started(StartedObservation observation);

    /**
     * Captures a payload as it is now, so that later changes to the object do not change the trace: immutable values
     * may be kept as they are, others are serialized at once. Never throws.
     */
    Object capture(Object payload);

    /** Logs and counts a failure inside Loupe; the application goes on. */
    void internalError(String what, Throwable failure);

    /** Returns what the engine has done so far. */
    ExporterStats stats();

    /** Waits at most the timeout until every record accepted before this call has reached the sinks. */
    boolean flush(Duration timeout);

    /** Writes what is queued, stops, and releases what the engine opened. */
    void close();

    /** Returns the clock that timestamps observations. */
    default Clock clock() {
        return Clock.systemUTC();
    }

    /** Returns the release recorded on every new trace, or null. */
    default String release() {
        return null;
    }

    /** Returns the environment recorded on every new trace, or null. */
    default String environment() {
        return null;
    }
}
