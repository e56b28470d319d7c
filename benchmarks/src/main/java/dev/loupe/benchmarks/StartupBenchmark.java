package dev.loupe.benchmarks;

import dev.loupe.benchmarks.fixtures.OneCapturedTest;
import dev.loupe.benchmarks.fixtures.OnePlainTest;
import dev.loupe.benchmarks.fixtures.SingleTestRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * B6: the fixed cost the JUnit extension adds to a test run, as a developer pays it running a single test from the
 * IDE. Each invocation starts a fresh JVM (the benchmark's own java and class path) that runs one trivial test
 * through the JUnit Platform launcher and exits: once the test class with {@code @ExtendWith(TraceCapture.class)}
 * and its default persistence into a test store, once the same test without the extension. The test store is
 * created by the first run and then reused, as {@code target/loupe} is from one run to the next. Both JVMs record the
 * test's trace with a global tracer that has no store ({@code loupe.store=none}), so only the extension differs.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 12)
@Fork(1)
public class StartupBenchmark {

    /** Runs the one test with TraceCapture in a fresh JVM. */
    @Benchmark
    public int withTraceCapture(TestStore state) throws Exception {
        return run(OneCapturedTest.class, state);
    }

    /** Runs the same test without the extension in a fresh JVM. */
    @Benchmark
    public int withoutExtension(TestStore state) throws Exception {
        return run(OnePlainTest.class, state);
    }

    private static int run(Class<?> test, TestStore state) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Dloupe.store=none",
                "-cp", System.getProperty("java.class.path"), SingleTestRun.class.getName(), test.getName(),
                state.directory.toString()))
                .redirectErrorStream(true).redirectOutput(state.output.toFile()).start();
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(test.getSimpleName() + " failed in a fresh JVM (exit " + exit + "):\n"
                    + Files.readString(state.output));
        }
        return exit;
    }

    /** The test store the runs share, and a file for the child JVM's output. */
    @State(Scope.Benchmark)
    public static class TestStore {
        Path directory;
        Path output;

        /** Creates the directory of the test store; the first run creates the store in it. */
        @Setup(Level.Trial)
        public void create() throws IOException {
            directory = Directories.fresh("b6-");
            output = Files.createTempFile(Directories.work(), "b6-", ".log");
        }

        /** Deletes the test store. */
        @TearDown(Level.Trial)
        public void delete() throws IOException {
            Directories.delete(directory);
            Files.deleteIfExists(output);
        }
    }
}
