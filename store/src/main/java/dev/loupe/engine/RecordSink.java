package dev.loupe.engine;

import dev.loupe.model.TraceBatch;

/**
 * Where the engine's writer puts records: the local trace store, and any sink added with
 * {@link TracerBuilder#sink(RecordSink)}, such as the OTLP export of {@code loupe-opentelemetry}. The writer calls a
 * sink from its one thread, with batches of read-model records that are upserts by id (a record may be an update of
 * one written before: null fields change nothing).
 *
 * <p>The first sink (the store, or the first sink added when the tracer has no store) decides what counts as exported
 * and what listeners see. Every other sink runs alongside it: it receives the records the first one took, and when it
 * throws, the failure is logged and counted as an internal error without touching the store or the listeners. A sink
 * that talks to a network should not make the writer wait for it: keep a bounded queue and a thread of its own, count
 * what it drops, and wait for its queue only in {@link #sync()}.
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

    /**
     * Makes everything written so far durable, or sent; called on the writer thread for {@code flush()}, which
     * reports false when this throws. It should wait a bounded time.
     */
    default void sync() {
    }

    /** Releases what the sink holds; called once when the tracer closes (the tracer owns the sinks it writes to). */
    @Override
    default void close() {
    }

    /** Returns where the sink writes, for messages. */
    String describe();
}
