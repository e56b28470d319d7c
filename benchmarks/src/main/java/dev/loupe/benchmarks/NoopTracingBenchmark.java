package dev.loupe.benchmarks;

import dev.loupe.Loupe;
import dev.loupe.trace.Tracer;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * B5: what a traced callback costs when tracing is off, as it is in production code that depends on {@code loupe-api}
 * alone (no engine on the class path) or sets {@code loupe.enabled=false}: both give the no-op tracer. The same body is
 * measured with and without a {@code tracer.span(...)} around it; the difference is the cost of the callback.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dloupe.enabled=false"})
public class NoopTracingBenchmark {

    /** The global tracer, which {@code loupe.enabled=false} makes the no-op. */
    @State(Scope.Thread)
    public static class Work {
        Tracer tracer;
        long seed;

        /** Gets the global tracer and checks that it is the no-op. */
        @Setup(Level.Trial)
        public void setUp() {
            tracer = Loupe.tracer();
            if (tracer.isEnabled()) {
                throw new IllegalStateException("the no-op benchmark needs loupe.enabled=false");
            }
            seed = System.nanoTime();
        }
    }

    /** The body alone. */
    @Benchmark
    public long plainCall(Work work) {
        return step(work);
    }

    /** The same body inside a callback-style span of the no-op tracer, with an input and a generation's usage. */
    @Benchmark
    public long tracedCallback(Work work) {
        Tracer tracer = work.tracer;
        return tracer.span("step", span -> {
            span.input("question");
            return tracer.generation("answer", generation -> {
                generation.model("gpt-4o-mini").usage(120, 45);
                return step(work);
            });
        });
    }

    private static long step(Work work) {
        long value = work.seed;
        work.seed = value * 6364136223846793005L + 1442695040888963407L;
        return value >>> 7;
    }
}
