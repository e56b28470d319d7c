package dev.loupe.trace;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.store.ObservationQuery;
import dev.loupe.store.TraceStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A writer that cannot keep up: a tiny queue in front of a store that blocks until the test releases it. */
class ExporterOverloadTest {

    private static final int CAPACITY = 4;

    private final ExecutorService application = Executors.newSingleThreadExecutor();
    private TraceStore realStore;
    private BlockingStore slowStore;
    private Tracer tracer;
    private RootSpan root;

    @BeforeEach
    void open() {
        realStore = TraceStore.inMemory();
        slowStore = new BlockingStore(realStore);
    }

    @AfterEach
    void close() {
        slowStore.release();
        application.shutdownNow();
        if (root != null) {
            root.end();
        }
        if (tracer != null) {
            tracer.close();
        }
        realStore.close();
    }

    private Tracer tracer(Duration offerTimeout) {
        tracer = TracerBuilder.create().store(slowStore).queueCapacity(CAPACITY).offerTimeout(offerTimeout)
                .shutdownHook(false).build();
        return tracer;
    }

    /**
     * Starts a trace, records one event so that the exporter takes it and blocks in the store, then records the rest
     * of the events: each event is one record. The root stays open in {@link #root}.
     */
    private void recordEventsBehindABlockedWrite(int events) throws InterruptedException {
        root = tracer.startTrace("overload");
        tracer.event("tick", 0);
        assertThat(slowStore.awaitBlockedWrite()).as("the exporter is blocked in the store").isTrue();
        for (int i = 1; i < events; i++) {
            tracer.event("tick", i);
        }
    }

    @Test
    void everyRecordIsEitherEnqueuedOrCountedAsDropped() throws Exception {
        tracer(Duration.ZERO);

        recordEventsBehindABlockedWrite(300);

        ExporterStats stats = tracer.stats();
        assertThat(stats.enqueued() + stats.dropped()).isEqualTo(300);
        assertThat(stats.dropped()).isPositive();
        assertThat(stats.queued()).isLessThanOrEqualTo(CAPACITY);
        assertThat(stats.capacity()).isEqualTo(CAPACITY);
    }

    @Test
    void applicationThreadFinishesWhileTheStoreIsBlocked() throws Exception {
        tracer(Duration.ofMillis(2));

        Future<ExporterStats> producer = application.submit(() -> {
            recordEventsBehindABlockedWrite(200);
            ExporterStats afterEvents = tracer.stats();
            root.end();
            return afterEvents;
        });

        ExporterStats stats = producer.get(30, SECONDS);
        assertThat(stats.enqueued() + stats.dropped()).isEqualTo(200);
    }

    @Test
    void everythingEnqueuedIsStoredOnceTheStoreCatchesUp() throws Exception {
        tracer(Duration.ZERO);
        recordEventsBehindABlockedWrite(300);

        slowStore.release();

        assertThat(tracer.flush()).isTrue();
        ExporterStats stats = tracer.stats();
        assertThat(stats.exported()).isEqualTo(stats.enqueued());
        assertThat(stats.failed()).isZero();
        assertThat(realStore.observations(ObservationQuery.builder().traceId(root.traceId()).build()).totalItems())
                .isEqualTo(stats.enqueued());
    }

    @Test
    void tracingGoesOnNormallyAfterTheOverloadEnds() throws Exception {
        tracer(Duration.ZERO);
        recordEventsBehindABlockedWrite(100);
        slowStore.release();
        assertThat(tracer.flush()).isTrue();
        long droppedDuringOverload = tracer.stats().dropped();

        root.end();
        String traceId = tracer.trace("after-overload", span -> span.traceId());

        assertThat(tracer.flush()).isTrue();
        assertThat(tracer.stats().dropped()).isEqualTo(droppedDuringOverload);
        assertThat(realStore.trace(traceId)).isPresent();
        assertThat(realStore.trace(root.traceId()).orElseThrow().name()).isEqualTo("overload");
    }

    @Test
    void sustainedOverloadKeepsMemoryBoundedByTheQueue() throws Exception {
        tracer(Duration.ZERO);
        int events = 100_000;

        root = tracer.startTrace("flood");
        tracer.event("tick", 0);
        assertThat(slowStore.awaitBlockedWrite()).isTrue();
        for (int i = 1; i < events; i++) {
            tracer.event("tick", "payload " + i + " " + "x".repeat(4_000));
        }

        ExporterStats stats = tracer.stats();
        assertThat(stats.enqueued() + stats.dropped()).isEqualTo(events);
        assertThat(stats.queued()).isLessThanOrEqualTo(CAPACITY);
    }

    @Test
    void flushReportsFalseWhenTheStoreDoesNotFinishInTime() throws Exception {
        tracer(Duration.ZERO);
        recordEventsBehindABlockedWrite(2);

        assertThat(tracer.flush(Duration.ofMillis(100))).isFalse();
    }

    @Test
    void flushWaitsForRecordsEnqueuedBeforeIt() throws Exception {
        tracer(Duration.ZERO);
        recordEventsBehindABlockedWrite(3);
        CompletableFuture<Boolean> flushed = CompletableFuture.supplyAsync(() -> tracer.flush(Duration.ofSeconds(30)));

        slowStore.release();

        assertThat(flushed.get(30, SECONDS)).isTrue();
        assertThat(realStore.observations(ObservationQuery.builder().traceId(root.traceId()).build()).totalItems())
                .isEqualTo(tracer.stats().enqueued());
    }
}
