package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.store.ObservationQuery;
import dev.loupe.store.ScoreQuery;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A program that records as fast as it can on one thread, into a file store with the default settings. */
class BurstTest {

    @TempDir
    Path directory;

    @Test
    void aTightLoopOfSmallTracesLosesNothingWithTheDefaultSettings() {
        int traces = 20_000;
        try (Tracer tracer = TracerBuilder.create().storePath(directory).shutdownHook(false).build()) {
            for (int i = 0; i < traces; i++) {
                int number = i;
                tracer.trace("burst", root -> {
                    root.input("question " + number);
                    tracer.generation("draft", gen -> gen.model("gpt-4o-mini").usage(12, 30).output("draft"));
                    tracer.tool("search", tool -> "found " + number);
                    tracer.span("compose", span -> "answer");
                    root.score("helpful", 1.0);
                    return "answer " + number;
                });
            }
            assertThat(tracer.flush()).isTrue();

            ExporterStats stats = tracer.stats();
            assertThat(stats.dropped()).as("dropped, with %s", stats).isZero();
            assertThat(stats.failed()).isZero();
            assertThat(stats.exported()).isEqualTo(traces * 6L);
        }
        try (TraceStore store = TraceStore.open(directory)) {
            assertThat(store.traces(TraceQuery.builder().name("burst").page(PageRequest.first(1)).build()).totalItems())
                    .isEqualTo(traces);
            assertThat(store.observations(ObservationQuery.builder().page(PageRequest.first(1)).build()).totalItems())
                    .isEqualTo(traces * 4L);
            assertThat(store.scores(ScoreQuery.builder().page(PageRequest.first(1)).build()).totalItems()).isEqualTo(traces);
        }
    }
}
