package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.TraceSummary;
import dev.loupe.store.ObservationQuery;
import dev.loupe.store.Page;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store and the exporter across processes: exit without close, kill -9, and two JVMs on one store. */
class ChildProcessTest {

    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final int OBSERVATIONS_PER_TRACE = 3;

    @TempDir
    Path directory;

    private static Page<TraceSummary> tracesNamed(TraceStore store, String name) {
        return store.traces(TraceQuery.builder().name(name).page(PageRequest.first(1000)).build());
    }

    private static void assertComplete(List<TraceSummary> traces) {
        assertThat(traces).allSatisfy(summary -> {
            assertThat(summary.stats().observationCount()).isEqualTo(OBSERVATIONS_PER_TRACE);
            assertThat(summary.trace().output()).isNotNull();
            assertThat(summary.stats().totalTokens()).isEqualTo(15);
        });
    }

    @Test
    void programThatExitsWithoutClosingTheTracerLosesNoTrace() throws Exception {
        int traces = 500;
        try (ChildJvm child = ChildJvm.start(DrainAtExitProgram.class,
                List.of("-Dloupe.store=" + directory), String.valueOf(traces))) {
            String recorded = child.awaitLine("RECORDED", CHILD_TIMEOUT);
            assertThat(child.awaitExit(CHILD_TIMEOUT)).as("exit code; output:%n%s", child.transcript()).isZero();
            assertThat(recorded).as("records still queued when the child called System.exit")
                    .doesNotStartWith("RECORDED queued=0 ");
        }

        try (TraceStore store = TraceStore.open(directory)) {
            Page<TraceSummary> drained = tracesNamed(store, "drained");
            assertThat(drained.totalItems()).isEqualTo(traces);
            assertComplete(drained.items());
        }
    }

    @Test
    void anApplicationsOwnH2DatabaseIsClosedAtExitAfterLoupeDrainedItsQueue() throws Exception {
        int traces = 200;
        Path application = directory.resolve("application");
        String url = "jdbc:h2:file:" + application.resolve("shop").toAbsolutePath();
        try (ChildJvm child = ChildJvm.start(DrainAtExitProgram.class,
                List.of("-Dloupe.store=" + directory.resolve("store")), String.valueOf(traces), url)) {
            child.awaitLine("RECORDED", CHILD_TIMEOUT);
            assertThat(child.awaitExit(CHILD_TIMEOUT)).as("exit code; output:%n%s", child.transcript()).isZero();
            assertThat(child.transcript()).as("nothing failed at exit").doesNotContain("ERROR");
        }

        try (TraceStore store = TraceStore.open(directory.resolve("store"))) {
            assertThat(tracesNamed(store, "drained").totalItems()).isEqualTo(traces);
        }
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select item from orders order by id")) {
            List<String> items = new ArrayList<>();
            while (rows.next()) {
                items.add(rows.getString(1));
            }
            assertThat(items).as("the application's rows, written before exit").containsExactly("keyboard", "mouse");
        }
    }

    @Test
    void largePayloadsFromEightThreadsInASmallHeapNeitherExhaustItNorGoUncounted() throws Exception {
        int threads = 8;
        int tracesPerThread = 1000;
        String done;
        try (ChildJvm child = ChildJvm.start(LargePayloadsProgram.class, List.of(), directory.toString(),
                String.valueOf(threads), String.valueOf(tracesPerThread), "16000")) {
            done = child.awaitLine("DONE", CHILD_TIMEOUT);
            assertThat(child.awaitExit(CHILD_TIMEOUT)).as("exit code; output:%n%s", child.transcript()).isZero();
            assertThat(child.transcript()).doesNotContain("OutOfMemoryError");
        }

        Map<String, Long> figures = new LinkedHashMap<>();
        for (String pair : done.substring("DONE ".length()).split(" ")) {
            figures.put(pair.split("=")[0], Long.parseLong(pair.split("=")[1]));
        }
        try (TraceStore store = TraceStore.open(directory)) {
            // trace records carry the name; a generation whose trace record was dropped gets a nameless trace row
            long traces = store.traces(TraceQuery.builder().name("chat").page(PageRequest.first(1)).build()).totalItems();
            long observations = store.observations(ObservationQuery.builder().page(PageRequest.first(1)).build()).totalItems();
            long stored = traces + observations;
            assertThat(figures.get("produced")).isEqualTo(3L * threads * tracesPerThread);
            assertThat(stored + figures.get("dropped") + figures.get("failed"))
                    .as("stored + dropped + failed, with %s", figures).isEqualTo(figures.get("produced"));
            assertThat(figures.get("exported")).isEqualTo(stored);
            assertThat(figures.get("queued")).isZero();
        }
    }

    @Test
    void whatFlushConfirmedSurvivesTheProcessBeingKilled() throws Exception {
        int confirmed = 300;
        try (ChildJvm child = ChildJvm.start(KilledAfterFlushProgram.class, List.of(),
                directory.toString(), String.valueOf(confirmed))) {
            child.awaitLine("FLUSHED", CHILD_TIMEOUT);
            child.kill();
        }

        try (TraceStore store = TraceStore.open(directory)) {
            Page<TraceSummary> survived = tracesNamed(store, "confirmed");
            assertThat(survived.totalItems()).isEqualTo(confirmed);
            assertComplete(survived.items());
            assertThat(store.trace(survived.items().get(0).trace().id()).orElseThrow().root().name())
                    .isEqualTo("confirmed");
        }
    }

    @Test
    void twoJvmsWriteToOneStoreAndSeeEachOthersTraces() throws Exception {
        int parentTraces = 100;
        int childTraces = 100;
        try (TraceStore store = TraceStore.open(directory);
                Tracer tracer = TracerBuilder.create().store(store).shutdownHook(false).build()) {
            for (int i = 0; i < parentTraces / 2; i++) {
                ChildProgram.recordTrace(tracer, "parent-trace", i);
            }
            assertThat(tracer.flush()).isTrue();

            try (ChildJvm child = ChildJvm.start(SharedStoreProgram.class, List.of(),
                    directory.toString(), "parent-trace", String.valueOf(childTraces))) {
                String seen = child.awaitLine("SAW", CHILD_TIMEOUT);
                for (int i = parentTraces / 2; i < parentTraces; i++) {
                    ChildProgram.recordTrace(tracer, "parent-trace", i);
                }
                assertThat(tracer.flush()).isTrue();
                String wrote = child.awaitLine("WROTE", CHILD_TIMEOUT);
                assertThat(child.awaitExit(CHILD_TIMEOUT)).as("exit code; output:%n%s", child.transcript()).isZero();

                assertThat(Long.parseLong(seen.substring("SAW ".length())))
                        .as("parent traces the child saw").isGreaterThanOrEqualTo(parentTraces / 2);
                assertThat(wrote).startsWith("WROTE flushed=true");
            }

            assertThat(tracesNamed(store, "parent-trace").totalItems()).isEqualTo(parentTraces);
            Page<TraceSummary> fromChild = tracesNamed(store, "child-trace");
            assertThat(fromChild.totalItems()).isEqualTo(childTraces);
            assertComplete(fromChild.items());
        }
    }

    @Test
    void closingAndCompactingAStoreWhileAnotherJvmWritesToItLosesNoneOfItsTraces() throws Exception {
        int childTraces = 1_000;
        TraceStore store = TraceStore.open(directory);
        try (ChildJvm child = ChildJvm.start(SharedStoreProgram.class, List.of(),
                directory.toString(), "parent-trace", String.valueOf(childTraces))) {
            child.awaitLine("SAW", CHILD_TIMEOUT);

            assertThat(store.closeAndCompact()).as("compacted while the child had the store open").isFalse();

            assertThat(child.awaitLine("WROTE", CHILD_TIMEOUT)).startsWith("WROTE flushed=true");
            assertThat(child.awaitExit(CHILD_TIMEOUT)).as("exit code; output:%n%s", child.transcript()).isZero();
        }
        try (TraceStore reopened = TraceStore.open(directory)) {
            Page<TraceSummary> fromChild = tracesNamed(reopened, "child-trace");
            assertThat(fromChild.totalItems()).isEqualTo(childTraces);
            assertComplete(fromChild.items());
        }
    }
}
