package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.Tracer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The devserver reads the store on every request: traces written while it runs show up without a restart. */
class LiveStoreTest {

    @TempDir
    Path directory;

    @Test
    void showsTracesRecordedInThisJvmAfterTheServerStarted() {
        try (TraceStore store = TraceStore.open(directory);
                DevServer server = DevServer.start(store, "127.0.0.1", 0)) {
            ApiClient api = new ApiClient(server.url());
            long before = totalTraces(api);

            try (Tracer tracer = TracerBuilder.create().store(store).shutdownHook(false).build()) {
                tracer.trace("late-arrival", () -> { });
                tracer.flush();
            }

            assertThat(before).isZero();
            assertThat(totalTraces(api)).isEqualTo(1);
        }
    }

    @Test
    void showsTracesThatAnotherJvmWritesToTheStoreTheServerOpenedFirst() throws Exception {
        try (TraceStore store = TraceStore.open(directory);
                DevServer server = DevServer.start(store, "127.0.0.1", 0);
                OtherJvm writer = OtherJvm.start(StoreWriterProcess.class, directory.resolveSibling(
                        directory.getFileName() + "-writer.log"), directory.toString())) {
            ApiClient api = new ApiClient(server.url());
            assertThat(writer.readLine()).isEqualTo("ready");

            writer.send("trace from-test-jvm");

            assertThat(writer.readLine()).isEqualTo("written from-test-jvm");
            assertThat(api.get("/api/public/traces?userId=other-jvm").json().get("data").get(0).get("name").asText())
                    .isEqualTo("from-test-jvm");
            assertThat(writer.finish()).isZero();
            assertThat(totalTraces(api)).isEqualTo(1);
        }
    }

    @Test
    void showsTracesThatAnotherJvmWritesToTheStoreItOpenedFirst() throws Exception {
        try (OtherJvm writer = OtherJvm.start(StoreWriterProcess.class, directory.resolveSibling(
                directory.getFileName() + "-writer.log"), directory.toString())) {
            assertThat(writer.readLine()).isEqualTo("ready");
            writer.send("trace before-devserver");
            assertThat(writer.readLine()).isEqualTo("written before-devserver");

            try (TraceStore store = TraceStore.open(directory);
                    DevServer server = DevServer.start(store, "127.0.0.1", 0)) {
                ApiClient api = new ApiClient(server.url());
                assertThat(totalTraces(api)).isEqualTo(1);

                writer.send("trace while-devserver-runs");
                assertThat(writer.readLine()).isEqualTo("written while-devserver-runs");

                assertThat(totalTraces(api)).isEqualTo(2);
            }
        }
    }

    @Test
    void keepsServingAfterTheJvmThatOpenedTheStoreFirstHasEnded() throws Exception {
        try (OtherJvm writer = OtherJvm.start(StoreWriterProcess.class, directory.resolveSibling(
                directory.getFileName() + "-writer.log"), directory.toString())) {
            assertThat(writer.readLine()).isEqualTo("ready");
            writer.send("trace from-the-first-jvm");
            assertThat(writer.readLine()).isEqualTo("written from-the-first-jvm");

            try (TraceStore store = TraceStore.open(directory);
                    DevServer server = DevServer.start(store, "127.0.0.1", 0)) {
                ApiClient api = new ApiClient(server.url());
                assertThat(totalTraces(api)).isEqualTo(1);

                assertThat(writer.finish()).isZero();

                assertThat(api.get("/api/public/traces").status()).isEqualTo(200);
                assertThat(totalTraces(api)).isEqualTo(1);
            }
        }
    }

    private static long totalTraces(ApiClient api) {
        return api.get("/api/public/traces").json().get("meta").get("totalItems").asLong();
    }
}
