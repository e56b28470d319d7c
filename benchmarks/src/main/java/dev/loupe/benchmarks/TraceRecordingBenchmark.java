package dev.loupe.benchmarks;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.trace.ExporterStats;
import dev.loupe.trace.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B1: what recording one trace costs the application thread. The trace is a root span with three children (a
 * generation with model and usage, a tool call, a span), each with a small string input and output. Loupe's exporter
 * runs and converts every record but writes nowhere ({@code withoutStore()}); OpenTelemetry's SDK records the same
 * four spans with the same values as attributes through a {@link BatchSpanProcessor} into an exporter that discards.
 * Both use their default queue sizes and the same overflow policy, OpenTelemetry's: a record that finds the queue full
 * is dropped at once ({@code offerTimeout(Duration.ZERO)} for Loupe, whose default is to wait up to 20 ms, which would
 * measure the exporter's throughput instead of the application thread's cost). Each trial records how many records
 * each side dropped, so that a result that drops more is seen as such.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TraceRecordingBenchmark {

    static final String QUESTION = "How do I reset my password?";
    static final String DRAFT = "Open Settings > Security and choose Reset password.";
    static final String DOCS = "kb-101: resetting your password";
    static final String ANSWER = "Go to Settings > Security > Reset password; a link arrives by email.";
    static final String MODEL = "gpt-4o-mini";

    /** Records one trace of four observations with Loupe. */
    @Benchmark
    public String loupe(LoupeTracer state) {
        Tracer tracer = state.tracer;
        state.traces++;
        return tracer.trace("support-agent", root -> {
            root.input(QUESTION);
            String draft = tracer.generation("draft-reply", generation -> {
                generation.model(MODEL).input(QUESTION).usage(120, 45);
                return DRAFT;
            });
            String docs = tracer.tool("search_docs", tool -> {
                tool.input(draft);
                return DOCS;
            });
            return tracer.span("compose-answer", span -> {
                span.input(docs);
                return ANSWER;
            });
        });
    }

    /** Records the same four spans with the OpenTelemetry SDK. */
    @Benchmark
    public String openTelemetry(OpenTelemetryTracer state) {
        io.opentelemetry.api.trace.Tracer tracer = state.tracer;
        state.traces++;
        Span root = tracer.spanBuilder("support-agent").startSpan();
        try (Scope rootScope = root.makeCurrent()) {
            root.setAttribute(OpenTelemetryTracer.INPUT, QUESTION);
            Span generation = tracer.spanBuilder("draft-reply").startSpan();
            String draft;
            try (Scope scope = generation.makeCurrent()) {
                generation.setAttribute(OpenTelemetryTracer.MODEL, MODEL);
                generation.setAttribute(OpenTelemetryTracer.INPUT, QUESTION);
                generation.setAttribute(OpenTelemetryTracer.INPUT_TOKENS, 120L);
                generation.setAttribute(OpenTelemetryTracer.OUTPUT_TOKENS, 45L);
                draft = DRAFT;
                generation.setAttribute(OpenTelemetryTracer.OUTPUT, draft);
            } finally {
                generation.end();
            }
            Span tool = tracer.spanBuilder("search_docs").startSpan();
            String docs;
            try (Scope scope = tool.makeCurrent()) {
                tool.setAttribute(OpenTelemetryTracer.INPUT, draft);
                docs = DOCS;
                tool.setAttribute(OpenTelemetryTracer.OUTPUT, docs);
            } finally {
                tool.end();
            }
            Span span = tracer.spanBuilder("compose-answer").startSpan();
            String answer;
            try (Scope scope = span.makeCurrent()) {
                span.setAttribute(OpenTelemetryTracer.INPUT, docs);
                answer = ANSWER;
                span.setAttribute(OpenTelemetryTracer.OUTPUT, answer);
            } finally {
                span.end();
            }
            root.setAttribute(OpenTelemetryTracer.OUTPUT, answer);
            return answer;
        } finally {
            root.end();
        }
    }

    /** A Loupe tracer whose exporter runs but has no store. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class LoupeTracer {
        Tracer tracer;
        long traces;
        long startNanos;
        final ThreadAllocation allocation = new ThreadAllocation();

        /** Starts the tracer and counts the thread's allocation from here. */
        @Setup(Level.Trial)
        public void start() {
            tracer = TracerBuilder.create().withoutStore().offerTimeout(Duration.ZERO).shutdownHook(false).build();
            allocation.start();
            startNanos = System.nanoTime();
        }

        /** Flushes and closes the tracer and records its figures (dropped records, allocation). */
        @TearDown(Level.Trial)
        public void stop() {
            RunFacts.record("B1.loupe.appThreadAllocBytesPerTrace", allocation.perOperation(traces));
            // The writer's throughput: records it turned into the read model per second of the trial, all the while
            // the loop kept its queue as full as it could.
            long elapsedNanos = System.nanoTime() - startNanos;
            RunFacts.record("B1.loupe.convertedPerSecond",
                    Math.round(tracer.stats().exported() * 1e9 / Math.max(1, elapsedNanos)));
            tracer.flush(Duration.ofSeconds(30));
            ExporterStats stats = tracer.stats();
            tracer.close();
            RunFacts.record("B1.loupe.traces", traces);
            RunFacts.record("B1.loupe.records", stats.enqueued() + stats.dropped());
            RunFacts.record("B1.loupe.dropped", stats.dropped());
        }
    }

    /** An OpenTelemetry SDK tracer with a batch span processor and an exporter that counts and discards. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class OpenTelemetryTracer {
        static final AttributeKey<String> INPUT = AttributeKey.stringKey("input.value");
        static final AttributeKey<String> OUTPUT = AttributeKey.stringKey("output.value");
        static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
        static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
        static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");

        SdkTracerProvider provider;
        io.opentelemetry.api.trace.Tracer tracer;
        final DiscardingExporter exporter = new DiscardingExporter();
        long traces;
        final ThreadAllocation allocation = new ThreadAllocation();

        /** Starts the SDK and counts the thread's allocation from here. */
        @Setup(Level.Trial)
        public void start() {
            provider = SdkTracerProvider.builder()
                    .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                    .build();
            tracer = provider.get("loupe-benchmarks");
            allocation.start();
        }

        /** Flushes and shuts the SDK down and records its figures (dropped spans, allocation). */
        @TearDown(Level.Trial)
        public void stop() {
            RunFacts.record("B1.otel.appThreadAllocBytesPerTrace", allocation.perOperation(traces));
            provider.forceFlush().join(30, TimeUnit.SECONDS);
            provider.shutdown().join(30, TimeUnit.SECONDS);
            long spans = traces * 4;
            RunFacts.record("B1.otel.traces", traces);
            RunFacts.record("B1.otel.records", spans);
            RunFacts.record("B1.otel.dropped", spans - exporter.exported.sum());
        }
    }

    /**
     * Bytes allocated by the benchmark thread alone (JMH's {@code gc.alloc.rate.norm} counts every thread, so it
     * includes the exporter threads' work). Setup and teardown run on the benchmark thread too; their share is small.
     */
    static final class ThreadAllocation {
        private final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private long start;

        void start() {
            start = threads.getCurrentThreadAllocatedBytes();
        }

        long perOperation(long operations) {
            return operations == 0 ? 0 : (threads.getCurrentThreadAllocatedBytes() - start) / operations;
        }
    }

    /** Counts the spans it is given and drops them. */
    static final class DiscardingExporter implements SpanExporter {
        final LongAdder exported = new LongAdder();

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            exported.add(spans.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
