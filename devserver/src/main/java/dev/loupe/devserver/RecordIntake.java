package dev.loupe.devserver;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ExporterStats;
import dev.loupe.trace.Tracer;
import dev.loupe.trace.spi.PipelineRecord;
import java.time.Duration;
import java.util.Collection;

/**
 * Where records that arrive over HTTP (Langfuse's ingestion API, OTLP) enter Loupe's one record pipeline: the same
 * engine, merge rules and store writes as the tracer's own records, into the store the devserver serves.
 */
final class RecordIntake implements AutoCloseable {

    /** How long a request waits for its records to be written before it is answered. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final Tracer tracer;

    private RecordIntake(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Returns an intake writing into this store, which it does not close. */
    static RecordIntake into(TraceStore store) {
        return new RecordIntake(TracerBuilder.create()
                .store(store)
                .retainForever()
                .shutdownHook(false)
                // A request waits for a full queue rather than losing what its client was told was accepted.
                .offerTimeout(WRITE_TIMEOUT)
                .build());
    }

    /**
     * Hands these records to the pipeline and waits until they are written, so that a client reading right after its
     * write sees it.
     *
     * @return what happened to them: how many the pipeline dropped or failed to write while they were queued
     */
    Outcome write(Collection<? extends PipelineRecord> records) {
        ExporterStats before = tracer.stats();
        records.forEach(tracer::record);
        boolean written = tracer.flush(WRITE_TIMEOUT);
        ExporterStats after = tracer.stats();
        return new Outcome(written, after.dropped() - before.dropped(), after.failed() - before.failed());
    }

    /** Writes what is queued and stops the pipeline; the store stays open. */
    @Override
    public void close() {
        tracer.close();
    }

    /**
     * What became of records handed to {@link #write}. Counts are the pipeline's over the same time, so with
     * concurrent writers they may include another request's records: a caller treats a non-zero count as a failure of
     * its own.
     *
     * @param written whether everything queued was written before the timeout
     * @param dropped records dropped because the queue stayed full
     * @param failed  records the store refused
     */
    record Outcome(boolean written, long dropped, long failed) {

        /** Returns whether every record was written. */
        boolean complete() {
            return written && dropped == 0 && failed == 0;
        }
    }
}
