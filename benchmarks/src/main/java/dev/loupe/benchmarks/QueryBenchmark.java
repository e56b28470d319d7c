package dev.loupe.benchmarks;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.model.TraceSummary;
import dev.loupe.model.TraceTree;
import dev.loupe.store.Page;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B3: reading a store of 10,000 and of 100,000 traces. {@code listPage}: the first page (50) of the trace list
 * filtered by name and tag, newest first (without a total; {@code listCount} measures it with one); {@code treeLoad}: one trace with its tree of
 * {@value #TREE_SIZE} observations and its scores. With indexes, the page costs about the same at both sizes and the
 * tree load does not depend on the size at all.
 *
 * <p>The store holds traces of 3 observations (a root span, a generation, a tool call) under 20 names, with 2 of 50
 * tags each and a score on every fifth, one second apart; the filter ({@value #NAME} and {@value #TAG}) matches 1 %
 * of them. It is written once per size through {@link TraceStore#write} and kept in the suite's work directory for the
 * forks that read it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// Queries keep getting faster for several seconds (JIT of jOOQ and H2): warm up longer than the others.
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class QueryBenchmark {

    static final String NAME = "agent-7";
    static final String TAG = "tag-17";
    static final int TREE_SIZE = 100;
    private static final int NAMES = 20;
    private static final int TAGS = 50;
    private static final int WRITE_BATCH = 500;
    private static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

    /** The first page, as a list shows it; a full page says there is a next one, so no total is counted. */
    @Benchmark
    public Page<TraceSummary> listPage(PopulatedStore state) {
        return state.store.traces(state.pageQuery);
    }

    /** The first page with the exact total, which reads every match: reported, not a target. */
    @Benchmark
    public Page<TraceSummary> listCount(PopulatedStore state) {
        return state.store.traces(state.listQuery);
    }

    /** Loads one trace with its tree of 100 observations. */
    @Benchmark
    public TraceTree treeLoad(PopulatedStore state) {
        return state.store.trace(state.treeId).orElseThrow();
    }

    /** A file store of the given number of traces, written on first use and reused by later forks. */
    @State(Scope.Benchmark)
    public static class PopulatedStore {
        @Param({"10000", "100000"})
        public int traces;

        TraceStore store;
        String treeId;
        final TraceQuery listQuery = TraceQuery.builder().name(NAME).tags(TAG).page(PageRequest.first(50)).build();
        final TraceQuery pageQuery = TraceQuery.builder().name(NAME).tags(TAG)
                .page(PageRequest.first(50).withoutTotal()).build();

        /** Writes the store on first use, opens it and checks that it is as written. */
        @Setup(Level.Trial)
        public void open() throws Exception {
            Path directory = Directories.work().resolve("b3-" + traces);
            Path ready = directory.resolve("ready");
            if (!Files.exists(ready)) {
                Directories.delete(directory);
                long start = System.nanoTime();
                try (TraceStore populating = TraceStore.open(directory)) {
                    populate(populating, traces);
                }
                Files.writeString(ready, treeIdOf(traces));
                RunFacts.record(String.format(Locale.ROOT, "B3.populate.%d.seconds", traces),
                        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
            }
            treeId = Files.readString(ready).trim();
            store = TraceStore.open(directory);
            Page<TraceSummary> page = store.traces(listQuery);
            TraceTree tree = store.trace(treeId).orElseThrow();
            if (page.items().size() != 50 || page.totalItems() != traces / 100 || tree.walk().size() != TREE_SIZE) {
                throw new IllegalStateException("The store of " + traces + " traces is not as written: the page has "
                        + page.items().size() + " of " + page.totalItems() + " traces, the tree "
                        + tree.walk().size() + " observations");
            }
        }

        /** Closes the store. */
        @TearDown(Level.Trial)
        public void close() {
            store.close();
        }
    }

    /** Writes the traces in big batches; the trace in the middle gets a tree of {@value #TREE_SIZE} observations. */
    static void populate(TraceStore store, int count) {
        List<Trace> traces = new ArrayList<>();
        List<Observation> observations = new ArrayList<>();
        List<Score> scores = new ArrayList<>();
        String treeId = treeIdOf(count);
        for (int index = 0; index < count; index++) {
            String traceId = String.format(Locale.ROOT, "%032x", index + 1L);
            Instant start = EPOCH.plusSeconds(index);
            traces.add(Trace.builder(traceId).name("agent-" + index % NAMES).timestamp(start)
                    .input("\"question " + index + "\"").output("\"answer " + index + "\"")
                    .userId("user-" + index % 1_000).sessionId("session-" + index / 5)
                    .tags(List.of("tag-" + index % TAGS, "tag-" + (index * 7 + 3) % TAGS)).build());
            int size = traceId.equals(treeId) ? TREE_SIZE : 3;
            String rootId = observationId(index, 0);
            for (int step = 0; step < size; step++) {
                Observation.Builder observation = Observation.builder(observationId(index, step), traceId)
                        .startTime(start.plusMillis(step)).endTime(start.plusMillis(step + 1))
                        .input("\"input " + step + "\"").output("\"output " + step + "\"");
                if (step == 0) {
                    observation.type(ObservationType.SPAN).name("agent-" + index % NAMES);
                } else if (step % 2 == 1) {
                    observation.parentObservationId(rootId).type(ObservationType.GENERATION).name("llm-call")
                            .model("gpt-4o-mini").usage(Usage.of(120, 45));
                } else {
                    observation.parentObservationId(rootId).type(ObservationType.TOOL).name("tool-call");
                }
                observations.add(observation.build());
            }
            if (index % 5 == 0) {
                scores.add(Score.builder(String.format(Locale.ROOT, "s%031x", index + 1L), "helpfulness")
                        .traceId(traceId).value(index % 10 / 10.0).timestamp(start.plusSeconds(1)).build());
            }
            if (traces.size() == WRITE_BATCH) {
                store.write(new TraceBatch(traces, observations, scores));
                traces.clear();
                observations.clear();
                scores.clear();
            }
        }
        store.write(new TraceBatch(traces, observations, scores));
    }

    private static String treeIdOf(int count) {
        return String.format(Locale.ROOT, "%032x", count / 2 + 1L);
    }

    private static String observationId(int trace, int step) {
        return String.format(Locale.ROOT, "%010x%06x", trace + 1L, step);
    }
}
