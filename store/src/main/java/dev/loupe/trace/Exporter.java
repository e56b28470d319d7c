package dev.loupe.trace;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.store.TraceStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes ended observations, trace records and scores from application threads and writes them in batches on one
 * writer thread: serialization, cost calculation and SQL happen there, never on the application thread.
 *
 * <p>The queue is bounded. When it is full, an application thread waits at most the offer timeout, then the record
 * is dropped, counted and logged: tracing slows an application down by a bounded amount and never runs it out of
 * memory.
 */
final class Exporter {

    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RecordQueue queue;
    private final long offerTimeoutNanos;
    private final int maxBatchSize;
    private final TraceStore store;
    private final int maxPayloadChars;
    private final ModelPrices prices;
    private final List<ExportListener> listeners = new CopyOnWriteArrayList<>();
    private final Thread writer;
    private volatile boolean closing;

    private final LongAdder enqueued = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final LongAdder listenerFailures = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();
    private final AtomicLong nextDropLog = new AtomicLong(System.nanoTime());
    private final AtomicLong droppedSinceLog = new AtomicLong();

    Exporter(TraceStore store, int capacity, Duration offerTimeout, int maxBatchSize, int maxPayloadChars,
            ModelPrices prices, List<ExportListener> initialListeners) {
        this.store = store;
        this.queue = new RecordQueue(capacity);
        this.offerTimeoutNanos = offerTimeout.toNanos();
        this.maxBatchSize = maxBatchSize;
        this.maxPayloadChars = maxPayloadChars;
        this.prices = prices;
        this.listeners.addAll(initialListeners);
        this.writer = new Thread(this::run, "loupe-exporter");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    void addListener(ExportListener listener) {
        listeners.add(listener);
    }

    void removeListener(ExportListener listener) {
        listeners.remove(listener);
    }

    boolean hasListeners() {
        return !listeners.isEmpty();
    }

    void started(StartedObservation observation) {
        for (ExportListener listener : listeners) {
            try {
                listener.onStart(observation);
            } catch (RuntimeException | Error failure) {
                listenerFailed(listener, failure);
            }
        }
    }

    /** Hands a record to the writer; never throws, and waits at most the offer timeout. */
    void enqueue(Object record) {
        if (closing) {
            drop("the tracer is closed");
            return;
        }
        boolean accepted = offerTimeoutNanos > 0 ? queue.offer(record, offerTimeoutNanos) : queue.offer(record);
        if (accepted) {
            enqueued.increment();
            if (closing && !writer.isAlive()) {
                // close() ran between the check above and the offer, and the writer is gone: nobody will write it
                dropLeftovers();
            }
        } else {
            drop(null);
        }
    }

    /** Counts a dropped record and logs at most every 10 s; the reason is null for a full queue. */
    private void drop(String reason) {
        dropped.increment();
        // The clock is read for the first drop and every 4096th: a full queue drops millions of records a second.
        if ((droppedSinceLog.incrementAndGet() & 4095) != 1) {
            return;
        }
        long now = System.nanoTime();
        long next = nextDropLog.get();
        if (now - next >= 0 && nextDropLog.compareAndSet(next, now + DROP_LOG_INTERVAL_NANOS)) {
            // Built only when logged: a full queue drops millions of records a second.
            String why = reason != null ? reason : "the export queue (capacity " + capacity() + ") stayed full for "
                    + TimeUnit.NANOSECONDS.toMillis(offerTimeoutNanos) + " ms; raise loupe.queue.capacity or "
                    + "loupe.queue.offerTimeoutMillis, or record less";
            LOG.warn("Loupe dropped {} trace records because {} ({} dropped in all)",
                    droppedSinceLog.getAndSet(0), why, dropped.sum());
        }
    }

    void internalError(String what, Throwable failure) {
        internalErrors.increment();
        LOG.error("Loupe failed while {}; the application goes on and the failure is counted", what, failure);
    }

    private void listenerFailed(ExportListener listener, Throwable failure) {
        listenerFailures.increment();
        LOG.error("Loupe export listener {} failed; the failure is counted and ignored", listener, failure);
    }

    /**
     * Waits until everything enqueued before this call is written. Returns false when that took longer than the
     * timeout, or when called from a listener on the writer thread (which would wait for itself).
     */
    boolean flush(Duration timeout) {
        if (Thread.currentThread() == writer || !writer.isAlive()) {
            return queue.isEmpty() && Thread.currentThread() != writer;
        }
        FlushMarker marker = new FlushMarker();
        queue.offerMarker(marker);
        try {
            return marker.done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops accepting records, writes what is queued (waiting at most the timeout), and stops the writer. */
    boolean close(Duration timeout) {
        boolean flushed = flush(timeout);
        closing = true;
        queue.offerMarker(new FlushMarker());
        try {
            writer.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!writer.isAlive()) {
            dropLeftovers();
        }
        ExporterStats stats = stats();
        if (stats.lost() > 0 || !flushed) {
            LOG.warn("Loupe closed with {} records lost ({} dropped, {} failed) and {} still queued",
                    stats.lost(), stats.dropped(), stats.failed(), stats.queued());
        }
        return flushed;
    }

    /**
     * Counts records that came in while the writer stopped as dropped: they will never be written. The writer is
     * gone, so this is the queue's one consumer; the lock keeps it one when close() and a late producer both call.
     */
    private synchronized void dropLeftovers() {
        List<Object> left = new ArrayList<>();
        while (queue.drain(left, Integer.MAX_VALUE, 0) > 0) {
            // take everything
        }
        for (Object record : left) {
            if (record instanceof FlushMarker marker) {
                marker.done.countDown();
            } else {
                enqueued.decrement();
                drop("the tracer is closed");
            }
        }
    }

    ExporterStats stats() {
        return new ExporterStats(enqueued.sum(), exported.get(), dropped.sum(), failed.get(), listenerFailures.sum(),
                internalErrors.sum(), queue.size(), capacity());
    }

    private int capacity() {
        return queue.capacity();
    }

    private void run() {
        List<Object> items = new ArrayList<>(maxBatchSize);
        while (true) {
            try {
                if (queue.drain(items, maxBatchSize, TimeUnit.MILLISECONDS.toNanos(200)) == 0) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                process(items);
            } catch (RuntimeException | Error unexpected) {
                internalError("exporting a batch", unexpected);
            } finally {
                items.clear();
            }
            if (closing && queue.isEmpty()) {
                return;
            }
        }
    }

    private void process(List<Object> items) {
        List<Trace> traces = new ArrayList<>();
        List<Observation> observations = new ArrayList<>();
        List<Score> scores = new ArrayList<>();
        List<FlushMarker> markers = new ArrayList<>();
        for (Object item : items) {
            try {
                if (item instanceof PendingObservation observation) {
                    observations.add(observation.toObservation(maxPayloadChars, prices));
                } else if (item instanceof PendingTrace trace) {
                    traces.add(trace.toTrace(maxPayloadChars));
                } else if (item instanceof Score score) {
                    scores.add(score);
                } else if (item instanceof FlushMarker marker) {
                    markers.add(marker);
                }
            } catch (RuntimeException invalid) {
                failed.incrementAndGet();
                LOG.error("Loupe could not export {}: {}", item, invalid.getMessage(), invalid);
            }
        }
        TraceBatch batch = new TraceBatch(traces, observations, scores);
        try {
            if (!batch.isEmpty()) {
                TraceBatch written = write(batch);
                if (!written.isEmpty()) {
                    for (ExportListener listener : listeners) {
                        try {
                            listener.onExport(written);
                        } catch (RuntimeException | Error failure) {
                            listenerFailed(listener, failure);
                        }
                    }
                }
            }
            if (!markers.isEmpty() && store != null) {
                // flush() promises durability: what it confirms must survive the process being killed
                store.sync();
            }
        } catch (RuntimeException | Error failure) {
            internalError("making written records durable", failure);
        } finally {
            // whatever happened to the batch, a flush waiting for it must not wait for its timeout
            markers.forEach(marker -> marker.done.countDown());
        }
    }

    /**
     * Writes the batch; when the store refuses it, writes its records one by one so that one bad record does not
     * cost the others. Returns what was written.
     */
    private TraceBatch write(TraceBatch batch) {
        if (store == null) {
            exported.addAndGet(batch.size());
            return batch;
        }
        try {
            store.write(batch);
            exported.addAndGet(batch.size());
            return batch;
        } catch (RuntimeException | Error batchFailure) {
            if (batch.size() == 1) {
                failed.incrementAndGet();
                LOG.error("Loupe could not store a record; it is lost: {}", batchFailure.getMessage(), batchFailure);
                return new TraceBatch(List.of(), List.of(), List.of());
            }
            LOG.warn("Loupe could not store a batch of {} records ({}); writing them one by one",
                    batch.size(), batchFailure.getMessage());
        }
        List<Trace> traces = new ArrayList<>();
        List<Observation> observations = new ArrayList<>();
        List<Score> scores = new ArrayList<>();
        for (Trace trace : batch.traces()) {
            if (writeOne(new TraceBatch(List.of(trace), List.of(), List.of()), "trace " + trace.id())) {
                traces.add(trace);
            }
        }
        for (Observation observation : batch.observations()) {
            if (writeOne(TraceBatch.ofObservations(List.of(observation)), "observation " + observation.id())) {
                observations.add(observation);
            }
        }
        for (Score score : batch.scores()) {
            if (writeOne(new TraceBatch(List.of(), List.of(), List.of(score)), "score " + score.id())) {
                scores.add(score);
            }
        }
        return new TraceBatch(traces, observations, scores);
    }

    private boolean writeOne(TraceBatch single, String what) {
        try {
            store.write(single);
            exported.incrementAndGet();
            return true;
        } catch (RuntimeException | Error failure) {
            failed.incrementAndGet();
            LOG.error("Loupe could not store {}; it is lost: {}", what, failure.getMessage(), failure);
            return false;
        }
    }

    /** Put in the queue by flush(); counted down once everything before it is written. */
    private static final class FlushMarker {
        final CountDownLatch done = new CountDownLatch(1);
    }
}
