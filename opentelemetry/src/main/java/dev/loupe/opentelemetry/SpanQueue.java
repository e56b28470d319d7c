package dev.loupe.opentelemetry;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries ended spans from the application's threads to one mapping thread, so that mapping their attributes (JSON
 * included) costs the application no more than putting a span in a bounded queue, as the tracer's own records do.
 * A span that finds the queue full is dropped, counted and logged (at most every 10 seconds).
 */
final class SpanQueue {

    private static final Logger LOG = LoggerFactory.getLogger(SpanQueue.class);
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Spans taken from the mapping thread's queue at once, so that the queue's lock is taken once per batch. */
    private static final int BATCH = 256;

    private final BlockingQueue<Object> queue;
    private final int capacity;
    /**
     * Spans in the queue, read without the queue's lock: when the queue is full, a span is dropped without waiting
     * for the lock the mapping thread holds while it takes spans out.
     */
    private final AtomicInteger queued = new AtomicInteger();
    private final Consumer<SpanData> mapping;
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong nextDropLog = new AtomicLong(System.nanoTime());
    private volatile Thread thread;
    private volatile boolean stopped;

    SpanQueue(int capacity, Consumer<SpanData> mapping) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.mapping = mapping;
    }

    /** Queues an ended span; drops and counts it when the queue is full or stopped. */
    void offer(SpanData span) {
        if (thread == null) {
            start();
        }
        if (stopped || queued.get() >= capacity || !queue.offer(span)) {
            dropped.increment();
            long now = System.nanoTime();
            long next = nextDropLog.get();
            if (now - next >= 0 && nextDropLog.compareAndSet(next, now + DROP_LOG_INTERVAL_NANOS)) {
                LOG.warn("Loupe dropped OpenTelemetry spans because its span queue (capacity {}) was full{} "
                        + "({} dropped in all); the spans end faster than they can be mapped", capacity,
                        stopped ? " or the processor was shut down" : "", dropped.sum());
            }
            return;
        }
        queued.incrementAndGet();
    }

    /** Returns how many spans were dropped. */
    long dropped() {
        return dropped.sum();
    }

    /** Waits at most the timeout until every span queued before this call is mapped and handed to the tracer. */
    boolean flush(Duration timeout) {
        if (thread == null || Thread.currentThread() == thread) {
            return queue.isEmpty();
        }
        Marker marker = new Marker();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            return queue.offer(marker, timeout.toNanos(), TimeUnit.NANOSECONDS)
                    && marker.done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Maps what is queued (waiting at most the timeout) and stops the thread; later spans are dropped. */
    boolean shutdown(Duration timeout) {
        boolean flushed = flush(timeout);
        stopped = true;
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
        return flushed;
    }

    private synchronized void start() {
        if (thread != null) {
            return;
        }
        Thread started = new Thread(this::run, "loupe-opentelemetry-spans");
        started.setDaemon(true);
        started.start();
        thread = started;
    }

    private void run() {
        List<Object> batch = new ArrayList<>(BATCH);
        while (!stopped) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException interrupted) {
                if (stopped) {
                    return;
                }
                continue;
            }
            queue.drainTo(batch, BATCH - 1);
            for (Object item : batch) {
                if (item instanceof Marker marker) {
                    marker.done.countDown();
                    continue;
                }
                queued.decrementAndGet();
                try {
                    mapping.accept((SpanData) item);
                } catch (RuntimeException | Error failure) {
                    // the mapping counts its own failures; this keeps the thread alive whatever happens
                    LOG.error("Loupe failed to map an OpenTelemetry span; it is lost", failure);
                }
            }
            batch.clear();
        }
    }

    /** Put in the queue by {@link #flush}; counted down once everything before it is mapped. */
    private static final class Marker {
        final CountDownLatch done = new CountDownLatch(1);
    }
}
