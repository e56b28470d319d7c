package dev.loupe.opentelemetry.export;

import dev.loupe.model.Observation;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export's own thread: joins completed observations with their trace's attributes, batches them as OTLP spans and
 * sends them. Everything but the inbox and the counters belongs to this thread alone.
 *
 * <p>An OTLP span cannot be changed once sent, while Loupe's records are upserts. So a span leaves once its
 * observation has ended, and, to carry the trace's attributes, once its trace record has come (the tracer sends it
 * when the root ends, after the children) or after {@code traceWait}, or at a flush or close, whichever is first.
 * Pieces of an observation that has not ended are merged until it ends. A record for an observation already sent,
 * and scores, have no place in OTLP: they are counted as skipped.
 */
final class ExportLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ExportLoop.class);
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How many traces' attributes are kept for observations that end after their trace record came. */
    private static final int KNOWN_TRACES = 4_096;
    /** How many sent observation ids are remembered, to recognise (and skip) later pieces of them. */
    private static final int SENT_IDS = 16_384;

    private final OtlpExport.Settings settings;
    private final OtlpHttpSender sender;
    private final Resource resource;
    private final InstrumentationScope scope;
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;

    // Bounds over everything waiting: the inbox, observations held for their trace, spans ready to go.
    final AtomicLong pendingRecords = new AtomicLong();
    final AtomicLong pendingBytes = new AtomicLong();

    final LongAdder exported = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder retries;
    final LongAdder requests = new LongAdder();
    private final AtomicLong nextDropLog = new AtomicLong(System.nanoTime());
    private final AtomicLong droppedSinceLog = new AtomicLong();
    private volatile boolean closed;

    // Owned by the thread.
    private final Map<String, Held> unfinished = new LinkedHashMap<>();
    private final LinkedHashMap<String, List<Held>> waitingForTrace = new LinkedHashMap<>();
    private final ArrayDeque<Ready> ready = new ArrayDeque<>();
    private long readySince;
    private final LinkedHashMap<String, Trace> knownTraces = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Trace> eldest) {
            return size() > KNOWN_TRACES;
        }
    };
    private final LinkedHashMap<String, Boolean> sentIds = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SENT_IDS;
        }
    };
    private long droppedAtLastFlush;

    /** An observation waiting, with its estimated size and when it started waiting. */
    private record Held(Observation observation, long bytes, long sinceNanos) {
    }

    /** A span ready to go, with the size it was counted at. */
    private record Ready(Span span, long bytes) {
    }

    /** Asks the thread to send everything and answer whether all of it went since the last flush. */
    private record Flush(CompletableFuture<Boolean> done, long deadlineNanos, boolean close) {
    }

    ExportLoop(OtlpExport.Settings settings, LongAdder retries) {
        this.settings = settings;
        this.retries = retries;
        this.sender = new OtlpHttpSender(settings.endpoint(), settings.headers(), settings.gzip(), settings.timeout(),
                settings.maxAttempts(), settings.initialBackoff(), settings.maxBackoff(), retries);
        this.resource = SpanResources.resource(settings.serviceName());
        this.scope = SpanResources.scope();
        this.thread = new Thread(this::run, "loupe-otlp-export");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Takes a batch from the engine's writer without waiting; what does not fit the bounds is dropped and counted. */
    void offer(TraceBatch batch) {
        if (!batch.scores().isEmpty()) {
            skipped.add(batch.scores().size());
        }
        int records = batch.traces().size() + batch.observations().size();
        if (records == 0) {
            return;
        }
        if (closed) {
            drop(batch.observations().size(), "the export is closed");
            return;
        }
        long bytes = 0;
        for (Trace trace : batch.traces()) {
            bytes += RecordBytes.of(trace);
        }
        for (Observation observation : batch.observations()) {
            bytes += RecordBytes.of(observation);
        }
        if (pendingRecords.get() + records > settings.maxQueueSize()
                || pendingBytes.get() + bytes > settings.maxQueueBytes()) {
            drop(batch.observations().size(), null);
            return;
        }
        pendingRecords.addAndGet(records);
        pendingBytes.addAndGet(bytes);
        inbox.add(batch);
    }

    /**
     * Sends everything that waits (observations held for their trace go with what is known of it) and returns whether
     * all of it went and nothing was dropped since the last flush, waiting at most the timeout.
     */
    boolean flush(long timeoutNanos) {
        return awaitFlush(new Flush(new CompletableFuture<>(), System.nanoTime() + timeoutNanos, false),
                timeoutNanos);
    }

    /** Sends what waits, waiting at most the timeout, then stops the thread; what is left is dropped and counted. */
    void close(long timeoutNanos) {
        if (closed) {
            return;
        }
        closed = true;
        awaitFlush(new Flush(new CompletableFuture<>(), System.nanoTime() + timeoutNanos, true), timeoutNanos);
        try {
            thread.join(TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + 1_000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }

    private boolean awaitFlush(Flush flush, long timeoutNanos) {
        if (!thread.isAlive()) {
            return false;
        }
        inbox.add(flush);
        try {
            // a little longer than the thread's own deadline, so that its answer, not this wait, decides
            return flush.done().get(timeoutNanos + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception timedOut) {
            return false;
        }
    }

    int queued() {
        return (int) Math.min(Integer.MAX_VALUE, pendingRecords.get());
    }

    private void run() {
        while (true) {
            Object item;
            try {
                item = inbox.poll(nextWakeNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException interrupted) {
                if (closed) {
                    dropEverything("the export was stopped before it could send them");
                    return;
                }
                continue;
            }
            try {
                if (item instanceof TraceBatch batch) {
                    absorb(batch);
                } else if (item instanceof Flush flush) {
                    boolean all = sendEverything(flush.deadlineNanos(), flush.close());
                    long droppedNow = dropped.sum();
                    boolean nothingLost = droppedNow == droppedAtLastFlush;
                    droppedAtLastFlush = droppedNow;
                    flush.done().complete(all && nothingLost);
                    if (flush.close()) {
                        return;
                    }
                }
                long now = System.nanoTime();
                releaseWaitedTooLong(now);
                while (ready.size() >= settings.maxBatchSize()
                        || !ready.isEmpty() && now - readySince >= settings.scheduleDelay().toNanos()) {
                    if (!sendOne(Long.MAX_VALUE, false)) {
                        break;
                    }
                    now = System.nanoTime();
                }
            } catch (RuntimeException | Error unexpected) {
                // the last line of defence: this thread must not die while spans wait
                LOG.error("Loupe's OTLP export failed unexpectedly; it goes on", unexpected);
            }
        }
    }

    /** How long to wait for the inbox: until the oldest ready span is due, or a held one waited long enough. */
    private long nextWakeNanos() {
        long wait = TimeUnit.SECONDS.toNanos(1);
        long now = System.nanoTime();
        if (!ready.isEmpty()) {
            wait = Math.min(wait, readySince + settings.scheduleDelay().toNanos() - now);
        }
        if (!waitingForTrace.isEmpty()) {
            Held oldest = waitingForTrace.values().iterator().next().get(0);
            wait = Math.min(wait, oldest.sinceNanos() + settings.traceWait().toNanos() - now);
        }
        return Math.max(wait, TimeUnit.MILLISECONDS.toNanos(1));
    }

    private void absorb(TraceBatch batch) {
        long now = System.nanoTime();
        for (Trace trace : batch.traces()) {
            pendingRecords.decrementAndGet();
            pendingBytes.addAndGet(-RecordBytes.of(trace));
            Trace known = knownTraces.get(trace.id());
            Trace merged = known == null ? trace : known.mergedWith(trace);
            List<Held> waiting = waitingForTrace.remove(trace.id());
            if (waiting != null) {
                for (Held held : waiting) {
                    makeReady(held, merged, now);
                }
            }
            // kept without input and output: only a late root span would need them, and they can be large
            knownTraces.put(trace.id(), merged.toBuilder().input(null).output(null).build());
        }
        for (Observation piece : batch.observations()) {
            long bytes = RecordBytes.of(piece);
            if (sentIds.containsKey(piece.id())) {
                release(1, bytes);
                skipped.increment();
                continue;
            }
            Held earlier = unfinished.remove(piece.id());
            Held held = earlier == null ? new Held(piece, bytes, now)
                    : new Held(earlier.observation().mergedWith(piece), earlier.bytes() + bytes, earlier.sinceNanos());
            if (earlier != null) {
                pendingRecords.decrementAndGet(); // two pieces became one
            }
            if (held.observation().endTime() == null) {
                unfinished.put(piece.id(), held);
                continue;
            }
            Trace trace = knownTraces.get(piece.traceId());
            if (trace != null) {
                makeReady(held, trace, now);
            } else {
                waitingForTrace.computeIfAbsent(piece.traceId(), id -> new ArrayList<>()).add(held);
            }
        }
    }

    private void releaseWaitedTooLong(long now) {
        long wait = settings.traceWait().toNanos();
        for (Iterator<List<Held>> traces = waitingForTrace.values().iterator(); traces.hasNext(); ) {
            List<Held> waiting = traces.next();
            if (now - waiting.get(0).sinceNanos() < wait) {
                break; // in order of arrival: the others waited less
            }
            traces.remove();
            for (Held held : waiting) {
                makeReady(held, null, now);
            }
        }
    }

    private void makeReady(Held held, Trace trace, long now) {
        Span span;
        try {
            span = SpanEncoder.encode(held.observation(), trace);
        } catch (RuntimeException invalid) {
            release(1, held.bytes());
            drop(1, "observation " + held.observation().id() + " could not be encoded: " + invalid.getMessage());
            return;
        }
        sentIds.put(held.observation().id(), Boolean.TRUE);
        if (ready.isEmpty()) {
            readySince = now;
        }
        ready.add(new Ready(span, held.bytes()));
    }

    /**
     * Sends every span that waits; returns whether all went before the deadline. The inbox is in order, so every
     * batch written before the flush was asked for has been absorbed already.
     */
    private boolean sendEverything(long deadlineNanos, boolean closing) {
        long now = System.nanoTime();
        for (List<Held> waiting : waitingForTrace.values()) {
            for (Held held : waiting) {
                makeReady(held, knownTraces.get(held.observation().traceId()), now);
            }
        }
        waitingForTrace.clear();
        if (closing && !unfinished.isEmpty()) {
            long bytes = unfinished.values().stream().mapToLong(Held::bytes).sum();
            release(unfinished.size(), bytes);
            drop(unfinished.size(), "they never ended");
            unfinished.clear();
        }
        while (!ready.isEmpty()) {
            if (!sendOne(deadlineNanos, closing)) {
                if (closing) {
                    dropEverything("the export closed before the server took them");
                }
                return false;
            }
        }
        return true;
    }

    /**
     * Sends one request of up to a batch of ready spans. Returns false when the deadline came first: the spans then
     * stay ready, to be tried again (unless closing).
     */
    private boolean sendOne(long deadlineNanos, boolean closing) {
        List<Ready> batch = new ArrayList<>();
        long bytes = 0;
        while (!ready.isEmpty() && batch.size() < settings.maxBatchSize()
                && (batch.isEmpty() || bytes + ready.peek().bytes() <= settings.maxRequestBytes())) {
            Ready next = ready.poll();
            batch.add(next);
            bytes += next.bytes();
        }
        ScopeSpans.Builder spans = ScopeSpans.newBuilder().setScope(scope);
        batch.forEach(span -> spans.addSpans(span.span()));
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(spans)).build();
        requests.increment();
        OtlpHttpSender.Outcome outcome = sender.send(request, deadlineNanos);
        switch (outcome.result()) {
            case SENT -> {
                release(batch.size(), bytes);
                exported.add(batch.size() - outcome.rejected());
                if (outcome.rejected() > 0) {
                    drop(outcome.rejected(), sender.endpoint() + " rejected them (OTLP partial success)");
                }
            }
            case LOST -> {
                release(batch.size(), bytes);
                drop(batch.size(), outcome.reason());
            }
            default -> {
                for (int i = batch.size() - 1; i >= 0; i--) {
                    ready.addFirst(batch.get(i));
                }
                if (!closing) {
                    LOG.warn("Loupe's OTLP export could not send {} spans in time ({}); it tries again",
                            batch.size(), outcome.reason());
                }
                return false;
            }
        }
        readySince = System.nanoTime();
        return true;
    }

    private void dropEverything(String reason) {
        long count = ready.size();
        long bytes = ready.stream().mapToLong(Ready::bytes).sum();
        ready.clear();
        for (List<Held> waiting : waitingForTrace.values()) {
            count += waiting.size();
            bytes += waiting.stream().mapToLong(Held::bytes).sum();
        }
        waitingForTrace.clear();
        count += unfinished.size();
        bytes += unfinished.values().stream().mapToLong(Held::bytes).sum();
        unfinished.clear();
        release(count, bytes);
        if (count > 0) {
            drop(count, reason);
        }
    }

    private void release(long records, long bytes) {
        pendingRecords.addAndGet(-records);
        pendingBytes.addAndGet(-bytes);
    }

    /** Counts dropped spans and logs at most every 10 s; the reason is null for full bounds. */
    private void drop(long spans, String reason) {
        if (spans <= 0) {
            return;
        }
        dropped.add(spans);
        droppedSinceLog.addAndGet(spans);
        long now = System.nanoTime();
        long next = nextDropLog.get();
        if (now - next >= 0 && nextDropLog.compareAndSet(next, now + DROP_LOG_INTERVAL_NANOS)) {
            String why = reason != null ? reason : "the export's queue was full (" + settings.maxQueueSize()
                    + " records or " + settings.maxQueueBytes() + " bytes): the server is slower than the "
                    + "application, or unreachable";
            LOG.warn("Loupe's OTLP export to {} dropped {} spans because {} ({} dropped in all)",
                    sender.endpoint(), droppedSinceLog.getAndSet(0), why, dropped.sum());
        }
    }
}
