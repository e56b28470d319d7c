package dev.loupe.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.trace.Tracer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file store stays close to the size of its data: it is compacted when it closes, unless it is shared. */
class StoreSizeTest {

    /** Enough small traces, each written in its own transactions, for H2 to leave most of the file dead. */
    private static final int TRACES = 5_000;
    private static final int OBSERVATIONS_PER_TRACE = 4;

    @TempDir
    Path directory;

    private long fileSize() throws Exception {
        return Files.size(directory.resolve("loupe.mv.db"));
    }

    private static void recordSmallTrace(Tracer tracer, int number) {
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

    @Test
    void smallTracesTakeAtMostOneKilobytePerObservationOnDiskAfterTheStoreCloses() throws Exception {
        try (Tracer tracer = TracerBuilder.create().storePath(directory).offerTimeout(Duration.ofMinutes(1))
                .shutdownHook(false).build()) {
            for (int i = 0; i < TRACES; i++) {
                recordSmallTrace(tracer, i);
            }
            assertThat(tracer.flush(Duration.ofMinutes(2))).isTrue();
        }

        assertThat((double) fileSize() / (TRACES * OBSERVATIONS_PER_TRACE))
                .as("bytes per observation on disk").isLessThanOrEqualTo(1024);
        try (TraceStore store = TraceStore.open(directory)) {
            assertThat(store.traces(TraceQuery.builder().build()).totalItems()).isEqualTo(TRACES);
        }
    }

    @Test
    void compactingKeepsEveryTrace() {
        try (TraceStore store = TraceStore.open(directory)) {
            store.write(new TraceBatch(List.of(Trace.builder("kept").name("kept").timestamp(Instant.now()).build()),
                    List.of(), List.of()));
            assertThat(store.closeAndCompact()).isTrue();
        }
        try (TraceStore reopened = TraceStore.open(directory)) {
            assertThat(reopened.trace("kept")).isPresent();
        }
    }

    @Test
    void aStoreAnotherConnectionHasOpenIsNotCompactedAndStaysUsable() {
        try (TraceStore other = TraceStore.open(directory)) {
            TraceStore closing = TraceStore.open(directory);
            assertThat(closing.closeAndCompact()).isFalse();

            other.write(new TraceBatch(List.of(Trace.builder("after").name("after").timestamp(Instant.now()).build()),
                    List.of(), List.of()));
            assertThat(other.trace("after")).isPresent();
        }
    }
}
