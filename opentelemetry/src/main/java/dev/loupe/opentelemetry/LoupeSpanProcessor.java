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
import java.util.List;
import java.util.Objects;

/**
 * Records the spans of the OpenTelemetry Java SDK as Loupe observations: each sampled span becomes an observation
 * when it ends (a root span also becomes the trace), mapped from whichever attribute dialect its instrumentation
 * speaks. Add it to the tracer provider in one line:
 * {@code SdkTracerProvider.builder().addSpanProcessor(LoupeSpanProcessor.create())}; with the SDK's autoconfigure
 * module on the class path it is added without code (see {@link LoupeAutoConfiguration}).
 *
 * <p>A span that starts is announced to Loupe's listeners at once, so that a test sees it among the open observations
 * and waits for it to end. Creating the first processor also lets OpenTelemetry's context carry Loupe's (see
 * {@code Context.taskWrapping}): a span begun in a task that OpenTelemetry carried to another thread belongs to the
 * test that submitted the task. Like Loupe's own tracer it never throws into the application: a failure is logged and
 * counted by the tracer's engine.
 */
public final class LoupeSpanProcessor implements SpanProcessor {

    private static final AttributeKey<String> LANGFUSE_TYPE = AttributeKey.stringKey(LANGFUSE_OBSERVATION_TYPE);
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey(GEN_AI_OPERATION_NAME);
    private static final AttributeKey<String> OPENINFERENCE_KIND = AttributeKey.stringKey(OPENINFERENCE_SPAN_KIND);
    private static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey(GEN_AI_REQUEST_MODEL);
    private static final AttributeKey<String> OPENINFERENCE_MODEL = AttributeKey.stringKey(LLM_MODEL_NAME);

    /** The tracer spans are recorded with, or null for the global one at the moment each span starts or ends. */
    private final Tracer tracer;
    private final SdkSpans spans = new SdkSpans();

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
            boolean hasModel = span.getAttribute(REQUEST_MODEL) != null || span.getAttribute(OPENINFERENCE_MODEL) != null;
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

    /** Records the ended span as an observation, its trace when it is a root, and its evaluations as scores. */
    @Override
    public void onEnd(ReadableSpan span) {
        Tracer target = tracer();
        if (!target.isEnabled() || !span.getSpanContext().isSampled()) {
            return;
        }
        try {
            List<PipelineRecord> records = SpanMapping.records(spans.view(span.toSpanData()));
            for (PipelineRecord record : records) {
                target.record(record);
            }
        } catch (RuntimeException | LinkageError failure) {
            failed(target.engine(), "recording OpenTelemetry span '" + span.getName() + "'", failure);
        }
    }

    /** Returns true: ended spans are recorded. */
    @Override
    public boolean isEndRequired() {
        return true;
    }

    /** Waits until every span recorded so far is written. */
    @Override
    public CompletableResultCode forceFlush() {
        return tracer().flush() ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
    }

    /** Flushes; the tracer stays open, since it is Loupe's and may record other things. */
    @Override
    public CompletableResultCode shutdown() {
        return forceFlush();
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
