package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.model.TestRun;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.store.StoreInbox;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The devserver takes in what short test runs leave in its store's inbox, while it serves and when it starts. */
class InboxWatchTest {

    @TempDir
    Path directory;

    private static StoreInbox.Delivery run(String runId, String traceId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new StoreInbox.Delivery(new TraceBatch(List.of(Trace.builder(traceId).name("short-run").timestamp(now)
                .build()), List.of(), List.of()),
                List.of(new TestRun(runId, now, now.plusMillis(40), null, null, 1, 0, 0, 0)), List.of());
    }

    private LoupeDevServer.Running start() {
        return LoupeDevServer.start(CommandLine.parse(List.of("--store", directory.toString(), "--port", "0")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void aShortRunsDeliveryShowsUpWhileTheDevserverServesAndOnesLeftBeforeItStartedAreThereAtOnce()
            throws InterruptedException {
        StoreInbox inbox = StoreInbox.of(directory);
        inbox.put(run("run-before", "trace-before"));

        try (LoupeDevServer.Running running = start()) {
            ApiClient api = new ApiClient(running.server().url());
            assertThat(api.get("/api/public/traces/trace-before").status()).isEqualTo(200);
            assertThat(api.get("/api/public/test-runs/run-before").status()).isEqualTo(200);

            inbox.put(run("run-during", "trace-during"));

            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (api.get("/api/public/traces/trace-during").status() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(api.get("/api/public/traces/trace-during").status()).isEqualTo(200);
            assertThat(api.get("/api/public/test-runs/run-during").json().path("endTime").isNull()).isFalse();
        }
        assertThat(inbox.waiting()).isZero();
    }
}
