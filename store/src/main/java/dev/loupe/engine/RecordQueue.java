package dev.loupe.engine;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The exporter's queue: bounded, many application threads put records in, one writer thread takes them out. It is a
 * ring of slots: a producer claims a slot with one compare-and-set and writes the record into it, without a lock or
 * an allocation (a lock shared with the writer was the largest cost of recording a trace). Flush markers may use a
 * few slots beyond the bound, so that a flush does not wait behind a full queue of records. The writer parks when the
 * queue is empty; the first producer to see it parked wakes it.
 */
final class RecordQueue {

    /** Slots beyond the bound that only markers may use. */
    private static final int MARKER_SLACK = 64;
    /** How long a producer waiting for room sleeps between tries. */
    private static final long RETRY_NANOS = 50_000;

    private final int capacity;
    private final AtomicReferenceArray<Object> slots;
    private final int mask;
    /** The next slot a producer claims. */
    private final AtomicLong producerIndex = new AtomicLong();
    /** The next slot the consumer reads; written by the consumer only. */
    private final AtomicLong consumerIndex = new AtomicLong();
    /** The writer while it is parked; the first producer to see it takes it and unparks it, the others need not. */
    private final AtomicReference<Thread> parkedConsumer = new AtomicReference<>();

    RecordQueue(int capacity) {
        this.capacity = capacity;
        int length = Integer.highestOneBit(Math.max(2, capacity + MARKER_SLACK - 1)) << 1;
        this.slots = new AtomicReferenceArray<>(length);
        this.mask = length - 1;
    }

    int capacity() {
        return capacity;
    }

    /** Returns how many items (records and markers) are in the queue. */
    int size() {
        return (int) Math.max(0, producerIndex.get() - consumerIndex.get());
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** Puts a record in if there is room; never waits. */
    boolean offer(Object record) {
        return offer(record, capacity);
    }

    private boolean offer(Object item, int limit) {
        long index;
        do {
            index = producerIndex.get();
            if (index - consumerIndex.get() >= limit) {
                return false;
            }
        } while (!producerIndex.compareAndSet(index, index + 1));
        slots.lazySet((int) (index & mask), item);
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

    /** Puts a marker in, using the slack beyond the bound; waits only when even that is full. */
    void offerMarker(Object marker) {
        while (!offer(marker, slots.length())) {
            LockSupport.parkNanos(this, RETRY_NANOS);
        }
    }

    /**
     * Takes up to {@code max} items into the list, waiting at most {@code waitNanos} for the first; returns how many
     * it took. For one consumer at a time.
     */
    int drain(List<Object> into, int max, long waitNanos) {
        if (size() == 0 && waitNanos > 0) {
            parkedConsumer.set(Thread.currentThread());
            try {
                if (size() == 0) {
                    LockSupport.parkNanos(this, waitNanos);
                }
            } finally {
                parkedConsumer.set(null);
            }
        }
        long index = consumerIndex.get();
        int taken = 0;
        while (taken < max && index < producerIndex.get()) {
            int slot = (int) (index & mask);
            Object item = slots.get(slot);
            if (item == null) {
                // The producer claimed the slot but has not written it yet: it is about to.
                Thread.onSpinWait();
                continue;
            }
            slots.lazySet(slot, null);
            into.add(item);
            taken++;
            index++;
            consumerIndex.lazySet(index);
        }
        return taken;
    }

    private void wakeConsumer() {
        Thread consumer = parkedConsumer.get();
        if (consumer != null && parkedConsumer.compareAndSet(consumer, null)) {
            LockSupport.unpark(consumer);
        }
    }
}
