package dev.loupe.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.loupe.Loupe;
import dev.loupe.benchmarks.fixtures.CapturedTests;
import dev.loupe.benchmarks.fixtures.PlainTests;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.TestRun;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B4: what the JUnit extension adds to a test. One iteration runs 1,000 trivial tests, each recording one small
 * trace (a root span and a generation) through {@code Loupe.tracer()}, through the JUnit engine with
 * {@link EngineTestKit}: once with {@code @ExtendWith(TraceCapture.class)} and its default persistence (each test's
 * trace, a {@code test.passed} score and a test result written to a test store, here in a new directory per
 * iteration), and once without the extension. The time runs until the engine is done, which includes the extension
 * finishing its writes. In both, the global tracer is the one the extension would install: no store of its own.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 6)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class JUnitExtensionBenchmark {

    /** Runs the 1,000 fixture tests with TraceCapture. */
    @Benchmark
    public EngineExecutionResults withTraceCapture(TestStore state) {
        return run(CapturedTests.class, state.directory);
    }

    /** Runs the same tests without the extension. */
    @Benchmark
    public EngineExecutionResults withoutExtension(TestStore state) {
        return run(PlainTests.class, state.directory);
    }

    private static EngineExecutionResults run(Class<?> tests, Path store) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(tests))
                .configurationParameter("loupe.junit.store", store.toString())
                .execute();
        long succeeded = results.testEvents().succeeded().count();
        if (succeeded != CapturedTests.TESTS) {
            throw new IllegalStateException(tests.getSimpleName() + ": " + succeeded + " of " + CapturedTests.TESTS
                    + " tests passed: " + results.testEvents().failed().list());
        }
        return results;
    }

    /** A new test store directory per iteration; the global tracer is set up as the extension would. */
    @State(Scope.Thread)
    public static class TestStore {
        Path directory;

        /** Gives the global tracer no store, as the extension would. */
        @Setup(Level.Trial)
        public void installGlobalTracer() {
            Loupe.initialize(() -> TracerBuilder.fromEnvironment().withoutStore().build());
        }

        /** Creates a new test store directory for the iteration. */
        @Setup(Level.Iteration)
        public void create() {
            directory = Directories.fresh("b4-");
        }

        /** Checks that the tests ran and deletes the iteration's test store. */
        @TearDown(Level.Iteration)
        public void checkAndDelete(org.openjdk.jmh.infra.BenchmarkParams params) {
            if (params.getBenchmark().endsWith("withTraceCapture")) {
                try (TraceStore store = TraceStore.open(directory)) {
                    long traces = store.traces(TraceQuery.builder().page(PageRequest.first(1)).build()).totalItems();
                    TestRun run = store.testRuns().runs(PageRequest.first(1)).items().get(0);
                    if (traces != CapturedTests.TESTS || run.passed() != CapturedTests.TESTS) {
                        throw new IllegalStateException("The test store holds " + traces + " traces and a run of "
                                + run.passed() + " passed tests; expected " + CapturedTests.TESTS + " of each");
                    }
                }
            }
            Directories.delete(directory);
        }
    }
}
