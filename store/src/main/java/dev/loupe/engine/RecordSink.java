package dev.loupe.engine;

import dev.loupe.model.TraceBatch;

/**
 * Where the engine's writer puts records: the H2 trace store, and next an OTLP exporter. The writer calls a sink from
 * its one thread, with batches of read-model records that are upserts by id.
 */
public interface RecordSink extends AutoCloseable {

    /**
     * Writes a batch, all or nothing.
     *
     * @throws SinkUnavailableException when the sink cannot take any record now; the batch counts as failed
     * @throws RuntimeException          when the sink refuses the batch; the writer then writes its records one by
     *                                   one, so that one bad record does not cost the others
     */
    void write(TraceBatch batch);

    /** Makes everything written so far durable; called for {@code flush()}. */
    default void sync() {
    }

    /** Releases what the sink holds; called once when the engine stops, if the engine owns the sink. */
    @Override
    default void close() {
    }

    /** Returns where the sink writes, for messages. */
    String describe();
}
