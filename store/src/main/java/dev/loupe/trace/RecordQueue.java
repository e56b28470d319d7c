package dev.loupe.trace;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The exporter's queue: bounded, many application threads put records in, one writer thread takes them out. Putting
 * in takes no lock (a lock shared with the writer was the largest cost of recording a trace), and flush markers pass
 * the bound so that a flush never waits for room. The writer parks when the queue is empty; a producer wakes it only
 * while it is parked.
 */
final class RecordQueue {

    /** How long a producer waiting for room sleeps between tries. */
    private static final long RETRY_NANOS = 50_000;

    private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();
    /** Records in the queue, markers not counted. */
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;
    /** The writer while it is parked; the first producer to see it takes it and unparks it, the others need not. */
    private final AtomicReference<Thread> parkedConsumer = new AtomicReference<>();

    RecordQueue(int capacity) {
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    int size() {
        return size.get();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    /** Puts a record in if there is room; never waits. */
    boolean offer(Object record) {
        // A read first: when the queue is full, failing needs no write to the counter the writer also updates.
        if (size.get() >= capacity) {
            return false;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        items.offer(record);
        wakeConsumer();
        return true;
    }

    /** Puts a record in, waiting at most the timeout for room; gives up early when the thread is interrupted. */
    boolean offer(Object record, long timeoutNanos) {
        if (offer(record)) {
            return true;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        while (!Thread.currentThread().isInterrupted()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(this, Math.min(left, RETRY_NANOS));
            if (offer(record)) {
                return true;
            }
        }
        return false;
    }

    /** Puts a marker in; markers do not count against the bound. */
    void offerMarker(Object marker) {
        items.offer(marker);
        wakeConsumer();
    }

    /** Takes a record out again, when nobody else took it yet. */
    boolean remove(Object record) {
        if (items.remove(record)) {
            size.decrementAndGet();
            return true;
        }
        return false;
    }

    /**
     * Takes up to {@code max} items into the list, waiting at most {@code waitNanos} for the first; returns how many
     * it took. For the one writer thread only.
     */
    int drain(List<Object> into, int max, long waitNanos, Class<?> markerType) {
        Object first = items.poll();
        if (first == null) {
            parkedConsumer.set(Thread.currentThread());
            try {
                first = items.poll();
                if (first == null) {
                    LockSupport.parkNanos(this, waitNanos);
                    first = items.poll();
                }
            } finally {
                parkedConsumer.set(null);
            }
            if (first == null) {
                return 0;
            }
        }
        int records = 0;
        int taken = 0;
        for (Object item = first; item != null; item = taken < max ? items.poll() : null) {
            into.add(item);
            taken++;
            if (!markerType.isInstance(item)) {
                records++;
            }
        }
        size.addAndGet(-records);
        return taken;
    }

    private void wakeConsumer() {
        Thread consumer = parkedConsumer.get();
        if (consumer != null && parkedConsumer.compareAndSet(consumer, null)) {
            LockSupport.unpark(consumer);
        }
    }
}
