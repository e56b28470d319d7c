package dev.loupe.engine;

import dev.loupe.model.TraceBatch;
import dev.loupe.store.StoreUnavailableException;
import dev.loupe.store.TraceStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The trace store as the engine's sink: batches are upserted, flushes made durable. */
final class StoreSink implements RecordSink {

    private static final Logger LOG = LoggerFactory.getLogger(StoreSink.class);

    private final TraceStore store;
    private final boolean owned;
    /** How long an owned store keeps traces, applied when it closes; null for forever. */
    private final Duration retention;
    private final Clock clock;

    StoreSink(TraceStore store, boolean owned, Duration retention, Clock clock) {
        this.store = store;
        this.owned = owned;
        this.retention = retention;
        this.clock = clock;
    }

    TraceStore store() {
        return store;
    }

    @Override
    public void write(TraceBatch batch) {
        try {
            store.write(batch);
        } catch (StoreUnavailableException unreachable) {
            throw new SinkUnavailableException(unreachable.getMessage(), unreachable);
        }
    }

    @Override
    public void sync() {
        store.sync();
    }

    @Override
    public void close() {
        if (owned) {
            if (retention != null) {
                // At close, so that opening the store costs nothing; the compaction that may follow returns the
                // space to the file system.
                try {
                    long deleted = store.pruneOlderThan(clock.instant().minus(retention));
                    if (deleted > 0) {
                        LOG.info("Loupe deleted {} traces older than {} from {}", deleted, retention,
                                store.location());
                    }
                } catch (RuntimeException failure) {
                    LOG.warn("Loupe could not delete traces older than {} from {}: {}", retention, store.location(),
                            failure.toString());
                }
            }
            store.close();
        }
    }

    @Override
    public String describe() {
        return "the store at " + store.location();
    }
}
