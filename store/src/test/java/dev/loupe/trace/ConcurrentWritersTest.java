package dev.loupe.trace;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceSummary;
import dev.loupe.model.TraceTree;
import dev.loupe.store.ObservationQuery;
import dev.loupe.store.Page;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Many application threads recording at once into one file store; they record once, each test checks one aspect. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentWritersTest {

    private static final int THREADS = 8;
    private static final int TRACES_PER_THREAD = 200;
    private static final int TRACES = THREADS * TRACES_PER_THREAD;
    private static final int OBSERVATIONS_PER_TRACE = 5;

    @TempDir
    static Path directory;

    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    private TraceStore store;
    private Tracer tracer;

    @BeforeAll
    void recordFromAllThreadsAtOnce() throws Exception {
        store = TraceStore.open(directory);
        tracer = TracerBuilder.create().store(store).shutdownHook(false).build();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            writers.add(threads.submit(() -> {
                assertThat(start.await(10, SECONDS)).isTrue();
                for (int request = 0; request < TRACES_PER_THREAD; request++) {
                    recordRequest(thread, request);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> writer : writers) {
            writer.get(60, SECONDS);
        }
        assertThat(tracer.flush()).as("flush after all writers finished").isTrue();
    }

    @AfterAll
    void close() {
        threads.shutdownNow();
        tracer.close();
        store.close();
    }

    /** Records one trace of five observations: root, generation, tool with an event inside, and a span. */
    private void recordRequest(int thread, int request) {
        tracer.trace("request-" + thread + "-" + request, root -> {
            root.input("question " + request).userId("user-" + thread);
            String draft = tracer.generation("draft", gen -> {
                gen.model("gpt-4o-mini").usage(100, 50);
                return "draft " + request;
            });
            tracer.tool("search", tool -> {
                tracer.event("hit", draft);
                return List.of("doc");
            });
            return tracer.span("format", span -> draft.toUpperCase());
        });
    }

    private List<TraceSummary> allSummaries() {
        List<TraceSummary> all = new ArrayList<>();
        PageRequest request = PageRequest.first(PageRequest.MAX_LIMIT);
        Page<TraceSummary> page;
        do {
            page = store.traces(TraceQuery.builder().page(request).build());
            all.addAll(page.items());
            request = request.next();
        } while (page.page() < page.totalPages());
        return all;
    }

    @Test
    void everyRecordIsExportedAndNoneIsLost() {
        ExporterStats stats = tracer.stats();
        assertThat(stats.enqueued()).isEqualTo(TRACES * (OBSERVATIONS_PER_TRACE + 1L));
        assertThat(stats.exported()).isEqualTo(stats.enqueued());
        assertThat(stats.lost()).isZero();
    }

    @Test
    void everyTraceIsStoredCompleteWithItsFigures() {
        List<TraceSummary> summaries = allSummaries();
        assertThat(summaries).hasSize(TRACES);
        assertThat(summaries).extracting(summary -> summary.trace().name()).doesNotHaveDuplicates();
        assertThat(summaries).allSatisfy(summary -> {
            assertThat(summary.trace().userId()).startsWith("user-");
            assertThat(summary.trace().output()).startsWith("\"DRAFT ");
            assertThat(summary.stats().observationCount()).isEqualTo(OBSERVATIONS_PER_TRACE);
            assertThat(summary.stats().errorCount()).isZero();
            assertThat(summary.stats().totalTokens()).isEqualTo(150);
            assertThat(summary.stats().totalCost()).isEqualByComparingTo(new BigDecimal("0.000045"));
            assertThat(summary.stats().endTime()).isNotNull();
        });
        assertThat(store.observations(ObservationQuery.builder().build()).totalItems())
                .isEqualTo((long) TRACES * OBSERVATIONS_PER_TRACE);
    }

    @Test
    void everyTraceKeepsItsOwnTreeShape() {
        Map<String, List<Observation>> observationsByTrace = new HashMap<>();
        PageRequest request = PageRequest.first(PageRequest.MAX_LIMIT);
        Page<Observation> page;
        do {
            page = store.observations(ObservationQuery.builder().page(request).build());
            request = request.next();
            page.items().forEach(observation -> observationsByTrace
                    .computeIfAbsent(observation.traceId(), id -> new ArrayList<>()).add(observation));
        } while (page.page() < page.totalPages());

        assertThat(allSummaries()).allSatisfy(summary -> {
            TraceTree tree = TraceTree.of(summary.trace(), observationsByTrace.get(summary.trace().id()), List.of());
            assertThat(tree.walk()).extracting(tree::path).as("tree of %s", tree.name()).containsExactlyInAnyOrder(
                    tree.name(), tree.name() + " > draft", tree.name() + " > search",
                    tree.name() + " > search > hit", tree.name() + " > format");
            assertThat(tree.openObservations()).isEmpty();
        });
    }
}
