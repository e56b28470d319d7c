package dev.loupe.benchmarks;

import dev.loupe.model.Observation;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.model.TraceSummary;
import dev.loupe.store.MetadataFilter;
import dev.loupe.store.Page;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ObservationType;
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
 * search: full-text search in a store of 10,000 and of 100,000 traces of {@value #OBSERVATIONS_PER_TRACE} observations
 * (40,000 and 400,000). {@code searchPage}: the first page (50) of the traces that hold the word {@value #WORD},
 * newest first, without a total, with the observations it was found in. The word is in the output of one tool call
 * of 1 % of the traces, so the larger store holds ten times as many matches: read from the word index in list order,
 * the page costs about the same at both sizes. {@code metadataPage}: the first page (50) of the traces whose metadata
 * has {@code tenant = }{@value #TENANT}, newest first, without a total: 2 % of the traces, so again ten times as many
 * matches in the larger store.
 *
 * <p>Every observation has an input and an output of several words from a vocabulary of {@value #VOCABULARY}, so the
 * index holds about 14 words per observation. The store is written once per size through {@link TraceStore#write}
 * and kept in the suite's work directory for the forks that read it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SearchBenchmark {

    static final String WORD = "zeppelin";
    static final String TENANT = "tenant-7";
    static final int OBSERVATIONS_PER_TRACE = 4;
    static final int VOCABULARY = 5_000;
    private static final int WRITE_BATCH = 500;
    private static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

    /** The first page of a search, as the trace list shows it; no total. */
    @Benchmark
    public Page<TraceSummary> searchPage(SearchableStore state) {
        return state.store.traces(state.query);
    }

    /** The first page of a metadata filter, as the trace list shows it; no total. */
    @Benchmark
    public Page<TraceSummary> metadataPage(SearchableStore state) {
        return state.store.traces(state.metadataQuery);
    }

    /** A file store of the given number of traces, written on first use and reused by later forks. */
    @State(Scope.Benchmark)
    public static class SearchableStore {
        @Param({"10000", "100000"})
        public int traces;

        TraceStore store;
        final TraceQuery query = TraceQuery.builder().search(WORD).page(PageRequest.first(50).withoutTotal()).build();
        final TraceQuery metadataQuery = TraceQuery.builder().metadata(MetadataFilter.keyEquals("tenant", TENANT))
                .page(PageRequest.first(50).withoutTotal()).build();

        /** Writes the store on first use, opens it and checks that the search finds what was written. */
        @Setup(Level.Trial)
        public void open() throws Exception {
            Path directory = Directories.work().resolve("b7-" + traces);
            Path ready = directory.resolve("ready");
            if (!Files.exists(ready)) {
                Directories.delete(directory);
                long start = System.nanoTime();
                try (TraceStore populating = TraceStore.open(directory)) {
                    populate(populating, traces);
                }
                Files.writeString(ready, "written");
                RunFacts.record(String.format(Locale.ROOT, "search.populate.%d.seconds", traces),
                        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
            }
            store = TraceStore.open(directory);
            Page<TraceSummary> all = store.traces(TraceQuery.builder().search(WORD)
                    .page(PageRequest.first(50)).build());
            Page<TraceSummary> page = store.traces(query);
            if (store.traces(metadataQuery).items().size() != 50) {
                throw new IllegalStateException("The store of " + traces + " traces is not as written: the metadata "
                        + "filter found fewer than 50 traces");
            }
            if (page.items().size() != 50 || all.totalItems() != traces / 100
                    || page.items().stream().anyMatch(summary -> summary.matches().size() != 1)) {
                throw new IllegalStateException("The store of " + traces + " traces is not as written: the search "
                        + "found " + all.totalItems() + " traces, its first page " + page.items().size());
            }
        }

        /** Closes the store. */
        @TearDown(Level.Trial)
        public void close() {
            store.close();
        }
    }

    /** Writes the traces in big batches; every hundredth has the word in a tool call's output. */
    static void populate(TraceStore store, int count) {
        List<Trace> traces = new ArrayList<>();
        List<Observation> observations = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            String traceId = String.format(Locale.ROOT, "%032x", index + 1L);
            Instant start = EPOCH.plusSeconds(index);
            traces.add(Trace.builder(traceId).name("agent-" + index % 20).timestamp(start)
                    .input(sentence("question", index, 0)).output(sentence("answer", index, 1))
                    .metadata("{\"tenant\":\"tenant-" + index % 50 + "\"}").build());
            String rootId = String.format(Locale.ROOT, "%010x%06x", index + 1L, 0);
            for (int step = 0; step < OBSERVATIONS_PER_TRACE; step++) {
                boolean tool = step == OBSERVATIONS_PER_TRACE - 1;
                String output = tool && index % 100 == 37 ? "\"the " + WORD + " landed "
                        + words(index, step + 7, 4) + "\"" : sentence("result", index, step + 7);
                observations.add(Observation.builder(String.format(Locale.ROOT, "%010x%06x", index + 1L, step),
                                traceId)
                        .parentObservationId(step == 0 ? null : rootId)
                        .type(step == 0 ? ObservationType.SPAN : tool ? ObservationType.TOOL
                                : ObservationType.GENERATION)
                        .name(step == 0 ? "agent-run" : tool ? "lookup-tool" : "llm-call")
                        .startTime(start.plusMillis(step)).endTime(start.plusMillis(step + 1))
                        .input(sentence("input", index, step + 3)).output(output).build());
            }
            if (traces.size() == WRITE_BATCH) {
                store.write(new TraceBatch(traces, observations, List.of()));
                traces.clear();
                observations.clear();
            }
        }
        store.write(new TraceBatch(traces, observations, List.of()));
    }

    private static String sentence(String kind, int index, int salt) {
        return "\"" + kind + " " + words(index, salt, 6) + "\"";
    }

    /** Words {@code w0}..{@code w4999}, spread over the vocabulary by a multiplicative hash. */
    private static String words(int index, int salt, int count) {
        StringBuilder text = new StringBuilder();
        long state = index * 2_654_435_761L + salt * 40_503L;
        for (int i = 0; i < count; i++) {
            state = state * 6_364_136_223_846_793_005L + 1_442_695_040_888_963_407L;
            text.append(i == 0 ? "" : " ").append('w').append(Math.floorMod(state >>> 33, VOCABULARY));
        }
        return text.toString();
    }
}
