package dev.loupe.opentelemetry;

import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_OPERATION_NAME;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_REQUEST_MODEL;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_OBSERVATION_TYPE;
import static dev.loupe.opentelemetry.SpanAttributes.LLM_MODEL_NAME;
import static dev.loupe.opentelemetry.SpanAttributes.OPENINFERENCE_SPAN_KIND;

import dev.loupe.Loupe;
import dev.loupe.trace.StartedObservation;
import dev.loupe.trace.TraceContext;
import dev.loupe.trace.Tracer;
import dev.loupe.trace.spi.Engine;
import dev.loupe.trace.spi.PipelineRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Objects;

/**
 * Records the spans of the OpenTelemetry Java SDK as Loupe observations: each sampled span becomes an observation
 * when it ends (a root span also becomes the trace), mapped from whichever attribute dialect its instrumentation
 * speaks. Add it to the tracer provider in one line:
 * {@code SdkTracerProvider.builder().addSpanProcessor(LoupeSpanProcessor.create())}; with the SDK's autoconfigure
 * module on the class path it is added without code (see {@link LoupeAutoConfiguration}).
 *
 * <p>Ending a span costs the application thread a snapshot of the span and a place in a bounded queue; a thread of
 * Loupe's maps it (a span that finds the queue full is dropped and counted, see {@link #droppedSpans()}).
 *
 * <p>A span that starts is announced to Loupe's listeners at once, so that a test sees it among the open observations
 * and waits for it to end. Creating the first processor also lets OpenTelemetry's context carry Loupe's (see
 * {@code Context.taskWrapping}): a span begun in a task that OpenTelemetry carried to another thread belongs to the
 * test that submitted the task. Like Loupe's own tracer it never throws into the application: a failure is logged and
 * counted by the tracer's engine.
 */
public final class LoupeSpanProcessor implements SpanProcessor {

    /** Spans that may wait to be mapped; OpenTelemetry's batch processor queues as many by default. */
    static final int QUEUE_CAPACITY = 2_048;
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

    private static final AttributeKey<String> LANGFUSE_TYPE = AttributeKey.stringKey(LANGFUSE_OBSERVATION_TYPE);
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey(GEN_AI_OPERATION_NAME);
    private static final AttributeKey<String> OPENINFERENCE_KIND = AttributeKey.stringKey(OPENINFERENCE_SPAN_KIND);
    private static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey(GEN_AI_REQUEST_MODEL);
    private static final AttributeKey<String> OPENINFERENCE_MODEL = AttributeKey.stringKey(LLM_MODEL_NAME);

    /** The tracer spans are recorded with, or null for the global one at the moment each span starts or ends. */
    private final Tracer tracer;
    private final SdkSpans spans = new SdkSpans();
    private final SpanQueue queue = new SpanQueue(QUEUE_CAPACITY, this::recordQueued);

    private LoupeSpanProcessor(Tracer tracer) {
        this.tracer = tracer;
        LoupeContextStorage.install();
    }

    /**
     * Returns a processor that records with the global tracer, {@link Loupe#tracer()}, whichever it is when a span
     * ends: the one the JUnit extension installs in tests, the configured one in production.
     */
    public static LoupeSpanProcessor create() {
        return new LoupeSpanProcessor(null);
    }

    /** Returns a processor that records with this tracer. */
    public static LoupeSpanProcessor create(Tracer tracer) {
        return new LoupeSpanProcessor(Objects.requireNonNull(tracer, "tracer"));
    }

    private void recordQueued(SpanData span) {
        Tracer target = tracer();
        if (target.isEnabled()) {
            record(target, span);
        }
    }

    private Tracer tracer() {
        return tracer != null ? tracer : Loupe.tracer();
    }

    /** Announces the span to Loupe's listeners (a test's capture, for one), with the Loupe context current here. */
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        Engine engine = tracer().engine();
        if (engine == null || !span.getSpanContext().isSampled()) {
            return;
        }
        try {
            if (!engine.observesStarts()) {
                return;
            }
            SpanContext parent = span.getParentSpanContext();
            String parentId = parent.isValid() && !parent.isRemote() ? parent.getSpanId() : null;
            boolean hasModel = span.getAttribute(REQUEST_MODEL) != null
                    || span.getAttribute(OPENINFERENCE_MODEL) != null;
            engine.started(new StartedObservation(span.getSpanContext().getTraceId(),
                    span.getSpanContext().getSpanId(), parentId,
                    SpanMapping.typeOf(span.getAttribute(LANGFUSE_TYPE), span.getAttribute(OPERATION),
                            span.getAttribute(OPENINFERENCE_KIND), hasModel),
                    span.getName(), SpanMapping.instant(span.toSpanData().getStartEpochNanos()),
                    TraceContext.current()));
        } catch (RuntimeException | LinkageError failure) {
            failed(engine, "announcing the start of OpenTelemetry span '" + span.getName() + "'", failure);
        }
    }

    /** Returns true: starts are announced. */
    @Override
    public boolean isStartRequired() {
        return true;
    }

    /**
     * Records the ended span as an observation, its trace when it is a root, and its evaluations as scores. While
     * something listens to the tracer (a test's capture), the span is mapped here and now, so that the test sees it
     * as soon as it ended; otherwise it is queued and mapped on Loupe's span thread, off the application's.
     */
    @Override
    public void onEnd(ReadableSpan span) {
        Tracer target = tracer();
        if (!target.isEnabled() || !span.getSpanContext().isSampled()) {
            return;
        }
        try {
            SpanData data = span.toSpanData();
            if (target.engine().observesStarts()) {
                record(target, data);
            } else {
                queue.offer(data);
            }
        } catch (RuntimeException | LinkageError failure) {
            failed(target.engine(), "recording OpenTelemetry span '" + span.getName() + "'", failure);
        }
    }

    private void record(Tracer target, SpanData span) {
        try {
            for (PipelineRecord record : SpanMapping.records(spans.view(span))) {
                target.record(record);
            }
        } catch (RuntimeException | LinkageError failure) {
            failed(target.engine(), "recording OpenTelemetry span '" + span.getName() + "'", failure);
        }
    }

    /** Returns how many ended spans were dropped because they ended faster than Loupe could map them. */
    public long droppedSpans() {
        return queue.dropped();
    }

    /** Returns true: ended spans are recorded. */
    @Override
    public boolean isEndRequired() {
        return true;
    }

    /** Waits until every span ended so far is mapped and written. */
    @Override
    public CompletableResultCode forceFlush() {
        return queue.flush(FLUSH_TIMEOUT) && tracer().flush(FLUSH_TIMEOUT) ? CompletableResultCode.ofSuccess()
                : CompletableResultCode.ofFailure();
    }

    /**
     * Maps and writes the spans ended so far and stops the span thread; the tracer stays open, since it is Loupe's
     * and may record other things.
     */
    @Override
    public CompletableResultCode shutdown() {
        boolean mapped = queue.shutdown(FLUSH_TIMEOUT);
        return mapped && tracer().flush(FLUSH_TIMEOUT) ? CompletableResultCode.ofSuccess()
                : CompletableResultCode.ofFailure();
    }

    private static void failed(Engine engine, String what, Throwable failure) {
        if (engine != null) {
            try {
                engine.internalError(what, failure);
            } catch (RuntimeException | Error ignored) {
                // nothing else can be done without throwing into the application
            }
        }
    }

    /** Describes the processor. */
    @Override
    public String toString() {
        return "LoupeSpanProcessor{tracer=" + (tracer == null ? "Loupe.tracer()" : tracer) + "}";
    }
}
