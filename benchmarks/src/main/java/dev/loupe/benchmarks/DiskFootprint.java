package dev.loupe.benchmarks;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.Tracer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The disk a file store takes for its data. A tracer records {@value #TRACES} small traces (a root span with a
 * generation, a tool call and a span, 4 observations, and a score on each) into a new file store, as a loop in an
 * application does; the store directory is measured once everything is flushed (the reference: the file as writing
 * leaves it) and again after the tracer has closed the store (Loupe's figure: what stays on disk).
 */
final class DiskFootprint {

    static final int TRACES = 20_000;
    static final int OBSERVATIONS_PER_TRACE = 4;

    /**
     * @param bytesBeforeClose the store directory's size when everything is flushed, before the store closes
     * @param bytesAfterClose  its size after the store closed
     * @param observations     observations stored
     * @param closeMillis      how long closing took
     */
    record Result(long bytesBeforeClose, long bytesAfterClose, int observations, long closeMillis) {

        double bytesPerObservationAfterClose() {
            return (double) bytesAfterClose / observations;
        }

        double bytesPerObservationBeforeClose() {
            return (double) bytesBeforeClose / observations;
        }
    }

    private DiskFootprint() {
    }

    static Result measure() throws IOException {
        Path directory = Directories.fresh("disk-");
        try {
            long before;
            long closeStart;
            Tracer tracer = TracerBuilder.create().storePath(directory).offerTimeout(Duration.ofMinutes(1))
                    .shutdownHook(false).build();
            try {
                for (int i = 0; i < TRACES; i++) {
                    record(tracer, i);
                }
                if (!tracer.flush(Duration.ofMinutes(5))) {
                    throw new IllegalStateException("The tracer could not store every trace: " + tracer.stats());
                }
                before = size(directory);
            } finally {
                closeStart = System.nanoTime();
                tracer.close();
            }
            long closeMillis = (System.nanoTime() - closeStart) / 1_000_000;
            long after = size(directory);
            try (TraceStore store = TraceStore.open(directory)) {
                long stored = store.traces(TraceQuery.builder().page(PageRequest.first(1)).build()).totalItems();
                if (stored != TRACES) {
                    throw new IllegalStateException("The store holds " + stored + " traces; expected " + TRACES);
                }
            }
            return new Result(before, after, TRACES * OBSERVATIONS_PER_TRACE, closeMillis);
        } finally {
            Directories.delete(directory);
        }
    }

    private static void record(Tracer tracer, int number) {
        tracer.trace("agent", root -> {
            root.input("question " + number).userId("user-" + number % 10);
            tracer.generation("llm", generation -> generation.model("gpt-4o-mini").input("prompt " + number)
                    .output("answer " + number).usage(10, 5));
            tracer.tool("search", tool -> "result " + number);
            tracer.span("step", span -> "done " + number);
            root.score("quality", 0.9);
            return "answer " + number;
        });
    }

    private static long size(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }
}
