package dev.loupe.junit;

import dev.loupe.engine.Exporter;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TestStatus;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.store.StoreInbox;
import dev.loupe.store.TraceStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one run of the test engine: each finished test's traces, their {@code test.passed} scores and its test
 * result go to the test store on a background thread (so tests do not wait for the database), and at the end the run
 * record is completed and one line says where the traces are.
 *
 * <p>A run that ends within {@link #OPEN_STORE_AFTER} of its start, such as one test run from the IDE, never starts
 * the database: its records are put in the store's {@link StoreInbox} at the end, which the store takes in when it is
 * next opened (by the devserver, which also watches it, by the next test run or by {@code TraceStore.open}). Starting
 * H2 and jOOQ costs a JVM most of a second of CPU, more than such a run takes in all. A longer run opens the store
 * after that delay, in the background, and writes into it from then on.
 */
final class TestRunRecorder implements AutoCloseable {

    /** Name of the score that records on each trace whether the test that produced it passed. */
    static final String TEST_PASSED_SCORE = "test.passed";
    /** How long a run goes on before its test store is opened; records wait in memory until then. */
    static final Duration OPEN_STORE_AFTER = Duration.ofMillis(1_500);
    /** Observations held in memory for a store not opened yet before they are put in its inbox, to bound memory. */
    static final int MAX_WAITING_OBSERVATIONS = 20_000;
    private static final Logger LOG = LoggerFactory.getLogger(TestRunRecorder.class);

    private final CaptureRouter router;
    private final String runId = UUID.randomUUID().toString();
    private final Instant startTime = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private final GitInfo git = GitInfo.ofWorkingDirectory();
    private final Map<Path, StoreRun> stores = new ConcurrentHashMap<>();
    /** Per store not opened yet: what waits to be written, and the run's counts. */
    private final Map<Path, WaitingRun> waiting = new ConcurrentHashMap<>();
    private final Queue<FinishedTest> pending = new ConcurrentLinkedQueue<>();
    private final ScheduledThreadPoolExecutor writer = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "loupe-junit-recorder");
        thread.setDaemon(true);
        return thread;
    });

    TestRunRecorder(CaptureRouter router) {
        this.router = router;
        // A run that ends before its store was due to open puts its records in the inbox instead.
        writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    String runId() {
        return runId;
    }

    /**
     * Opens the test store in this directory on the writer thread once the run has gone on for
     * {@link #OPEN_STORE_AFTER}, and writes into it what waited; a run that ends sooner puts it in the store's inbox.
     */
    void prepare(Path store) {
        if (!stores.containsKey(store) && waiting.putIfAbsent(store, new WaitingRun()) == null) {
            long delay = Math.max(0, OPEN_STORE_AFTER.minus(since(startTime)).toMillis());
            writer.schedule(() -> open(store), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Opens a store (on the writer thread) and writes into it what waited for it. */
    private void open(Path path) {
        try {
            StoreRun run = stores.computeIfAbsent(path, StoreRun::new);
            WaitingRun waited = waiting.remove(path);
            if (waited != null) {
                run.counts.add(waited.counts);
                run.store.write(waited.batch());
                run.store.testRuns().writeResults(waited.results);
            }
        } catch (RuntimeException notYet) {
            LOG.warn("Loupe could not open the test store {}; its records wait for the end of the run", path,
                    notYet);
        }
    }

    /**
     * Hands a finished capture over for writing. Its traces stay routed to it until they are written, so records
     * exported after the test ended still arrive.
     */
    void finished(TestCapture capture, CaptureSettings settings, TestResult result) {
        pending.add(new FinishedTest(capture, settings, result));
        writer.execute(this::writePending);
    }

    /**
     * Writes every finished test that is waiting, together: while the store commits one group, the tests that finish
     * meanwhile form the next. Writing each test on its own cost two commits per test, which a fast suite waited for
     * at its end; a group costs two commits in all.
     */
    private void writePending() {
        List<FinishedTest> group = new ArrayList<>();
        for (FinishedTest test = pending.poll(); test != null; test = pending.poll()) {
            group.add(test);
        }
        if (group.isEmpty()) {
            return;
        }
        try {
            router.tracer().flush();
            Map<Path, List<FinishedTest>> byStore = new LinkedHashMap<>();
            for (FinishedTest test : group) {
                if (test.settings().persist()) {
                    byStore.computeIfAbsent(test.settings().store(), path -> new ArrayList<>()).add(test);
                }
            }
            byStore.forEach(this::write);
        } catch (RuntimeException failure) {
            LOG.error("Loupe could not record the traces of tests {}", group.stream()
                    .map(test -> test.capture().displayName()).toList(), failure);
        } finally {
            group.forEach(test -> router.finished(test.capture()));
        }
    }

    /** Writes the tests' records in one go; when the store refuses that, test by test, so one cannot cost the others. */
    private void write(Path path, List<FinishedTest> tests) {
        boolean tracerWritesHere = tracerWritesTo(path);
        List<TestRecords> records = tests.stream().map(test -> TestRecords.of(test, tracerWritesHere)).toList();
        StoreRun run = stores.get(path);
        if (run == null) {
            WaitingRun waited = waiting.computeIfAbsent(path, any -> new WaitingRun());
            records.forEach(waited::add);
            if (waited.observations() > MAX_WAITING_OBSERVATIONS) {
                deliver(path, waited.drain(), null);
            }
            return;
        }
        try {
            write(run, records);
        } catch (RuntimeException groupFailure) {
            if (records.size() == 1) {
                LOG.error("Loupe could not record the traces of test {} in {}", tests.get(0).capture().displayName(),
                        path, groupFailure);
                return;
            }
            for (TestRecords one : records) {
                try {
                    write(run, List.of(one));
                } catch (RuntimeException failure) {
                    LOG.error("Loupe could not record the traces of test {} in {}", one.test().capture().displayName(),
                            path, failure);
                }
            }
        }
    }

    private static void write(StoreRun run, List<TestRecords> records) {
        List<Trace> traces = new ArrayList<>();
        List<Observation> observations = new ArrayList<>();
        List<Score> scores = new ArrayList<>();
        List<TestResult> results = new ArrayList<>();
        for (TestRecords one : records) {
            traces.addAll(one.records().traces());
            observations.addAll(one.records().observations());
            scores.addAll(one.records().scores());
            if (one.test().result() != null) {
                results.add(one.test().result());
            }
        }
        run.store.write(new TraceBatch(traces, observations, scores));
        run.store.testRuns().writeResults(results);
        records.forEach(run.counts::add);
    }

    /** A test that has finished, waiting to be written. */
    private record FinishedTest(TestCapture capture, CaptureSettings settings, TestResult result) {
    }

    /**
     * What one test writes: its traces (unless the tracer writes them to this store itself), their scores and a
     * {@code test.passed} score on each trace.
     */
    private record TestRecords(FinishedTest test, TraceBatch records) {

        static TestRecords of(FinishedTest test, boolean tracerWritesHere) {
            TraceBatch captured = test.capture().records();
            TestResult result = test.result();
            // When the tracer writes to this store, it wrote the captured records already: only the test's own
            // scores are new.
            List<Score> scores = new ArrayList<>(tracerWritesHere ? List.of() : captured.scores());
            if (result != null && (result.status() == TestStatus.PASSED || result.status() == TestStatus.FAILED)) {
                for (String traceId : test.capture().traceIds()) {
                    scores.add(Score.builder(UUID.randomUUID().toString(), TEST_PASSED_SCORE).traceId(traceId)
                            .value(result.status() == TestStatus.PASSED).source("TEST")
                            .comment(result.failureMessage()).timestamp(Instant.now().truncatedTo(ChronoUnit.MICROS))
                            .build());
                }
            }
            return new TestRecords(test, new TraceBatch(tracerWritesHere ? List.of() : captured.traces(),
                    tracerWritesHere ? List.of() : captured.observations(), scores));
        }
    }

    /** Records a test that did not run (disabled). */
    void skipped(CaptureSettings settings, TestResult result) {
        if (settings.persist()) {
            writer.execute(() -> {
                StoreRun run = stores.get(settings.store());
                if (run == null) {
                    WaitingRun waited = waiting.computeIfAbsent(settings.store(), any -> new WaitingRun());
                    waited.results.add(result);
                    waited.counts.count(TestStatus.SKIPPED);
                    return;
                }
                run.store.testRuns().writeResults(List.of(result));
                run.counts.count(TestStatus.SKIPPED);
            });
        }
    }

    /** Writes what is pending, completes the run records, closes the stores and says where the traces are. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("Loupe gave up waiting for test traces to be written after 60 s");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        router.tracer().flush();
        TestCapture unattributed = router.takeUnattributed();
        if (!unattributed.traceIds().isEmpty() || !unattributed.sessionScoreIds().isEmpty()) {
            keep(unattributed, "unattributed traces");
            System.out.println("Loupe: " + count(unattributed.traceIds().size(), "trace") + " began on threads that carry "
                    + "no test's context while several tests ran, so they belong to no test: "
                    + unattributed.names());
        }
        TestCapture late = router.takeLate();
        if (!late.traceIds().isEmpty() || !late.sessionScoreIds().isEmpty()) {
            keep(late, "late traces");
            System.out.println("Loupe: " + count(late.traceIds().size(), "trace") + " began after the test they belong "
                    + "to had ended (on a thread it started), so that test could not see them; no other test was given "
                    + "them: " + late.lateNames());
        }
        Instant end = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (StoreRun run : stores.values()) {
            try {
                run.store.testRuns().writeRun(run.counts.run(runId, startTime, end, git));
                System.out.println(summary(run.counts, run.path));
            } catch (RuntimeException failure) {
                LOG.error("Loupe could not complete test run {} in {}", runId, run.path, failure);
            } finally {
                run.store.close();
            }
        }
        waiting.forEach((path, waited) -> {
            if (deliver(path, waited.drain(), waited.counts.run(runId, startTime, end, git))) {
                System.out.println(summary(waited.counts, path));
            }
        });
    }

    private static String summary(RunCounts counts, Path path) {
        return "Loupe: " + count(counts.traces.get(), "trace") + " of " + count(counts.tests(), "test") + " ("
                + counts.passed.get() + " passed, " + counts.failed.get() + " failed) are in " + path
                + "; browse them with: java -jar loupe-devserver.jar --store " + path;
    }

    /**
     * Puts records, results and (at the end of the run) the completed run in the inbox of a store that was not
     * opened. Returns whether it could.
     */
    private boolean deliver(Path path, WaitingRun.Drained drained, TestRun completed) {
        try {
            StoreInbox.of(path).put(new StoreInbox.Delivery(drained.batch(),
                    completed == null ? List.of() : List.of(completed), drained.results()));
            return true;
        } catch (RuntimeException failure) {
            LOG.error("Loupe could not record test run {} in {}", runId, path, failure);
            return false;
        }
    }

    /** Writes traces that belong to no test that could see them to every store of the run, unless the tracer did. */
    private void keep(TestCapture collection, String what) {
        for (StoreRun run : stores.values()) {
            try {
                if (!tracerWritesTo(run.path)) {
                    run.store.write(collection.records());
                }
            } catch (RuntimeException failure) {
                LOG.error("Loupe could not write {} to {}", what, run.path, failure);
            }
        }
        waiting.forEach((path, waited) -> {
            if (!tracerWritesTo(path)) {
                waited.add(collection.records());
            }
        });
    }

    private boolean tracerWritesTo(Path path) {
        TraceStore tracerStore = Exporter.of(router.tracer()).map(Exporter::store).orElse(null);
        return tracerStore != null
                && tracerStore.location().equals(path.toAbsolutePath().normalize().toString());
    }

    /** One store the run writes to, with the run's counts in it. */
    private final class StoreRun {
        final Path path;
        final TraceStore store;
        final RunCounts counts = new RunCounts();

        StoreRun(Path path) {
            this.path = path;
            this.store = TraceStore.open(path);
            store.testRuns().writeRun(new TestRun(runId, startTime, null, git.commit(), git.branch(), 0, 0, 0, 0));
        }
    }

    /** What waits for a store that is not open yet: records, test results and the run's counts so far. */
    private static final class WaitingRun {
        final RunCounts counts = new RunCounts();
        final List<Trace> traces = new ArrayList<>();
        final List<Observation> observations = new ArrayList<>();
        final List<Score> scores = new ArrayList<>();
        final List<TestResult> results = new ArrayList<>();

        synchronized void add(TestRecords records) {
            add(records.records());
            if (records.test().result() != null) {
                results.add(records.test().result());
            }
            counts.add(records);
        }

        synchronized void add(TraceBatch batch) {
            traces.addAll(batch.traces());
            observations.addAll(batch.observations());
            scores.addAll(batch.scores());
        }

        synchronized int observations() {
            return observations.size();
        }

        synchronized TraceBatch batch() {
            return new TraceBatch(List.copyOf(traces), List.copyOf(observations), List.copyOf(scores));
        }

        /** Returns what waits and empties it; the counts stay. */
        synchronized Drained drain() {
            Drained drained = new Drained(batch(), List.copyOf(results));
            traces.clear();
            observations.clear();
            scores.clear();
            results.clear();
            return drained;
        }

        record Drained(TraceBatch batch, List<TestResult> results) {
        }
    }

    /** How many traces and tests of each outcome a run recorded in one store. */
    private static final class RunCounts {
        final AtomicInteger traces = new AtomicInteger();
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicInteger aborted = new AtomicInteger();

        void add(TestRecords records) {
            traces.addAndGet(records.test().capture().traceIds().size());
            if (records.test().result() != null) {
                count(records.test().result().status());
            }
        }

        void add(RunCounts other) {
            traces.addAndGet(other.traces.get());
            passed.addAndGet(other.passed.get());
            failed.addAndGet(other.failed.get());
            skipped.addAndGet(other.skipped.get());
            aborted.addAndGet(other.aborted.get());
        }

        void count(TestStatus status) {
            switch (status) {
                case PASSED -> passed.incrementAndGet();
                case FAILED -> failed.incrementAndGet();
                case SKIPPED -> skipped.incrementAndGet();
                case ABORTED -> aborted.incrementAndGet();
            }
        }

        int tests() {
            return passed.get() + failed.get() + skipped.get() + aborted.get();
        }

        TestRun run(String runId, Instant start, Instant end, GitInfo git) {
            return new TestRun(runId, start, end, git.commit(), git.branch(), passed.get(), failed.get(),
                    skipped.get(), aborted.get());
        }
    }

    private static String count(int number, String noun) {
        return number + " " + noun + (number == 1 ? "" : "s");
    }

    static Duration since(Instant start) {
        return Duration.between(start, Instant.now());
    }
}
