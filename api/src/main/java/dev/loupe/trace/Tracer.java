package dev.loupe.trace;

import dev.loupe.trace.spi.Engine;
import dev.loupe.trace.spi.PipelineRecord;
import dev.loupe.trace.spi.RecordIds;
import dev.loupe.trace.spi.ScoreRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Records traces: one agent execution each, made of nested observations (spans, generations, tool calls, events
 * and the other {@link ObservationType}s) and scores.
 *
 * <p>In callback style, {@code tracer.span("name", span -> ...)} starts an observation nested under the current
 * one, makes it current while the callback runs, records the callback's result as output (unless one was set), marks
 * it ERROR when an exception escapes (the exception is passed on unchanged), and ends it. In manual style,
 * {@code try (Span span = tracer.startSpan("name")) { ... }} does the same with an explicit end.
 *
 * <p>Nothing in the tracing API throws into the application: a failure inside Loupe is logged and counted in
 * {@link #stats()}. A disabled tracer ({@link #noop()}) records nothing and costs next to nothing.
 */
public final class Tracer implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Tracer NOOP = new Tracer(null);
    private static final ExporterStats NO_STATS = new ExporterStats(0, 0, 0, 0, 0, 0, 0, 0);

    private final Engine engine;
    private final Clock clock;
    private final boolean systemClock;
    private final String release;
    private final String environment;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Tracer(Engine engine) {
        this.engine = engine;
        this.clock = engine == null ? Clock.systemUTC() : engine.clock();
        this.systemClock = clock.equals(Clock.systemUTC());
        this.release = engine == null ? null : engine.release();
        this.environment = engine == null ? null : engine.environment();
        if (engine == null) {
            closed.set(true);
        }
    }

    /**
     * Returns a tracer that hands what it records to this engine. Engines call it; applications get their tracer
     * from {@link dev.loupe.Loupe#tracer()} or from an engine's builder.
     */
    public static Tracer create(Engine engine) {
        return new Tracer(Objects.requireNonNull(engine, "engine"));
    }

    /** Returns the disabled tracer: it records nothing, touches no database, and runs callbacks as they are. */
    public static Tracer noop() {
        return NOOP;
    }

    /** Returns whether this tracer records anything. */
    public boolean isEnabled() {
        return engine != null;
    }

    /** Returns the engine this tracer hands its records to, or null for the no-op tracer. */
    public Engine engine() {
        return engine;
    }

    /**
     * Hands a record made elsewhere (by an adapter that captures another framework, say) to this tracer's engine,
     * the same pipeline the tracer's own records take. Never throws; does nothing on the no-op tracer.
     */
    public void record(PipelineRecord record) {
        if (engine != null && record != null) {
            try {
                engine.accept(record);
            } catch (RuntimeException | Error failure) {
                internalError("recording " + record.getClass().getSimpleName() + " of trace " + record.traceId(),
                        failure);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Callback style

    /**
     * Begins a new trace whose root observation is a span with this name, runs the body inside it and returns the
     * body's result. Always a new trace, even when called inside another one; values carried by the current
     * {@link TraceContext} are kept.
     */
    public <T, E extends Throwable> T trace(String name, ObservationBody<RootSpan, T, E> body) throws E {
        if (engine == null) {
            return body.apply(RootSpan.NOOP);
        }
        return run(startRoot(ObservationType.SPAN, name), body);
    }

    /** Begins a new trace, runs the work inside its root span, and ends it. */
    public <E extends Throwable> void trace(String name, ObservationAction<E> work) throws E {
        trace(name, root -> {
            work.run();
            return null;
        });
    }

    /** Records a span (generic work with a duration) around the body. */
    public <T, E extends Throwable> T span(String name, ObservationBody<Span, T, E> body) throws E {
        return observe(ObservationType.SPAN, name, body);
    }

    /** Records a span around the work. */
    public <E extends Throwable> void span(String name, ObservationAction<E> work) throws E {
        observe(ObservationType.SPAN, name, work);
    }

    /** Records a tool call around the body: set the arguments as input; the result becomes the output. */
    public <T, E extends Throwable> T tool(String name, ObservationBody<Span, T, E> body) throws E {
        return observe(ObservationType.TOOL, name, body);
    }

    /** Records a tool call around the work. */
    public <E extends Throwable> void tool(String name, ObservationAction<E> work) throws E {
        observe(ObservationType.TOOL, name, work);
    }

    /** Records an agent around the body. */
    public <T, E extends Throwable> T agent(String name, ObservationBody<Span, T, E> body) throws E {
        return observe(ObservationType.AGENT, name, body);
    }

    /** Records a retrieval step around the body. */
    public <T, E extends Throwable> T retriever(String name, ObservationBody<Span, T, E> body) throws E {
        return observe(ObservationType.RETRIEVER, name, body);
    }

    /** Records a chain around the body. */
    public <T, E extends Throwable> T chain(String name, ObservationBody<Span, T, E> body) throws E {
        return observe(ObservationType.CHAIN, name, body);
    }

    /** Records an evaluator around the body. */
    public <T, E extends Throwable> T evaluator(String name, ObservationBody<Span, T, E> body) throws E {
        return observe(ObservationType.EVALUATOR, name, body);
    }

    /** Records a guardrail around the body. */
    public <T, E extends Throwable> T guardrail(String name, ObservationBody<Span, T, E> body) throws E {
        return observe(ObservationType.GUARDRAIL, name, body);
    }

    /**
     * Records an observation of any type but the model calls around the body; use {@link #generation} and
     * {@link #embedding} for those, so the handle can record model, usage and cost.
     */
    public <T, E extends Throwable> T observe(ObservationType type, String name, ObservationBody<Span, T, E> body)
            throws E {
        if (engine == null) {
            return body.apply(Span.NOOP);
        }
        return run(startSpanOf(type, name), body);
    }

    /** Records an observation of the given type around the work. */
    public <E extends Throwable> void observe(ObservationType type, String name, ObservationAction<E> work) throws E {
        observe(type, name, span -> {
            work.run();
            return null;
        });
    }

    /** Records a generation (a language model call) around the body: set model, input, output and usage. */
    public <T, E extends Throwable> T generation(String name, ObservationBody<Generation, T, E> body) throws E {
        if (engine == null) {
            return body.apply(Generation.NOOP);
        }
        return run(startModelCall(ObservationType.GENERATION, name), body);
    }

    /** Records an embedding model call around the body. */
    public <T, E extends Throwable> T embedding(String name, ObservationBody<Generation, T, E> body) throws E {
        if (engine == null) {
            return body.apply(Generation.NOOP);
        }
        return run(startModelCall(ObservationType.EMBEDDING, name), body);
    }

    private <H extends ObservationHandle<H>, T, E extends Throwable> T run(H handle, ObservationBody<H, T, E> body)
            throws E {
        try {
            T result = body.apply(handle);
            handle.outputIfAbsent(result);
            return result;
        } catch (Throwable failure) {
            handle.error(failure);
            throw failure;
        } finally {
            handle.end();
            handle.restorePrevious();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Manual style

    /**
     * Begins a new trace and returns its root span, current on this thread until it ends. End it with
     * {@link RootSpan#end()} or try-with-resources, on the same thread.
     */
    public RootSpan startTrace(String name) {
        return engine == null ? RootSpan.NOOP : startRoot(ObservationType.SPAN, name);
    }

    /** Starts a span nested under the current observation; it is current on this thread until it ends. */
    public Span startSpan(String name) {
        return startObservation(ObservationType.SPAN, name);
    }

    /** Starts an observation of any type but the model calls; it is current on this thread until it ends. */
    public Span startObservation(ObservationType type, String name) {
        return engine == null ? Span.NOOP : startSpanOf(type, name);
    }

    /** Starts a generation nested under the current observation; it is current on this thread until it ends. */
    public Generation startGeneration(String name) {
        return engine == null ? Generation.NOOP : startModelCall(ObservationType.GENERATION, name);
    }

    /** Starts an embedding call nested under the current observation; it is current until it ends. */
    public Generation startEmbedding(String name) {
        return engine == null ? Generation.NOOP : startModelCall(ObservationType.EMBEDDING, name);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Events, current trace, scores

    /** Records an event (a point in time, no duration) nested under the current observation. */
    public void event(String name, Object input) {
        if (engine != null) {
            recordEvent(TraceContext.current(), name, input);
        }
    }

    /** Records an event nested under the current observation, configured by the callback (input, level...). */
    public void event(String name, Consumer<Span> configure) {
        if (engine == null) {
            return;
        }
        Span event = startEvent(TraceContext.current(), name);
        try {
            configure.accept(event);
        } catch (RuntimeException failure) {
            event.error(failure);
            event.end();
            throw failure;
        }
        event.end();
    }

    /** Returns the observation current on this thread, or a handle that records nothing when none is. */
    public ObservationHandle<?> currentObservation() {
        ObservationHandle<?> current = TraceContext.current().observation();
        return current != null && current.tracer == this ? current : Span.NOOP;
    }

    /**
     * Returns the trace the current observation belongs to, to set trace-level attributes (user, session, tags,
     * metadata...) from anywhere inside it; a handle that records nothing when no trace is current.
     */
    public TraceHandle currentTrace() {
        ObservationHandle<?> current = TraceContext.current().observation();
        return current != null && current.tracer == this ? new TraceHandle(this, current.trace) : TraceHandle.NOOP;
    }

    /**
     * Returns a handle on a trace by id, for updates and scores after it has ended, such as user feedback. Each
     * change is exported as an update that the store merges into the trace.
     */
    public TraceHandle traceById(String traceId) {
        if (engine == null || traceId == null) {
            return TraceHandle.NOOP;
        }
        return new TraceHandle(this, new TraceState(this, traceId, true));
    }

    /** Returns a handle to score a session (a conversation of several traces) as a whole. */
    public SessionHandle session(String sessionId) {
        return new SessionHandle(engine == null ? null : this, sessionId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Engine

    /** Returns what the engine has done so far: records exported, dropped and failed. */
    public ExporterStats stats() {
        return engine == null ? NO_STATS : engine.stats();
    }

    /**
     * Waits until every record handed to the engine before this call is written (durable, for a file store).
     * Returns false when that did not happen within 30 seconds.
     */
    public boolean flush() {
        return flush(CLOSE_TIMEOUT);
    }

    /** Waits at most the timeout until every record handed to the engine before this call is written. */
    public boolean flush(Duration timeout) {
        return engine == null || engine.flush(timeout);
    }

    /**
     * Writes what is queued and stops the engine, which closes what it opened (such as its store). Records handed
     * over afterwards are dropped and counted.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            engine.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals shared with the handles

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Returns the time in a trace. With the system clock, a trace reads the wall clock once, when it starts, and
     * measures from there with {@link System#nanoTime()}: cheaper than a wall-clock read per timestamp, and durations
     * inside a trace never go backwards when the wall clock is adjusted. An injected clock is read directly.
     */
    Instant now(TraceState trace) {
        return systemClock && trace != null ? trace.now() : now();
    }

    boolean usesSystemClock() {
        return systemClock;
    }

    String defaultRelease() {
        return release;
    }

    String defaultEnvironment() {
        return environment;
    }

    void enqueue(PipelineRecord record) {
        engine.accept(record);
    }

    void internalError(String what, Throwable failure) {
        if (engine != null) {
            try {
                engine.internalError(what, failure);
            } catch (RuntimeException | Error ignored) {
                // the engine could not even count it: nothing else to do without throwing into the application
            }
        }
    }

    /** Captures a payload through the engine; null when capturing failed (the failure is counted). */
    Object capture(Object value) {
        if (engine == null || value == null) {
            return null;
        }
        try {
            return engine.capture(value);
        } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError failure) {
            internalError("capturing a payload of type " + value.getClass().getName(), failure);
            return null;
        }
    }

    void recordEvent(TraceContext parent, String name, Object input) {
        try {
            startEvent(parent, name).input(input).end();
        } catch (RuntimeException failure) {
            internalError("recording event '" + name + "'", failure);
        }
    }

    void recordScore(String traceId, String observationId, String sessionId, String name, Object value,
            String comment) {
        try {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a score needs a name, such as 'helpfulness'; got '" + name + "'");
            }
            if (value instanceof Double number && !Double.isFinite(number)) {
                throw new IllegalArgumentException("score '" + name + "' has the value " + number
                        + ": numeric scores must be finite numbers");
            }
            engine.accept(new ScoreRecord(RecordIds.traceId(), traceId, observationId, sessionId, name, value, comment,
                    now()));
        } catch (RuntimeException failure) {
            internalError("recording score '" + name + "'", failure);
        }
    }

    private Span startEvent(TraceContext parent, String name) {
        ObservationHandle<?> parentObservation = parentOf(parent);
        TraceState trace = parentObservation == null ? new TraceState(this, RecordIds.traceId(), false)
                : parentObservation.trace;
        String parentId = parentObservation == null ? null : parentObservation.id();
        Span event = new Span(this, trace, RecordIds.observationId(), parentId, ObservationType.EVENT, name, now(trace),
                parent);
        started(event, trace, parentId, parent);
        return event;
    }

    private RootSpan startRoot(ObservationType type, String name) {
        try {
            TraceContext parent = TraceContext.current();
            TraceState trace = new TraceState(this, RecordIds.traceId(), false);
            RootSpan root = new RootSpan(this, trace, RecordIds.observationId(), type, name, now(trace), parent);
            started(root, trace, null, parent);
            root.attach();
            return root;
        } catch (RuntimeException failure) {
            internalError("starting trace '" + name + "'", failure);
            return RootSpan.NOOP;
        }
    }

    private Span startSpanOf(ObservationType type, String name) {
        try {
            if (type == null) {
                type = ObservationType.SPAN;
            }
            TraceContext parent = TraceContext.current();
            ObservationHandle<?> parentObservation = parentOf(parent);
            TraceState trace = parentObservation == null ? new TraceState(this, RecordIds.traceId(), false)
                    : parentObservation.trace;
            String parentId = parentObservation == null ? null : parentObservation.id();
            Span span = new Span(this, trace, RecordIds.observationId(), parentId, type, name, now(trace), parent);
            started(span, trace, parentId, parent);
            span.attach();
            return span;
        } catch (RuntimeException failure) {
            internalError("starting observation '" + name + "'", failure);
            return Span.NOOP;
        }
    }

    private Generation startModelCall(ObservationType type, String name) {
        try {
            TraceContext parent = TraceContext.current();
            ObservationHandle<?> parentObservation = parentOf(parent);
            TraceState trace = parentObservation == null ? new TraceState(this, RecordIds.traceId(), false)
                    : parentObservation.trace;
            String parentId = parentObservation == null ? null : parentObservation.id();
            Generation generation = new Generation(this, trace, RecordIds.observationId(), parentId, type, name, now(trace),
                    parent);
            started(generation, trace, parentId, parent);
            generation.attach();
            return generation;
        } catch (RuntimeException failure) {
            internalError("starting generation '" + name + "'", failure);
            return Generation.NOOP;
        }
    }

    /** Returns the current observation if it is this tracer's; another tracer's observation starts a new trace. */
    private ObservationHandle<?> parentOf(TraceContext context) {
        ObservationHandle<?> current = context.observation();
        return current != null && current.tracer == this ? current : null;
    }

    private void started(ObservationHandle<?> handle, TraceState trace, String parentId, TraceContext parent) {
        if (parentId == null) {
            trace.root(handle.id(), handle.name(), handle.startTime());
        }
        if (engine.observesStarts()) {
            engine.started(new StartedObservation(trace.id, handle.id(), parentId, handle.type(), handle.name(),
                    handle.startTime(), parent));
        }
    }
}
