package dev.loupe.engine;

import dev.loupe.internal.Json;
import dev.loupe.internal.ShutdownHooks;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ExporterStats;
import dev.loupe.trace.StartedObservation;
import dev.loupe.trace.TraceContext;
import dev.loupe.trace.Tracer;
import dev.loupe.trace.spi.Engine;
import dev.loupe.trace.spi.ObservationRecord;
import dev.loupe.trace.spi.PipelineRecord;
import dev.loupe.trace.spi.ScoreRecord;
import dev.loupe.trace.spi.TraceRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loupe's engine: takes the pipeline's records (ended observations, trace records, scores) from application threads
 * and writes them in batches to its sinks on one writer thread. Serialization, cost calculation and SQL happen there,
 * never on the application thread.
 *
 * <p>The queue is bounded. When it is full, an application thread waits at most the offer timeout, then the record
 * is dropped, counted and logged: tracing slows an application down by a bounded amount and never runs it out of
 * memory.
 */
public final class Exporter implements Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final RecordQueue queue;
    private final long offerTimeoutNanos;
    private final int maxBatchSize;
    private final long maxBatchBytes;
    private final List<RecordSink> sinks;
    private final int maxPayloadChars;
    private final ReadModelRecords conversion;
    private final List<ExportListener> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final String release;
    private final String environment;
    private final Runnable shutdownHook;
    private final Thread writer;
    private volatile boolean closing;
    /**
     * When the writer last took records from the queue (or found it empty): a producer that finds the queue full
     * waits for room only while the writer has moved within the offer timeout, so a stuck writer cannot hold every
     * application thread up for the whole timeout, record after record.
     */
    private volatile long writerMovedNanos = System.nanoTime();
    /** Failures counted when the last flush marker was reached: a flush reports the failures since then. */
    private long failedAtLastMarker;

    private final LongAdder enqueued = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final LongAdder listenerFailures = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();
    private final AtomicLong nextDropLog = new AtomicLong(System.nanoTime());
    private final AtomicLong droppedSinceLog = new AtomicLong();

    Exporter(TracerBuilder settings, List<RecordSink> sinks) {
        this.sinks = List.copyOf(sinks);
        this.queue = new RecordQueue(settings.queueCapacity, settings.queueMaxBytes, RecordSizes::of);
        this.maxBatchBytes = settings.maxBatchBytes;
        this.offerTimeoutNanos = settings.offerTimeout.toNanos();
        this.maxBatchSize = settings.maxBatchSize;
        this.maxPayloadChars = settings.maxPayloadChars;
        this.conversion = new ReadModelRecords(settings.maxPayloadChars, settings.modelPrices);
        this.listeners.addAll(settings.listeners);
        this.clock = settings.clock;
        this.release = settings.release;
        this.environment = settings.environment;
        this.writer = new Thread(this::run, "loupe-exporter");
        this.writer.setDaemon(true);
        this.writer.start();
        this.shutdownHook = settings.shutdownHook ? ShutdownHooks.register(this::shutDown) : null;
    }

    /** Returns the engine behind this tracer when it is Loupe's exporter. */
    public static Optional<Exporter> of(Tracer tracer) {
        return tracer != null && tracer.engine() instanceof Exporter exporter ? Optional.of(exporter)
                : Optional.empty();
    }

    /** Returns the store this engine writes to, or null when it writes to listeners (or other sinks) only. */
    public TraceStore store() {
        for (RecordSink sink : sinks) {
            if (sink instanceof StoreSink storeSink) {
                return storeSink.store();
            }
        }
        return null;
    }

    /**
     * Returns the sinks this engine writes to: the store's first when it has one, then those added with
     * {@link TracerBuilder#sink}.
     */
    public List<RecordSink> sinks() {
        return sinks;
    }

    /** Adds a listener that sees observations start and records being exported. */
    public void addListener(ExportListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added before. */
    public void removeListener(ExportListener listener) {
        listeners.remove(listener);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String release() {
        return release;
    }

    @Override
    public String environment() {
        return environment;
    }

    @Override
    public boolean observesStarts() {
        return !listeners.isEmpty() || GlobalListeners.any();
    }

    @Override
    public void started(StartedObservation observation) {
        notifyListeners(listener -> listener.onStart(observation));
    }

    /**
     * Calls every listener, this engine's and the JVM's; a listener that throws is logged and counted, and the others
     * are still called.
     */
    private void notifyListeners(Consumer<ExportListener> call) {
        notifyEach(listeners, call);
        notifyEach(GlobalListeners.all(), call);
    }

    private void notifyEach(List<ExportListener> group, Consumer<ExportListener> call) {
        for (ExportListener listener : group) {
            try {
                call.accept(listener);
            } catch (RuntimeException | Error failure) {
                listenerFailed(listener, failure);
            }
        }
    }

    @Override
    public Object capture(Object payload) {
        return Json.capture(payload, maxPayloadChars);
    }

    @Override
    public void accept(PipelineRecord record) {
        if (record instanceof ScoreRecord score && score.traceId() == null && observesStarts()) {
            TraceContext context = TraceContext.current();
            notifyListeners(listener -> listener.onSessionScore(score.id(), context));
        }
        enqueue(record);
    }

    @Override
    public void close() {
        if (shutdownHook != null) {
            ShutdownHooks.unregister(shutdownHook);
        }
        shutDown();
    }

    private void shutDown() {
        if (closing) {
            return;
        }
        close(CLOSE_TIMEOUT);
        for (RecordSink sink : sinks) {
            try {
                sink.close();
            } catch (RuntimeException failure) {
                LOG.error("Loupe could not close {}", sink.describe(), failure);
            }
        }
    }

    /** Hands a record to the writer; never throws, and waits at most the offer timeout. */
    void enqueue(PipelineRecord record) {
        if (closing) {
            drop("the tracer is closed");
            return;
        }
        boolean accepted = queue.offer(record);
        if (!accepted && offerTimeoutNanos > 0 && System.nanoTime() - writerMovedNanos < offerTimeoutNanos) {
            accepted = queue.offer(record, offerTimeoutNanos);
        }
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

    @Override
    public void internalError(String what, Throwable failure) {
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
    @Override
    public boolean flush(Duration timeout) {
        if (Thread.currentThread() == writer || !writer.isAlive()) {
            return queue.isEmpty() && Thread.currentThread() != writer;
        }
        FlushMarker marker = new FlushMarker();
        queue.offerMarker(marker);
        try {
            return marker.done.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && marker.allWritten;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops accepting records, writes what is queued (waiting at most the timeout), and stops the writer. */
    private boolean close(Duration timeout) {
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

    @Override
    public ExporterStats stats() {
        return new ExporterStats(enqueued.sum(), exported.get(), dropped.sum(), failed.get(), listenerFailures.sum(),
                internalErrors.sum(), queue.size(), capacity());
    }

    private int capacity() {
        return queue.capacity();
    }

    private void run() {
        List<Object> items = new ArrayList<>(Math.min(maxBatchSize, 4_096));
        while (true) {
            try {
                int taken = queue.drain(items, maxBatchSize, maxBatchBytes, TimeUnit.MILLISECONDS.toNanos(200));
                writerMovedNanos = System.nanoTime();
                if (taken == 0) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                process(items);
            } catch (Throwable unexpected) {
                // process() accounts for its records and markers itself; this is the last line of defence, so that
                // the writer thread never dies of an Error (an OutOfMemoryError included) while records wait.
                countLost(items, unexpected);
            } finally {
                items.clear();
            }
            if (closing && queue.isEmpty()) {
                return;
            }
        }
    }

    /** Counts the records of a batch that could not be processed at all as failed, and releases its markers. */
    private void countLost(List<Object> items, Throwable failure) {
        try {
            long records = items.stream().filter(item -> !(item instanceof FlushMarker)).count();
            failed.addAndGet(records);
            for (Object item : items) {
                if (item instanceof FlushMarker marker) {
                    marker.allWritten = false;
                    marker.done.countDown();
                }
            }
            internalError("exporting a batch of " + records + " records, which are lost", failure);
        } catch (Throwable ignored) {
            // even logging failed (out of memory): the counts above are what can be kept
        }
    }

    /**
     * Converts and writes a batch. Every record ends up counted exactly once, as exported or as failed, whatever
     * happens; a flush marker completes once the records before it are accounted for.
     */
    private void process(List<Object> items) {
        int start = 0;
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof FlushMarker marker) {
                boolean durable = processRecords(items.subList(start, i), true);
                long failedNow = failed.get();
                marker.allWritten = durable && failedNow == failedAtLastMarker;
                failedAtLastMarker = failedNow;
                marker.done.countDown();
                start = i + 1;
            }
        }
        if (start < items.size()) {
            processRecords(items.subList(start, items.size()), false);
        }
    }

    /** Converts and writes records, then, if asked, makes them durable; returns false when that failed. */
    private boolean processRecords(List<Object> items, boolean sync) {
        List<Trace> traces = new ArrayList<>();
        List<Observation> observations = new ArrayList<>();
        List<Score> scores = new ArrayList<>();
        long accounted = exported.get() + failed.get();
        int records = 0;
        try {
            for (Object item : items) {
                if (!(item instanceof PipelineRecord)) {
                    continue;
                }
                records++;
                try {
                    if (item instanceof ObservationRecord observation) {
                        observations.add(conversion.observation(observation));
                    } else if (item instanceof TraceRecord trace) {
                        traces.add(conversion.trace(trace));
                    } else if (item instanceof ScoreRecord score) {
                        scores.add(conversion.score(score));
                    }
                } catch (RuntimeException invalid) {
                    failed.incrementAndGet();
                    LOG.error("Loupe could not export {}: {}", item, invalid.getMessage(), invalid);
                }
            }
            TraceBatch batch = new TraceBatch(traces, observations, scores);
            if (!batch.isEmpty()) {
                TraceBatch written = write(batch);
                if (!written.isEmpty()) {
                    notifyListeners(listener -> listener.onExport(written));
                }
            }
        } catch (RuntimeException | Error failure) {
            // Whatever was not yet counted of this batch is lost: count it, so that nothing goes missing unseen.
            long missing = records - (exported.get() + failed.get() - accounted);
            if (missing > 0) {
                failed.addAndGet(missing);
            }
            internalError("exporting a batch of " + records + " records (" + Math.max(0, missing) + " lost)", failure);
        }
        boolean durable = true;
        if (sync) {
            // flush() promises durability: what it confirms must survive the process being killed
            for (RecordSink sink : sinks) {
                try {
                    sink.sync();
                } catch (RuntimeException | Error failure) {
                    internalError("making written records durable in " + sink.describe(), failure);
                    durable = false;
                }
            }
        }
        return durable;
    }

    /**
     * Writes the batch to the first sink and returns the records it took; when it refuses the batch, its records are
     * written one by one, so that one bad record does not cost the others. The other sinks then get what the first
     * took; their failures are logged and counted as internal errors, and change neither the counts nor what
     * listeners see.
     */
    private TraceBatch write(TraceBatch batch) {
        TraceBatch written = sinks.isEmpty() ? batch : write(sinks.get(0), batch);
        exported.addAndGet(written.size());
        failed.addAndGet(batch.size() - written.size());
        for (int i = 1; i < sinks.size() && !written.isEmpty(); i++) {
            RecordSink sink = sinks.get(i);
            try {
                sink.write(written);
            } catch (RuntimeException | Error failure) {
                internalError("writing " + written.size() + " records to " + sink.describe(), failure);
            }
        }
        return written;
    }

    private TraceBatch write(RecordSink sink, TraceBatch batch) {
        if (batch.isEmpty()) {
            return batch;
        }
        try {
            sink.write(batch);
            return batch;
        } catch (SinkUnavailableException unavailable) {
            LOG.error("Loupe could not write {} records to {}; they are lost: {}", batch.size(), sink.describe(),
                    unavailable.getMessage(), unavailable);
            return new TraceBatch(List.of(), List.of(), List.of());
        } catch (RuntimeException | Error batchFailure) {
            if (batch.size() == 1) {
                LOG.error("Loupe could not write a record to {}; it is lost: {}", sink.describe(),
                        batchFailure.getMessage(), batchFailure);
                return new TraceBatch(List.of(), List.of(), List.of());
            }
            LOG.warn("Loupe could not write a batch of {} records to {} ({}); writing them one by one",
                    batch.size(), sink.describe(), batchFailure.getMessage());
        }
        List<Trace> traces = new ArrayList<>();
        List<Observation> observations = new ArrayList<>();
        List<Score> scores = new ArrayList<>();
        for (Trace trace : batch.traces()) {
            if (writeOne(sink, new TraceBatch(List.of(trace), List.of(), List.of()), "trace " + trace.id())) {
                traces.add(trace);
            }
        }
        for (Observation observation : batch.observations()) {
            if (writeOne(sink, TraceBatch.ofObservations(List.of(observation)), "observation " + observation.id())) {
                observations.add(observation);
            }
        }
        for (Score score : batch.scores()) {
            if (writeOne(sink, new TraceBatch(List.of(), List.of(), List.of(score)), "score " + score.id())) {
                scores.add(score);
            }
        }
        return new TraceBatch(traces, observations, scores);
    }

    private static boolean writeOne(RecordSink sink, TraceBatch single, String what) {
        try {
            sink.write(single);
            return true;
        } catch (RuntimeException | Error failure) {
            LOG.error("Loupe could not write {} to {}; it is lost: {}", what, sink.describe(), failure.getMessage(),
                    failure);
            return false;
        }
    }

    /** Put in the queue by flush(); counted down once everything before it is written. */
    private static final class FlushMarker {
        final CountDownLatch done = new CountDownLatch(1);
        /** Whether no record failed since the previous marker; written before {@code done} is counted down. */
        volatile boolean allWritten = true;
    }
}
