package dev.loupe.engine;

import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * The exporter's queue: bounded, many application threads put records in, one writer thread takes them out. It is a
 * ring of slots: a producer claims a slot with one compare-and-set and writes the record into it, without a lock or
 * an allocation (a lock shared with the writer was the largest cost of recording a trace). Flush markers may use a
 * few slots beyond the bound, so that a flush does not wait behind a full queue of records. The writer parks when the
 * queue is empty; the first producer to see it parked wakes it.
 *
 * <p>What the producers write (the index they claim slots by) and what the consumer writes (the index it reads at,
 * the bytes it took out) sit on cache lines of their own, and so does the parked consumer that every producer looks
 * at: sharing a line with a counter the other side writes made each record a cache miss on the application thread.
 *
 * <p>The queue is bounded twice: in records, and in the estimated bytes of the records it holds, so that large
 * payloads cannot fill the heap before the record count is reached. A record larger than the byte bound still gets in
 * when the queue holds nothing else, so that no record is too large to be recorded at all.
 */
final class RecordQueue {

    /** Slots beyond the bound that only markers may use. */
    private static final int MARKER_SLACK = 64;
    /** How long an idle consumer keeps looking for records before it parks until a producer wakes it. */
    private static final long POLL_NANOS = 2_000_000;
    /** How long an idle consumer sleeps between looks. */
    private static final long POLL_INTERVAL_NANOS = 100_000;
    /** How long a producer waiting for room sleeps between tries. */
    private static final long RETRY_NANOS = 50_000;

    private final int capacity;
    private final long maxBytes;
    private final ToLongFunction<Object> sizer;
    /** Elements left free on each side of a padded value: 128 bytes of longs, two cache lines. */
    private static final int PAD = 16;
    /** In {@link #producerSide}: the next slot a producer claims. */
    private static final int PRODUCER_INDEX = PAD;
    /**
     * In {@link #producerSide}: the consumer's index as producers last read it, never ahead of the real one, so the
     * bound still holds.
     */
    private static final int KNOWN_CONSUMER_INDEX = PAD + 1;
    /** In {@link #producerSide}: the bytes taken out as producers last read them, never more than the real ones. */
    private static final int KNOWN_BYTES_OUT = PAD + 2;
    /** In {@link #consumerSide}: the next slot the consumer reads. */
    private static final int CONSUMER_INDEX = PAD;
    /** In {@link #consumerSide}: the estimated bytes the consumer took out. */
    private static final int BYTES_OUT = PAD + 1;

    /** Estimated bytes put in by producers, striped so that they do not fight over one memory location. */
    private final LongAdder bytesIn = new LongAdder();
    private final AtomicReferenceArray<Object> slots;
    private final int mask;
    /** What producers write, padded; see the indexes above. */
    private final AtomicLongArray producerSide = new AtomicLongArray(2 * PAD + 3);
    /** What the consumer writes, padded; see the indexes above. */
    private final AtomicLongArray consumerSide = new AtomicLongArray(2 * PAD + 2);
    /**
     * At {@link #PARKED}, padded: the writer while it is parked; the first producer to see it takes it and unparks
     * it, the others need not.
     */
    private final AtomicReferenceArray<Thread> parkedConsumer = new AtomicReferenceArray<>(4 * PAD + 1);
    /** The index of the parked consumer: references may be four bytes, so twice the pad in elements. */
    private static final int PARKED = 2 * PAD;

    RecordQueue(int capacity) {
        this(capacity, Long.MAX_VALUE, item -> 0);
    }

    /** Creates a queue of at most {@code capacity} records and about {@code maxBytes} bytes, as the sizer counts. */
    RecordQueue(int capacity, long maxBytes, ToLongFunction<Object> sizer) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.sizer = sizer;
        int length = Integer.highestOneBit(Math.max(2, capacity + MARKER_SLACK - 1)) << 1;
        this.slots = new AtomicReferenceArray<>(length);
        this.mask = length - 1;
    }

    int capacity() {
        return capacity;
    }

    /** Returns how many items (records and markers) are in the queue. */
    int size() {
        return (int) Math.max(0, producerSide.get(PRODUCER_INDEX) - consumerSide.get(CONSUMER_INDEX));
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** Returns the estimated bytes of the records in the queue. */
    long bytes() {
        return Math.max(0, bytesIn.sum() - consumerSide.get(BYTES_OUT));
    }

    long maxBytes() {
        return maxBytes;
    }

    /** Puts a record in if there is room; never waits. */
    boolean offer(Object record) {
        return tryOffer(record, sizer.applyAsLong(record));
    }

    private boolean tryOffer(Object record, long bytes) {
        if (bytes > 0 && maxBytes != Long.MAX_VALUE) {
            // As with the index: the bytes taken out are read again only when the ones last read say it is full.
            long held = bytesIn.sum() - producerSide.get(KNOWN_BYTES_OUT);
            if (held > 0 && held + bytes > maxBytes) {
                long out = consumerSide.get(BYTES_OUT);
                producerSide.lazySet(KNOWN_BYTES_OUT, out);
                held = bytesIn.sum() - out;
                if (held > 0 && held + bytes > maxBytes) {
                    return false;
                }
            }
        }
        return offer(record, capacity, bytes);
    }

    private boolean offer(Object item, int limit, long bytes) {
        long index;
        do {
            index = producerSide.get(PRODUCER_INDEX);
            // The consumer's index is read only when the one last read says the queue may be full: reading it
            // for every record made producers and the consumer fight over its cache line.
            if (index - producerSide.get(KNOWN_CONSUMER_INDEX) >= limit) {
                long consumed = consumerSide.get(CONSUMER_INDEX);
                producerSide.lazySet(KNOWN_CONSUMER_INDEX, consumed);
                if (index - consumed >= limit) {
                    return false;
                }
            }
        } while (!producerSide.compareAndSet(PRODUCER_INDEX, index, index + 1));
        if (bytes > 0) {
            // Before the item is visible: the consumer takes the bytes off when it takes the item.
            bytesIn.add(bytes);
        }
        slots.lazySet((int) (index & mask), item);
        wakeConsumer();
        return true;
    }

    /** Puts a record in, waiting at most the timeout for room; gives up early when the thread is interrupted. */
    boolean offer(Object record, long timeoutNanos) {
        long bytes = sizer.applyAsLong(record);
        if (tryOffer(record, bytes)) {
            return true;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        while (!Thread.currentThread().isInterrupted()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(this, Math.min(left, RETRY_NANOS));
            if (tryOffer(record, bytes)) {
                return true;
            }
        }
        return false;
    }

    /** Puts a marker in, using the slack beyond the bound; waits only when even that is full. */
    void offerMarker(Object marker) {
        while (!offer(marker, slots.length(), 0)) {
            LockSupport.parkNanos(this, RETRY_NANOS);
        }
    }

    /**
     * Takes up to {@code max} items into the list, waiting at most {@code waitNanos} for the first; returns how many
     * it took. For one consumer at a time.
     */
    int drain(List<Object> into, int max, long waitNanos) {
        return drain(into, max, Long.MAX_VALUE, waitNanos);
    }

    /**
     * Takes up to {@code max} items, and stops once it took {@code maxBytes} (at least one item is taken), waiting at
     * most {@code waitNanos} for the first; returns how many it took. For one consumer at a time.
     */
    int drain(List<Object> into, int max, long maxBytes, long waitNanos) {
        if (size() == 0 && waitNanos > 0) {
            // Look again a few times before asking producers to wake it: waking a parked thread is a system call on
            // the producer's thread, and a writer that keeps up finds the queue empty between most records.
            long pollUntil = System.nanoTime() + Math.min(waitNanos, POLL_NANOS);
            while (size() == 0 && System.nanoTime() - pollUntil < 0) {
                LockSupport.parkNanos(this, POLL_INTERVAL_NANOS);
            }
        }
        if (size() == 0 && waitNanos > 0) {
            parkedConsumer.set(PARKED, Thread.currentThread());
            try {
                if (size() == 0) {
                    LockSupport.parkNanos(this, waitNanos);
                }
            } finally {
                parkedConsumer.set(PARKED, null);
            }
        }
        long index = consumerSide.get(CONSUMER_INDEX);
        int taken = 0;
        long takenBytes = 0;
        // Read once: the producers' index changes with every record, and items put in meanwhile wait for next time.
        long available = producerSide.get(PRODUCER_INDEX);
        while (taken < max && takenBytes < maxBytes && index < available) {
            int slot = (int) (index & mask);
            Object item = slots.get(slot);
            if (item == null) {
                // The producer claimed the slot but has not written it yet: it is about to.
                Thread.onSpinWait();
                continue;
            }
            slots.lazySet(slot, null);
            into.add(item);
            takenBytes += sizer.applyAsLong(item);
            taken++;
            index++;
            if ((taken & 255) == 0) {
                consumerSide.lazySet(CONSUMER_INDEX, index); // room for producers as the drain goes, not every item
            }
        }
        consumerSide.lazySet(CONSUMER_INDEX, index);
        if (takenBytes > 0) {
            // the one consumer writes it
            consumerSide.set(BYTES_OUT, consumerSide.get(BYTES_OUT) + takenBytes);
        }
        return taken;
    }

    private void wakeConsumer() {
        Thread consumer = parkedConsumer.get(PARKED);
        if (consumer != null && parkedConsumer.compareAndSet(PARKED, consumer, null)) {
            LockSupport.unpark(consumer);
        }
    }
}
