package dev.loupe.benchmarks;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.opentelemetry.LoupeSpanProcessor;
import dev.loupe.trace.ExporterStats;
import dev.loupe.trace.Tracer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * otel-processor: what an ended OpenTelemetry span costs the application thread with Loupe's {@link LoupeSpanProcessor}, against
 * OpenTelemetry's own test setup, a {@link SimpleSpanProcessor} into an {@link InMemorySpanExporter}. Each operation
 * starts and ends one span of a GenAI chat call (operation, provider, model, parameters, messages, usage) under a
 * root span, through the same SDK; only the processor differs. Loupe's side queues the span for its mapping thread,
 * which hands the records to an exporter that converts them but writes nowhere ({@code withoutStore()}); both queues
 * drop at once when full, and the trial records how many spans and records were dropped, so that a result that
 * drops is seen as such. The reference keeps every span in memory and is emptied after each batch of {@value #SPANS}
 * spans so that it does not grow without bound.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SpanProcessorBenchmark {

    static final int SPANS = 100;
    static final String INPUT = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"How do I reset my "
            + "password?\"}]}]";
    static final String OUTPUT = "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Open Settings "
            + "> Security.\"}],\"finish_reason\":\"stop\"}]";

    /** Ends {@value #SPANS} chat spans recorded by Loupe's processor. */
    @Benchmark
    @OperationsPerInvocation(SPANS)
    public void loupeProcessor(LoupeSide state) {
        record(state.tracer);
        state.spans += SPANS;
    }

    /** Ends {@value #SPANS} chat spans kept by OpenTelemetry's simple processor and in-memory exporter. */
    @Benchmark
    @OperationsPerInvocation(SPANS)
    public void simpleSpanProcessor(ReferenceSide state) {
        record(state.tracer);
        state.exporter.reset();
    }

    private static void record(io.opentelemetry.api.trace.Tracer tracer) {
        Span root = tracer.spanBuilder("support-agent").startSpan();
        try (Scope ignored = root.makeCurrent()) {
            for (int i = 1; i < SPANS; i++) {
                tracer.spanBuilder("chat gpt-4o-mini")
                        .setAttribute("gen_ai.operation.name", "chat")
                        .setAttribute("gen_ai.provider.name", "openai")
                        .setAttribute("gen_ai.request.model", "gpt-4o-mini")
                        .setAttribute("gen_ai.request.temperature", 0.2)
                        .setAttribute("gen_ai.input.messages", INPUT)
                        .setAttribute("gen_ai.output.messages", OUTPUT)
                        .setAttribute("gen_ai.usage.input_tokens", 120L)
                        .setAttribute("gen_ai.usage.output_tokens", 45L)
                        .startSpan()
                        .end();
            }
        } finally {
            root.end();
        }
    }

    /** An SDK whose only processor is Loupe's, recording into a tracer without store. */
    @org.openjdk.jmh.annotations.State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class LoupeSide {
        Tracer loupe;
        LoupeSpanProcessor processor;
        SdkTracerProvider provider;
        long spans;
        io.opentelemetry.api.trace.Tracer tracer;

        /** Builds the tracer and the SDK. */
        @Setup(Level.Trial)
        public void open() {
            loupe = TracerBuilder.create().withoutStore().offerTimeout(Duration.ZERO).shutdownHook(false).build();
            processor = LoupeSpanProcessor.create(loupe);
            provider = provider(processor);
            tracer = provider.get("bench");
        }

        /** Records how many records were dropped and closes. */
        @TearDown(Level.Trial)
        public void close() {
            provider.close();
            ExporterStats stats = loupe.stats();
            loupe.close();
            RunFacts.record("otel-processor.loupe.spans", spans);
            RunFacts.record("otel-processor.loupe.droppedSpans", processor.droppedSpans());
            RunFacts.record("otel-processor.loupe.records", stats.enqueued() + stats.dropped());
            RunFacts.record("otel-processor.loupe.droppedRecords", stats.dropped());
        }
    }

    /** An SDK whose only processor is OpenTelemetry's simple one into the in-memory exporter. */
    @org.openjdk.jmh.annotations.State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class ReferenceSide {
        InMemorySpanExporter exporter;
        SdkTracerProvider provider;
        io.opentelemetry.api.trace.Tracer tracer;

        /** Builds the SDK. */
        @Setup(Level.Trial)
        public void open() {
            exporter = InMemorySpanExporter.create();
            provider = provider(SimpleSpanProcessor.create(exporter));
            tracer = provider.get("bench");
        }

        /** Closes the SDK. */
        @TearDown(Level.Trial)
        public void close() {
            provider.close();
        }
    }

    static SdkTracerProvider provider(SpanProcessor processor) {
        return SdkTracerProvider.builder().addSpanProcessor(processor).build();
    }
}
