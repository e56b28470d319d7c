package dev.loupe.trace;

import static java.util.concurrent.TimeUnit.SECONDS;

import dev.loupe.model.TraceBatch;
import dev.loupe.store.TraceStore;
import java.util.concurrent.CountDownLatch;

/**
 * A store whose writes wait until the test releases it, as a slow disk or a locked database would. Every wait is
 * bounded, so a test that forgets to release cannot hang the build.
 */
final class BlockingStore extends ForwardingStore {

    private static final long MAX_BLOCK_SECONDS = 30;

    private final CountDownLatch writing = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    BlockingStore(TraceStore delegate) {
        super(delegate);
    }

    /** Waits until the exporter is inside a write, held up by this store; returns false after 10 seconds. */
    boolean awaitBlockedWrite() throws InterruptedException {
        return writing.await(10, SECONDS);
    }

    /** Lets every write, waiting or future, go through. */
    void release() {
        released.countDown();
    }

    @Override
    public void write(TraceBatch batch) {
        writing.countDown();
        try {
            if (!released.await(MAX_BLOCK_SECONDS, SECONDS)) {
                throw new IllegalStateException("BlockingStore was never released");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while blocked", interrupted);
        }
        super.write(batch);
    }
}
