package dev.loupe.junit;

import dev.loupe.engine.Exporter;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TestStatus;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one run of the test engine: each finished test's traces, their {@code test.passed} scores and its test
 * result go to the test store on a background thread (so tests do not wait for the database), and at the end the run
 * record is completed and one line says where the traces are.
 */
final class TestRunRecorder implements AutoCloseable {

    /** Name of the score that records on each trace whether the test that produced it passed. */
    static final String TEST_PASSED_SCORE = "test.passed";
    private static final Logger LOG = LoggerFactory.getLogger(TestRunRecorder.class);

    private final CaptureRouter router;
    private final String runId = UUID.randomUUID().toString();
    private final Instant startTime = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private final GitInfo git = GitInfo.ofWorkingDirectory();
    private final Map<Path, StoreRun> stores = new ConcurrentHashMap<>();
    private final Queue<FinishedTest> pending = new ConcurrentLinkedQueue<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "loupe-junit-recorder");
        thread.setDaemon(true);
        return thread;
    });

    TestRunRecorder(CaptureRouter router) {
        this.router = router;
    }

    String runId() {
        return runId;
    }

    /**
     * Opens the test store in this directory on the writer thread, while the tests run: opening it (starting H2,
     * loading jOOQ) is most of what the extension adds to a run of a single test, and it need not wait until that
     * test has finished. A store that cannot be opened is reported when the first test's records are written.
     */
    void prepare(Path store) {
        if (!stores.containsKey(store)) {
            writer.execute(() -> {
                try {
                    stores.computeIfAbsent(store, StoreRun::new);
                } catch (RuntimeException notYet) {
                    LOG.debug("Loupe could not open the test store {} ahead of the tests", store, notYet);
                }
            });
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
        StoreRun run = stores.computeIfAbsent(path, StoreRun::new);
        boolean tracerWritesHere = tracerWritesTo(run);
        List<TestRecords> records = tests.stream().map(test -> TestRecords.of(test, tracerWritesHere)).toList();
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
        for (TestRecords one : records) {
            run.traces.addAndGet(one.test().capture().traceIds().size());
            if (one.test().result() != null) {
                run.count(one.test().result().status());
            }
        }
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
                StoreRun run = stores.computeIfAbsent(settings.store(), StoreRun::new);
                run.store.testRuns().writeResults(List.of(result));
                run.count(TestStatus.SKIPPED);
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
        for (StoreRun run : stores.values()) {
            try {
                run.store.testRuns().writeRun(new TestRun(runId, startTime, Instant.now().truncatedTo(ChronoUnit.MICROS),
                        git.commit(), git.branch(), run.passed.get(), run.failed.get(), run.skipped.get(),
                        run.aborted.get()));
                System.out.println("Loupe: " + count(run.traces.get(), "trace") + " of " + count(run.tests(), "test") + " ("
                        + run.passed.get() + " passed, " + run.failed.get() + " failed) are in " + run.path
                        + "; browse them with: java -jar loupe-devserver.jar --store " + run.path);
            } catch (RuntimeException failure) {
                LOG.error("Loupe could not complete test run {} in {}", runId, run.path, failure);
            } finally {
                run.store.close();
            }
        }
    }

    /** Writes traces that belong to no test that could see them to every store of the run, unless the tracer did. */
    private void keep(TestCapture collection, String what) {
        for (StoreRun run : stores.values()) {
            try {
                if (!tracerWritesTo(run)) {
                    run.store.write(collection.records());
                }
            } catch (RuntimeException failure) {
                LOG.error("Loupe could not write {} to {}", what, run.path, failure);
            }
        }
    }

    private boolean tracerWritesTo(StoreRun run) {
        TraceStore tracerStore = Exporter.of(router.tracer()).map(Exporter::store).orElse(null);
        return tracerStore != null && tracerStore.location().equals(run.store.location());
    }

    /** One store the run writes to, with the run's counts in it. */
    private final class StoreRun {
        final Path path;
        final TraceStore store;
        final AtomicInteger traces = new AtomicInteger();
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicInteger aborted = new AtomicInteger();

        StoreRun(Path path) {
            this.path = path;
            this.store = TraceStore.open(path);
            store.testRuns().writeRun(new TestRun(runId, startTime, null, git.commit(), git.branch(), 0, 0, 0, 0));
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
    }

    private static String count(int number, String noun) {
        return number + " " + noun + (number == 1 ? "" : "s");
    }

    static Duration since(Instant start) {
        return Duration.between(start, Instant.now());
    }
}
