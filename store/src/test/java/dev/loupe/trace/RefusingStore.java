package dev.loupe.trace;

import dev.loupe.model.TraceBatch;
import dev.loupe.store.TraceStore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A store that refuses the batches a predicate picks, as a full disk or a bad record would; it writes the rest. */
final class RefusingStore extends ForwardingStore {

    private final Predicate<TraceBatch> refuse;
    private volatile boolean accepting;
    private final AtomicInteger refused = new AtomicInteger();

    private RefusingStore(TraceStore delegate, Predicate<TraceBatch> refuse) {
        super(delegate);
        this.refuse = refuse;
    }

    /** A store that refuses every write. */
    static RefusingStore everything(TraceStore delegate) {
        return new RefusingStore(delegate, batch -> true);
    }

    /** A store that refuses every batch holding an observation with this name. */
    static RefusingStore observationsNamed(String name, TraceStore delegate) {
        return new RefusingStore(delegate,
                batch -> batch.observations().stream().anyMatch(observation -> name.equals(observation.name())));
    }

    /** Stops refusing: from now on every write is stored, as when the disk has room again. */
    void accept() {
        accepting = true;
    }

    /** Returns how many writes were refused. */
    int refused() {
        return refused.get();
    }

    @Override
    public void write(TraceBatch batch) {
        if (!accepting && refuse.test(batch)) {
            refused.incrementAndGet();
            throw new IllegalStateException("No space left on device (simulated)");
        }
        super.write(batch);
    }
}
