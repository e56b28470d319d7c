package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.model.TraceSummary;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A devserver and a test JVM share a store, and the devserver goes away while the other JVM still writes: whichever
 * process opened the store first, and whether the devserver is stopped (SIGTERM) or killed (kill -9), the writer goes
 * on and loses no trace it recorded.
 */
class SharedStoreOutageTest {

    private static final int TRACES_BEFORE = 30;
    private static final int TRACES_AFTER = 30;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "the devserver opened the store {0}, then was {1}")
    @CsvSource({"first, stopped", "first, killed", "second, stopped", "second, killed"})
    void theWriterGoesOnAndLosesNothingWhenTheDevserverGoesAway(String devserverOpens, String how) throws Exception {
        Path store = directory.resolve("store");
        OtherJvm devserver = null;
        try {
            if (devserverOpens.equals("first")) {
                devserver = startDevserver(store);
            }
            try (OtherJvm writer = OtherJvm.start(StoreWriterProcess.class, directory.resolve("writer-errors.log"),
                    store.toString())) {
                assertThat(writer.readLine()).isEqualTo("ready");
                if (devserver == null) {
                    devserver = startDevserver(store);
                }
                List<String> answers = new ArrayList<>();
                for (int i = 0; i < TRACES_BEFORE; i++) {
                    answers.add(record(writer, "before-" + i));
                }
                if (how.equals("stopped")) {
                    devserver.terminate();
                } else {
                    devserver.kill();
                }
                for (int i = 0; i < TRACES_AFTER; i++) {
                    answers.add(record(writer, "after-" + i));
                }
                assertThat(answers).as("what flush() said for each trace").allMatch(answer -> answer.startsWith("written "));
                assertThat(writer.finish()).isZero();
            }
        } finally {
            if (devserver != null) {
                devserver.close();
            }
        }

        try (TraceStore opened = TraceStore.open(store)) {
            List<String> names = opened.traces(TraceQuery.builder().page(PageRequest.first(1000)).build()).items().stream()
                    .map(TraceSummary::trace).map(trace -> trace.name()).toList();
            assertThat(names).hasSize(TRACES_BEFORE + TRACES_AFTER)
                    .contains("before-0", "before-" + (TRACES_BEFORE - 1), "after-0", "after-" + (TRACES_AFTER - 1));
        }
    }

    private OtherJvm startDevserver(Path store) {
        OtherJvm devserver = OtherJvm.start(LoupeDevServer.class, directory.resolve("devserver-errors.log"),
                "--store", store.toString(), "--port", "0");
        String line;
        do {
            line = devserver.readLine();
            assertThat(line).as("the devserver ended before serving").isNotNull();
        } while (!line.startsWith("Open "));
        return devserver;
    }

    private static String record(OtherJvm writer, String name) {
        writer.send("trace " + name);
        return writer.readLine();
    }
}
