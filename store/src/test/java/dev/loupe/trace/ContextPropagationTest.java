package dev.loupe.trace;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.engine.ExportListener;
import dev.loupe.engine.Exporter;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.store.TraceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

// Spans opened with try-with-resources are often used only for the nesting they create.
@SuppressWarnings("try")
class ContextPropagationTest {

    private static final ContextKey<String> TEST_NAME = ContextKey.named("test-name");

    @RegisterExtension
    final TracingFixture tracing = TracingFixture.inMemory();

    private final ExecutorService pool = Executors.newFixedThreadPool(3);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, SECONDS)).as("pool stopped").isTrue();
    }

    private Tracer tracer() {
        return tracing.tracer();
    }

    @Test
    void wrappedRunnableNestsItsObservationsUnderTheObservationCurrentWhenItWasWrapped() throws Exception {
        String traceId = tracer().trace("agent", root -> {
            Runnable task = TraceContext.current().wrap(() -> tracer().span("on-pool", () -> { }));
            pool.submit(task).get(10, SECONDS);
            return root.traceId();
        });

        TraceTree tree = tracing.stored(traceId);
        assertThat(tree.path(tree.find("on-pool").orElseThrow())).isEqualTo("agent > on-pool");
    }

    @Test
    void wrappedCallableNestsItsObservationsUnderTheObservationCurrentWhenItWasWrapped() throws Exception {
        String traceId = tracer().trace("agent", root -> {
            Callable<String> task = TraceContext.current().wrap(() -> tracer().tool("lookup", tool -> "found"));
            assertThat(pool.submit(task).get(10, SECONDS)).isEqualTo("found");
            return root.traceId();
        });

        TraceTree tree = tracing.stored(traceId);
        assertThat(tree.path(tree.find("lookup").orElseThrow())).isEqualTo("agent > lookup");
    }

    @Test
    void spanContextCarriesThatSpanToAnotherThreadEvenAfterItIsNoLongerCurrent() throws Exception {
        String traceId;
        Runnable task;
        try (RootSpan root = tracer().startTrace("agent")) {
            traceId = root.traceId();
            try (Span planning = tracer().startSpan("planning")) {
                task = planning.context().wrap(() -> tracer().event("late-note", "noted"));
            }
            pool.submit(task).get(10, SECONDS);
        }

        TraceTree tree = tracing.stored(traceId);
        assertThat(tree.path(tree.find("late-note").orElseThrow())).isEqualTo("agent > planning > late-note");
    }

    @Test
    void propagatingExecutorServiceCarriesTheContextCurrentAtSubmitTime() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        ExecutorService propagating = TraceContext.propagating(single);
        CountDownLatch release = new CountDownLatch(1);
        try {
            single.submit(() -> release.await(10, SECONDS));
            String traceId;
            Future<?> task;
            try (RootSpan root = tracer().startTrace("agent")) {
                traceId = root.traceId();
                try (Span first = tracer().startSpan("first")) {
                    task = propagating.submit(() -> tracer().span("submitted-in-first", () -> { }));
                }
                try (Span second = tracer().startSpan("second")) {
                    release.countDown();
                    task.get(10, SECONDS);
                }
            }

            TraceTree tree = tracing.stored(traceId);
            assertThat(tree.path(tree.find("submitted-in-first").orElseThrow()))
                    .isEqualTo("agent > first > submitted-in-first");
        } finally {
            release.countDown();
            single.shutdownNow();
        }
    }

    @Test
    void propagatingExecutorServiceLeavesNoContextOnThePoolThreadAfterATask() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            ExecutorService propagating = TraceContext.propagating(single);
            tracer().trace("agent", () -> propagating.submit(() -> tracer().span("inside", () -> { }))
                    .get(10, SECONDS));

            String leftOver = single.submit(() -> TraceContext.current().observationId()).get(10, SECONDS);

            assertThat(leftOver).isNull();
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void propagatingExecutorServiceRunsInvokeAllTasksInTheSubmittersContext() throws Exception {
        ExecutorService propagating = TraceContext.propagating(pool);

        String traceId = tracer().trace("agent", root -> {
            List<Callable<String>> lookups = List.of(
                    () -> tracer().tool("lookup-a", tool -> "a"),
                    () -> tracer().tool("lookup-b", tool -> "b"));
            for (Future<String> lookup : propagating.invokeAll(lookups, 10, SECONDS)) {
                lookup.get();
            }
            return root.traceId();
        });

        TraceTree tree = tracing.stored(traceId);
        assertThat(tree.children(tree.root())).extracting(Observation::name)
                .containsExactlyInAnyOrder("lookup-a", "lookup-b");
    }

    @Test
    void executorWrappedWithAContextRunsEveryTaskInThatContextWhoeverSubmitsIt() throws Exception {
        Executor planningExecutor;
        String traceId;
        try (RootSpan root = tracer().startTrace("agent")) {
            traceId = root.traceId();
            try (Span planning = tracer().startSpan("planning")) {
                planningExecutor = planning.context().wrap((Executor) pool);
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread outsider = new Thread(() -> planningExecutor.execute(() -> {
                tracer().span("planned-step", () -> { });
                done.complete(null);
            }));
            outsider.start();
            done.get(10, SECONDS);
        }

        TraceTree tree = tracing.stored(traceId);
        assertThat(tree.path(tree.find("planned-step").orElseThrow())).isEqualTo("agent > planning > planned-step");
    }

    @Test
    void propagatingExecutorCarriesTheContextCurrentAtExecuteTime() throws Exception {
        String traceId = tracer().trace("agent", root -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            TraceContext.propagating((Executor) pool).execute(() -> {
                tracer().span("executed", () -> { });
                done.complete(null);
            });
            done.get(10, SECONDS);
            return root.traceId();
        });

        TraceTree tree = tracing.stored(traceId);
        assertThat(tree.path(tree.find("executed").orElseThrow())).isEqualTo("agent > executed");
    }

    @Test
    void supplyAsyncRunsTheSupplierInsideTheObservationCurrentWhenItWasCalled() throws Exception {
        String traceId = tracer().trace("agent", root -> {
            CompletableFuture<String> answer = TraceContext.supplyAsync(
                    () -> tracer().generation("draft", gen -> "text"), pool);
            assertThat(answer.get(10, SECONDS)).isEqualTo("text");
            return root.traceId();
        });

        TraceTree tree = tracing.stored(traceId);
        assertThat(tree.path(tree.find("draft").orElseThrow())).isEqualTo("agent > draft");
    }

    @Test
    void runAsyncRunsTheTaskInsideTheObservationCurrentWhenItWasCalled() throws Exception {
        String traceId = tracer().trace("agent", root -> {
            TraceContext.runAsync(() -> tracer().span("background", () -> { }), pool).get(10, SECONDS);
            return root.traceId();
        });

        TraceTree tree = tracing.stored(traceId);
        assertThat(tree.path(tree.find("background").orElseThrow())).isEqualTo("agent > background");
    }

    @Test
    void wrappedFunctionStagesNestUnderTheObservationCurrentWhenTheyWereWrapped() throws Exception {
        String traceId = tracer().trace("agent", root -> {
            CompletableFuture<String> pipeline = TraceContext.supplyAsync(
                            () -> tracer().retriever("retrieve", span -> "docs"), pool)
                    .thenApplyAsync(TraceContext.current().wrapFunction(
                            docs -> tracer().generation("answer", gen -> "answer from " + docs)), pool);
            assertThat(pipeline.get(10, SECONDS)).isEqualTo("answer from docs");
            return root.traceId();
        });

        TraceTree tree = tracing.stored(traceId);
        assertThat(tree.children(tree.root())).extracting(Observation::name).containsExactly("retrieve", "answer");
    }

    @Test
    void parallelToolCallsEachNestUnderTheParentAndTheirChildrenUnderThem() throws Exception {
        ExecutorService propagating = TraceContext.propagating(pool);
        CountDownLatch allStarted = new CountDownLatch(3);

        String traceId = tracer().trace("agent", root -> {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int call = i;
                calls.add(propagating.submit(() -> tracer().tool("tool-" + call, tool -> {
                    allStarted.countDown();
                    assertThat(allStarted.await(10, SECONDS)).as("all three tools open at once").isTrue();
                    return tracer().generation("answer-" + call, gen -> "result " + call);
                })));
            }
            for (Future<String> call : calls) {
                call.get(10, SECONDS);
            }
            return root.traceId();
        });

        TraceTree tree = tracing.stored(traceId);
        assertThat(tree.children(tree.root())).extracting(Observation::name)
                .containsExactlyInAnyOrder("tool-0", "tool-1", "tool-2");
        for (int i = 0; i < 3; i++) {
            Observation tool = tree.find("tool-" + i).orElseThrow();
            assertThat(tree.children(tool)).extracting(Observation::name).containsExactly("answer-" + i);
            assertThat(tool.output()).isEqualTo("\"result " + i + "\"");
        }
    }

    @Test
    void threadWithoutContextStartsANewTrace() throws Exception {
        AtomicReference<String> poolTrace = new AtomicReference<>();
        String traceId = tracer().trace("agent", root -> {
            pool.submit(() -> tracer().span("unwrapped", span -> {
                poolTrace.set(span.traceId());
                return null;
            })).get(10, SECONDS);
            return root.traceId();
        });

        assertThat(poolTrace.get()).isNotNull().isNotEqualTo(traceId);
        TraceTree separate = tracing.stored(poolTrace.get());
        assertThat(separate.name()).isEqualTo("unwrapped");
        assertThat(separate.root().parentObservationId()).isNull();
        assertThat(tracing.stored(traceId).observations()).extracting(Observation::name).containsExactly("agent");
    }

    @Test
    void callbackMakesTheEnclosingObservationCurrentAgainWhenItReturns() {
        tracer().trace("agent", root -> {
            tracer().span("step", () -> { });
            assertThat(TraceContext.current().observationId()).isEqualTo(root.id());
            return null;
        });
    }

    @Test
    void callbackMakesTheEnclosingObservationCurrentAgainWhenItThrows() {
        tracer().trace("agent", root -> {
            assertThatThrownBy(() -> tracer().span("step", () -> {
                throw new IllegalStateException("step failed");
            })).hasMessage("step failed");
            assertThat(TraceContext.current().observationId()).isEqualTo(root.id());
            return null;
        });
    }

    @Test
    void nothingIsCurrentAfterATraceEnds() {
        tracer().trace("agent", () -> tracer().span("step", () -> { }));

        assertThat(TraceContext.current().observationId()).isNull();
        assertThat(TraceContext.current().traceId()).isNull();
    }

    @Test
    void endingAManualSpanMakesItsParentCurrentAgain() {
        try (RootSpan root = tracer().startTrace("agent")) {
            Span step = tracer().startSpan("step");
            assertThat(TraceContext.current().observationId()).isEqualTo(step.id());

            step.end();

            assertThat(TraceContext.current().observationId()).isEqualTo(root.id());
        }
        assertThat(TraceContext.current().observationId()).isNull();
    }

    @Test
    void contextKeyValuesAreCarriedToOtherThreads() throws Exception {
        try (Scope ignored = TraceContext.current().with(TEST_NAME, "checkout-test").makeCurrent()) {
            String seen = tracer().trace("agent", root -> TraceContext.propagating(pool)
                    .submit(() -> TraceContext.current().get(TEST_NAME)).get(10, SECONDS));

            assertThat(seen).isEqualTo("checkout-test");
        }
        assertThat(TraceContext.current().get(TEST_NAME)).isNull();
    }

    @Test
    void contextKeyValuesReachListenersWithEveryStartedObservation() {
        List<StartedObservation> started = new CopyOnWriteArrayList<>();
        Exporter.of(tracer()).orElseThrow().addListener(new ExportListener() {
            @Override
            public void onStart(StartedObservation observation) {
                started.add(observation);
            }
        });

        try (Scope ignored = TraceContext.current().with(TEST_NAME, "checkout-test").makeCurrent()) {
            tracer().trace("agent", () -> tracer().tool("search", () -> { }));
        }

        assertThat(started).extracting(StartedObservation::name).containsExactly("agent", "search");
        assertThat(started).allSatisfy(observation ->
                assertThat(observation.context().get(TEST_NAME)).isEqualTo("checkout-test"));
        assertThat(started.get(0).isTraceRoot()).isTrue();
        assertThat(started.get(1).parentObservationId()).isEqualTo(started.get(0).observationId());
    }

    @Test
    void traceInsideATraceBeginsANewTraceAndKeepsTheContextValues() {
        try (Scope ignored = TraceContext.current().with(TEST_NAME, "nested-test").makeCurrent()) {
            String[] ids = tracer().trace("outer", outer -> {
                String inner = tracer().trace("inner", root -> {
                    assertThat(TraceContext.current().get(TEST_NAME)).isEqualTo("nested-test");
                    return root.traceId();
                });
                assertThat(TraceContext.current().observationId()).isEqualTo(outer.id());
                return new String[] {outer.traceId(), inner};
            });

            assertThat(ids[1]).isNotEqualTo(ids[0]);
            assertThat(tracing.stored(ids[1]).root().parentObservationId()).isNull();
        }
    }

    @Test
    void observationsOfAnotherTracerNeverBecomeParents() {
        try (TraceStore otherStore = TraceStore.inMemory();
                Tracer other = TracerBuilder.create().store(otherStore).shutdownHook(false).build()) {
            String otherTraceId = tracer().trace("agent",
                    root -> other.span("other-tracer-step", span -> span.traceId()));
            other.flush();

            assertThat(otherStore.trace(otherTraceId).orElseThrow().root().parentObservationId()).isNull();
            assertThat(other.currentObservation().isRecording()).isFalse();
        }
    }
}
