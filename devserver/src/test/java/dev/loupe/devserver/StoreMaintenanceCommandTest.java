package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.store.TraceStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreMaintenanceCommandTest {

    @TempDir
    Path directory;

    private String maintain(String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoupeDevServer.maintain(CommandLine.parse(List.of(arguments)), new PrintStream(out, true,
                StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private void writeTraceBegun(String id, Duration ago) {
        try (TraceStore store = TraceStore.open(directory)) {
            store.write(new TraceBatch(List.of(Trace.builder(id).name(id).timestamp(Instant.now().minus(ago)).build()),
                    List.of(), List.of()));
        }
    }

    @Test
    void pruneOlderThanDeletesOlderTracesAndSaysHowMany() {
        writeTraceBegun("old", Duration.ofDays(45));
        writeTraceBegun("recent", Duration.ofDays(1));

        String output = maintain("--store", directory.toString(), "--prune-older-than", "30d");

        assertThat(output).contains("Deleted 1 trace that began before").contains(directory.toString());
        try (TraceStore store = TraceStore.open(directory)) {
            assertThat(store.trace("old")).isEmpty();
            assertThat(store.trace("recent")).isPresent();
        }
    }

    @Test
    void compactRewritesTheFileAndKeepsTheTraces() {
        writeTraceBegun("kept", Duration.ofDays(1));

        String output = maintain("--store", directory.toString(), "--compact");

        assertThat(output).startsWith("Compacted " + directory).contains(" MB before, ").contains(" MB now");
        try (TraceStore store = TraceStore.open(directory)) {
            assertThat(store.trace("kept")).isPresent();
        }
    }

    @Test
    void compactLeavesAStoreAnotherProgramHasOpenAndSaysSo() {
        try (TraceStore other = TraceStore.open(directory)) {
            String output = maintain("--store", directory.toString(), "--compact");

            assertThat(output).contains("open: it is compacted when the last one closes it");
            assertThat(other.traces(dev.loupe.store.TraceQuery.builder().build()).totalItems()).isZero();
        }
    }
}
