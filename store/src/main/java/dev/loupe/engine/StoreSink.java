package dev.loupe.engine;

import dev.loupe.model.TraceBatch;
import dev.loupe.store.StoreUnavailableException;
import dev.loupe.store.TraceStore;

/** The trace store as the engine's sink: batches are upserted, flushes made durable. */
final class StoreSink implements RecordSink {

    private final TraceStore store;
    private final boolean owned;

    StoreSink(TraceStore store, boolean owned) {
        this.store = store;
        this.owned = owned;
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
            store.close();
        }
    }

    @Override
    public String describe() {
        return "the store at " + store.location();
    }
}
