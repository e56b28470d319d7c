package dev.loupe.engine;

import dev.loupe.model.TraceBatch;
import dev.loupe.trace.StartedObservation;
import dev.loupe.trace.TraceContext;

/**
 * Observes what a tracer records: each observation as it starts, and each batch of records once the exporter has
 * written it (or, without a store, once it has serialized it). The JUnit extension captures tests' traces this way.
 *
 * <p>Listeners must be quick and must not block: {@link #onStart} runs on the application's thread,
 * {@link #onExport} on the exporter's. An exception thrown by a listener is logged and counted, never passed on.
 */
public interface ExportListener {

    /** Called on the application thread when an observation starts. */
    default void onStart(StartedObservation observation) {
    }

    /**
     * Called on the application thread when a score of a session alone (a score without a trace) is recorded, with
     * the context current there: such a score has no trace to tell where it came from.
     */
    default void onSessionScore(String scoreId, TraceContext context) {
    }

    /** Called on the exporter thread with records that were just written; the same record may come again, updated. */
    default void onExport(TraceBatch batch) {
    }
}
