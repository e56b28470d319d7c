package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.engine.ExportListener;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceBatch;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures inside Loupe, its listeners or its store are counted and logged; the application never sees them. */
class TracingNeverThrowsTest {

    private TraceStore store;
    private Tracer tracer;

    @BeforeEach
    void openStore() {
        store = TraceStore.inMemory();
    }

    @AfterEach
    void closeAll() {
        if (tracer != null) {
            tracer.close();
        }
        store.close();
    }

    private Tracer tracerWriting(TraceStore to, ExportListener... listeners) {
        TracerBuilder builder = TracerBuilder.create().store(to).shutdownHook(false);
        for (ExportListener listener : listeners) {
            builder.listener(listener);
        }
        tracer = builder.build();
        return tracer;
    }

    private long storedTraces() {
        return store.traces(TraceQuery.all()).totalItems();
    }

    @Test
    void listenerThrowingWhenObservationsStartIsCountedAndTracingGoesOn() {
        tracerWriting(store, new ExportListener() {
            @Override
            public void onStart(StartedObservation observation) {
                throw new IllegalStateException("listener bug");
            }
        });

        String answer = tracer.trace("agent", root -> tracer.tool("search", tool -> "found"));

        assertThat(answer).isEqualTo("found");
        assertThat(tracer.flush()).isTrue();
        assertThat(tracer.stats().listenerFailures()).isEqualTo(2);
        assertThat(store.traces(TraceQuery.all()).items()).singleElement()
                .satisfies(summary -> assertThat(summary.stats().observationCount()).isEqualTo(2));
    }

    @Test
    void listenerThrowingAnErrorIsCountedLikeAnyOtherFailure() {
        tracerWriting(store, new ExportListener() {
            @Override
            public void onStart(StartedObservation observation) {
                throw new AssertionError("listener assertion");
            }
        });

        tracer.trace("agent", () -> { });

        assertThat(tracer.flush()).isTrue();
        assertThat(tracer.stats().listenerFailures()).isEqualTo(1);
        assertThat(storedTraces()).isEqualTo(1);
    }

    @Test
    void listenerThrowingOnExportIsCountedAndLaterBatchesAreStillExported() {
        tracerWriting(store, new ExportListener() {
            @Override
            public void onExport(TraceBatch batch) {
                throw new IllegalStateException("listener bug");
            }
        });

        tracer.trace("first", () -> { });
        assertThat(tracer.flush()).isTrue();
        tracer.trace("second", () -> { });
        assertThat(tracer.flush()).isTrue();

        assertThat(tracer.stats().listenerFailures()).isGreaterThanOrEqualTo(2);
        assertThat(tracer.stats().exported()).isEqualTo(4);
        assertThat(storedTraces()).isEqualTo(2);
    }

    @Test
    void failingListenerDoesNotKeepOtherListenersFromSeeingRecords() {
        List<Observation> seen = new CopyOnWriteArrayList<>();
        tracerWriting(store,
                new ExportListener() {
                    @Override
                    public void onExport(TraceBatch batch) {
                        throw new IllegalStateException("listener bug");
                    }
                },
                new ExportListener() {
                    @Override
                    public void onExport(TraceBatch batch) {
                        seen.addAll(batch.observations());
                    }
                });

        tracer.trace("agent", () -> tracer.span("step", () -> { }));

        assertThat(tracer.flush()).isTrue();
        assertThat(seen).extracting(Observation::name).containsExactlyInAnyOrder("agent", "step");
    }

    @Test
    void applicationGetsItsResultsWhenTheStoreRefusesEveryWrite() {
        tracerWriting(RefusingStore.everything(store));

        String answer = tracer.trace("agent", root -> tracer.generation("draft", gen -> "text"));

        assertThat(answer).isEqualTo("text");
        assertThat(tracer.flush()).as("flush reports that records failed").isFalse();
    }

    @Test
    void flushIsTrueAgainOnceTheRecordsSinceTheLastFlushWereAllStored() {
        RefusingStore refusing = RefusingStore.everything(store);
        tracerWriting(refusing);
        tracer.trace("refused", () -> { });
        assertThat(tracer.flush()).isFalse();

        refusing.accept();
        tracer.trace("stored", () -> { });

        assertThat(tracer.flush()).isTrue();
        assertThat(storedTraces()).isEqualTo(1);
    }

    @Test
    void everyRecordTheStoreRefusesIsCountedAsFailed() {
        tracerWriting(RefusingStore.everything(store));

        for (int i = 0; i < 5; i++) {
            tracer.trace("agent-" + i, () -> tracer.span("step", () -> { }));
        }
        tracer.session("chat-1").score("resolved", true);

        assertThat(tracer.flush()).as("flush reports that records failed").isFalse();
        assertThat(tracer.stats().enqueued()).isEqualTo(16);
        assertThat(tracer.stats().failed()).isEqualTo(16);
        assertThat(tracer.stats().exported()).isZero();
        assertThat(tracer.stats().lost()).isEqualTo(16);
    }

    @Test
    void storeThrowingAnErrorIsCountedAsFailedAndFlushReturnsFalse() {
        tracerWriting(new ForwardingStore(store) {
            @Override
            public void write(TraceBatch batch) {
                throw new NoClassDefFoundError("org/h2/SomethingMissing (simulated)");
            }
        });

        tracer.trace("agent", () -> tracer.span("step", () -> { }));

        assertThat(tracer.flush(Duration.ofSeconds(5))).as("flush reports that records failed").isFalse();
        assertThat(tracer.stats().failed()).isEqualTo(3);
    }

    @Test
    void recordTheStoreRefusesDoesNotCostTheOtherRecordsOfItsBatch() {
        tracerWriting(RefusingStore.observationsNamed("poison", store));

        String traceId = tracer.trace("agent", root -> {
            tracer.span("poison", () -> { });
            tracer.span("healthy", () -> { });
            return root.traceId();
        });

        assertThat(tracer.flush()).as("flush reports that records failed").isFalse();
        assertThat(tracer.stats().failed()).isEqualTo(1);
        assertThat(store.trace(traceId).orElseThrow().observations()).extracting(Observation::name)
                .containsExactlyInAnyOrder("agent", "healthy");
    }

    @Test
    void listenersSeeNoRecordTheStoreRefused() {
        List<TraceBatch> seen = new CopyOnWriteArrayList<>();
        tracerWriting(RefusingStore.everything(store), new ExportListener() {
            @Override
            public void onExport(TraceBatch batch) {
                seen.add(batch);
            }
        });

        tracer.session("chat-1").score("resolved", true);
        assertThat(tracer.flush()).as("flush reports that records failed").isFalse();
        tracer.trace("agent", () -> tracer.span("step", () -> { }));
        assertThat(tracer.flush()).as("flush reports that records failed").isFalse();

        assertThat(seen).isEmpty();
    }

    @Test
    void flushCalledByAListenerOnTheExporterThreadReturnsFalseInsteadOfWaitingForItself() {
        AtomicReference<Boolean> flushed = new AtomicReference<>();
        tracerWriting(store, new ExportListener() {
            @Override
            public void onExport(TraceBatch batch) {
                flushed.compareAndSet(null, tracer.flush());
            }
        });

        tracer.trace("agent", () -> { });

        assertThat(tracer.flush()).isTrue();
        assertThat(flushed.get()).isFalse();
    }

    @Test
    void recordsAfterCloseAreDroppedAndCountedWithoutFailingTheCall() {
        tracerWriting(store);
        tracer.close();

        String answer = tracer.trace("agent", root -> tracer.tool("search", tool -> "found"));

        assertThat(answer).isEqualTo("found");
        assertThat(tracer.stats().dropped()).isEqualTo(3);
        assertThat(tracer.flush()).isTrue();
    }

    @Test
    void noopTracerRunsCallbacksAndReturnsTheirResults() {
        Tracer noop = Tracer.noop();

        String answer = noop.trace("agent", root -> {
            root.input("question").userId("u").score("s", 1.0);
            return noop.generation("draft", gen -> {
                gen.model("gpt-4o-mini").usage(1, 1);
                return "text";
            });
        });

        assertThat(answer).isEqualTo("text");
        assertThat(noop.isEnabled()).isFalse();
        assertThat(noop.stats().enqueued()).isZero();
    }

    @Test
    void noopTracerPassesExceptionsThroughUnchanged() {
        IOException failure = new IOException("offline");

        assertThatThrownBy(() -> Tracer.noop().trace("agent", () -> Tracer.noop().tool("fetch", () -> {
            throw failure;
        }))).isSameAs(failure);
    }

    @Test
    void noopTracerHandlesRecordNothingAndLeaveNoContext() {
        Tracer noop = Tracer.noop();
        TraceContext before = TraceContext.current();

        try (RootSpan root = noop.startTrace("agent"); Span step = noop.startSpan("step")) {
            step.input("x").error(new IllegalStateException()).event("e", "v");
            noop.event("event", "input");
            noop.currentTrace().userId("u");
            noop.session("s").score("resolved", true);
            assertThat(root.id()).isNull();
            assertThat(step.traceId()).isNull();
            assertThat(step.isRecording()).isFalse();
            assertThat(TraceContext.current()).isSameAs(before);
        }
        assertThat(noop.flush()).isTrue();
        assertThat(noop.engine()).isNull();
    }

    @Test
    void disabledTracerOpensNoStore(@TempDir Path directory) {
        Path storeDirectory = directory.resolve("never-created");

        try (Tracer disabled = TracerBuilder.create().enabled(false).storePath(storeDirectory).build()) {
            disabled.trace("agent", () -> disabled.span("step", () -> { }));

            assertThat(disabled.isEnabled()).isFalse();
            assertThat(disabled.engine()).isNull();
        }
        assertThat(storeDirectory).doesNotExist();
    }
}
