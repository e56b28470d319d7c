package dev.loupe.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TestStatus;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deliveries left in a file store's inbox are written into it when it opens, whole, once, and then removed. */
class StoreInboxTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path directory;

    private static StoreInbox.Delivery delivery(String traceId) {
        Trace trace = Trace.builder(traceId).name("agent").timestamp(T0).userId("user-1").tags(List.of("inbox"))
                .build();
        Observation generation = Observation.builder(traceId + "-gen", traceId).type(ObservationType.GENERATION)
                .name("answer").startTime(T0).endTime(T0.plusMillis(250)).model("gpt-4o-mini")
                .input("\"question\"").output("\"answer\"").metadata("{\"step\":1}")
                .usage(new Usage(java.util.Map.of("input", 120L, "output", 30L, "cached_input", 100L)))
                .cost(Cost.of(new BigDecimal("0.000018"), new BigDecimal("0.000018"))).build();
        Score score = Score.builder(traceId + "-score", "test.passed").traceId(traceId).value(true).timestamp(T0)
                .build();
        TestRun run = new TestRun("run-1", T0, T0.plusSeconds(1), "abc123", "main", 1, 0, 0, 0);
        TestResult result = new TestResult(traceId + "-result", "run-1", "[engine:junit-jupiter]/[method:t()]",
                "AgentTest", "t", "t()", null, List.of(), TestStatus.PASSED, T0, Duration.ofMillis(300), null,
                List.of(traceId));
        return new StoreInbox.Delivery(new TraceBatch(List.of(trace), List.of(generation), List.of(score)),
                List.of(run), List.of(result));
    }

    @Test
    void aDeliveryIsWrittenWhenTheStoreOpensWithItsTestRunAndThenRemoved() {
        StoreInbox inbox = StoreInbox.of(directory);
        inbox.put(delivery("trace-1"));
        assertThat(inbox.waiting()).isEqualTo(1);

        try (TraceStore store = TraceStore.open(directory)) {
            TraceTree tree = store.trace("trace-1").orElseThrow();
            assertThat(tree.trace().userId()).isEqualTo("user-1");
            Observation generation = tree.generations().get(0);
            assertThat(generation.usage().detail("cached_input")).isEqualTo(100L);
            assertThat(generation.cost().total()).isEqualByComparingTo("0.000036");
            assertThat(tree.scores()).extracting(Score::name).containsExactly("test.passed");
            assertThat(store.testRuns().run("run-1").orElseThrow().passed()).isEqualTo(1);
            assertThat(store.testRuns().results("run-1")).extracting(TestResult::traceIds)
                    .containsExactly(List.of("trace-1"));
        }
        assertThat(inbox.waiting()).isZero();
        assertThat(inbox.directory()).isEmptyDirectory();
    }

    @Test
    void theSameDeliveryTakenInTwiceChangesNothing() {
        StoreInbox inbox = StoreInbox.of(directory);
        inbox.put(delivery("trace-1"));
        inbox.put(delivery("trace-1"));

        try (TraceStore store = TraceStore.open(directory)) {
            assertThat(store.traces(TraceQuery.builder().build()).items()).hasSize(1);
            assertThat(store.trace("trace-1").orElseThrow().observations()).hasSize(1);
            assertThat(store.testRuns().results("run-1")).hasSize(1);
        }
    }

    @Test
    void anOpenStoreTakesInDeliveriesThatArriveLater() {
        try (TraceStore store = TraceStore.open(directory)) {
            StoreInbox inbox = StoreInbox.of(directory);
            inbox.put(delivery("trace-2"));

            assertThat(inbox.deliverTo(store)).isEqualTo(1);
            assertThat(store.trace("trace-2")).isPresent();
            assertThat(inbox.deliverTo(store)).isZero();
        }
    }

    @Test
    void aDamagedDeliveryIsKeptAsFailedAndTheOthersAreStillTakenIn() throws IOException {
        StoreInbox inbox = StoreInbox.of(directory);
        Files.createDirectories(inbox.directory());
        Files.writeString(inbox.directory().resolve("0-damaged.delivery"), "not a delivery");
        inbox.put(delivery("trace-3"));

        try (TraceStore store = TraceStore.open(directory)) {
            assertThat(store.trace("trace-3")).isPresent();
        }
        try (Stream<Path> files = Files.list(inbox.directory())) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly("0-damaged.failed");
        }
    }

    @Test
    void aDeliveryHoldingOtherObjectsThanTheReadModelIsRefused() throws IOException {
        StoreInbox inbox = StoreInbox.of(directory);
        Files.createDirectories(inbox.directory());
        try (OutputStream out = Files.newOutputStream(inbox.directory().resolve("1-hostile.delivery"));
                ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(new java.io.File("/etc/passwd"));
        }

        try (TraceStore store = TraceStore.open(directory)) {
            assertThat(store.traces(TraceQuery.builder().build()).items()).isEmpty();
        }
        assertThat(inbox.directory().resolve("1-hostile.failed")).exists();
    }

    @Test
    void aDeliveryWhoseTakerDiedIsTakenInAgainOnceItsClaimIsOld() throws IOException {
        StoreInbox inbox = StoreInbox.of(directory);
        inbox.put(delivery("trace-4"));
        Path ready;
        try (Stream<Path> files = Files.list(inbox.directory())) {
            ready = files.findFirst().orElseThrow();
        }
        Path claimed = ready.resolveSibling(ready.getFileName().toString().replace(".delivery", ".taking-dead"));
        Files.move(ready, claimed);

        try (TraceStore store = TraceStore.open(directory)) {
            assertThat(store.trace("trace-4")).as("a fresh claim belongs to a live taker").isEmpty();
        }
        Files.setLastModifiedTime(claimed, FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));
        try (TraceStore store = TraceStore.open(directory)) {
            assertThat(store.trace("trace-4")).isPresent();
        }
        assertThat(inbox.directory()).isEmptyDirectory();
    }
}
