package dev.loupe.trace;

import dev.loupe.trace.spi.ObservationRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A handle on an observation being recorded: set its input, output, metadata and level, score it, and end it.
 * Setters are chained and safe to call from any thread; none of them ever throws, and after {@link #end()} they
 * change nothing.
 *
 * <p>A handle is also what is current in the {@link TraceContext}: observations started while it is current nest
 * under it.
 *
 * @param <S> the handle type, returned for chaining
 */
public abstract sealed class ObservationHandle<S extends ObservationHandle<S>> extends Scorable<S>
        implements AutoCloseable permits Span, Generation, RootSpan {

    private static final int MAX_STACK_TRACE_CHARS = 4_000;

    final Tracer tracer;
    final TraceState trace;
    private final String id;
    private final String parentId;
    private final ObservationType type;
    private final Instant startTime;
    private final TraceContext context;
    private TraceContext previous;
    /** The {@link Observe @Observe} method whose call this observation records, if any. */
    ObservedMethod observedBy;
    /** Set while a proxy's observation of a call waits for the call to reach the woven method (same thread). */
    boolean awaitingWovenCall;

    private String name;
    private Object input;
    private Object output;
    private boolean outputSet;
    private Map<String, Object> metadata;
    private ObservationLevel level;
    private String statusMessage;
    private String version;
    private boolean ended;

    // Model calls (generations and embeddings) only; set through Generation.
    String model;
    Object modelParameters;
    Usage usage;
    Cost cost;
    Instant completionStartTime;
    String promptName;
    Integer promptVersion;

    /** Creates a handle that records nothing, for a disabled tracer. */
    ObservationHandle(ObservationType type) {
        this.tracer = null;
        this.trace = null;
        this.id = null;
        this.parentId = null;
        this.type = type;
        this.startTime = null;
        this.context = TraceContext.empty();
        this.ended = true;
    }

    ObservationHandle(Tracer tracer, TraceState trace, String id, String parentId, ObservationType type, String name,
            Instant startTime, TraceContext parentContext) {
        this.tracer = tracer;
        this.trace = trace;
        this.id = id;
        this.parentId = parentId;
        this.type = type;
        this.name = name;
        this.startTime = startTime;
        this.context = parentContext.withObservation(this);
    }

    @SuppressWarnings("unchecked")
    final S self() {
        return (S) this;
    }

    /** Makes this observation current on the calling thread until it ends. */
    final void attach() {
        previous = TraceContext.swap(context);
    }

    /** Makes the context that was current before this observation started current again, on this thread. */
    final void restorePrevious() {
        if (tracer != null) {
            TraceContext.restore(previous);
        }
    }

    /** Returns whether this handle records anything: false for a disabled tracer and after {@link #end()}. */
    public final synchronized boolean isRecording() {
        return !ended;
    }

    /** Returns the observation id, or null when the tracer is disabled. */
    public final String id() {
        return id;
    }

    /** Returns the id of the trace this observation belongs to, or null when the tracer is disabled. */
    public final String traceId() {
        return trace == null ? null : trace.id;
    }

    /** Returns the id of the observation this one is nested in, or null at the top of the trace. */
    public final String parentObservationId() {
        return parentId;
    }

    /** Returns the observation type. */
    public final ObservationType type() {
        return type;
    }

    /** Returns the observation name. */
    public final synchronized String name() {
        return name;
    }

    /** Returns when the observation started, or null when the tracer is disabled. */
    public final Instant startTime() {
        return startTime;
    }

    /**
     * Returns the context in which this observation is current, to carry it to other threads: for example
     * {@code executor.submit(span.context().wrap(task))}.
     */
    public final TraceContext context() {
        return context;
    }

    /** Renames the observation. */
    public final S name(String newName) {
        synchronized (this) {
            if (!ended && newName != null) {
                name = newName;
            }
        }
        return self();
    }

    /**
     * Sets the input: any object, serialized to JSON as it is now (later changes to the object do not change the
     * trace).
     */
    public final S input(Object value) {
        Object captured = capture(value);
        synchronized (this) {
            if (!ended) {
                input = captured;
            }
        }
        return self();
    }

    /** Sets the output: any object, serialized to JSON as it is now. */
    public final S output(Object value) {
        Object captured = capture(value);
        synchronized (this) {
            if (!ended) {
                output = captured;
                outputSet = true;
            }
        }
        return self();
    }

    /** Adds one metadata entry; its value is any object, serialized to JSON as it is now. */
    public final S metadata(String key, Object value) {
        if (key == null) {
            return self();
        }
        Object captured = capture(value);
        synchronized (this) {
            if (!ended) {
                if (metadata == null) {
                    metadata = new LinkedHashMap<>();
                }
                metadata.put(key, captured);
            }
        }
        return self();
    }

    /** Adds all entries of the map to the metadata. */
    public final S metadata(Map<String, ?> entries) {
        if (entries != null) {
            entries.forEach(this::metadata);
        }
        return self();
    }

    /** Sets the level; {@link ObservationLevel#ERROR} marks the observation as failed. */
    public final S level(ObservationLevel newLevel) {
        synchronized (this) {
            if (!ended && newLevel != null) {
                level = newLevel;
            }
        }
        return self();
    }

    /** Sets the status message: what went wrong, or what else to know about the outcome. */
    public final S statusMessage(String message) {
        synchronized (this) {
            if (!ended) {
                statusMessage = message;
            }
        }
        return self();
    }

    /** Sets the version of the code this observation traces. */
    public final S version(String newVersion) {
        synchronized (this) {
            if (!ended) {
                version = newVersion;
            }
        }
        return self();
    }

    /**
     * Records a failure: level ERROR, the exception's message as status message, and its type and stack trace as
     * metadata ({@code exception.type}, {@code exception.stacktrace}). Callback-style observations do this by
     * themselves for exceptions that escape them.
     */
    public final S error(Throwable failure) {
        if (failure == null || tracer == null) {
            return self();
        }
        String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getName();
        metadata("exception.type", failure.getClass().getName());
        metadata("exception.stacktrace", stackTrace(failure));
        return level(ObservationLevel.ERROR).statusMessage(message);
    }

    /** Records an event (a point in time, no duration) nested under this observation. */
    public final S event(String eventName, Object eventInput) {
        if (tracer != null) {
            tracer.recordEvent(context, eventName, eventInput);
        }
        return self();
    }

    /** Ends the observation now and exports it. Calling it again changes nothing. */
    public final void end() {
        if (tracer == null) {
            return;
        }
        try {
            Instant endTime = tracer.now(trace);
            ObservationRecord record;
            Object finalInput;
            Object finalOutput;
            String finalName;
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                record = new ObservationRecord(id, trace.id, parentId, type, name, startTime,
                        type == ObservationType.EVENT ? startTime : endTime, completionStartTime, input, output,
                        metadata == null ? Map.of() : TraceState.copy(metadata), level, statusMessage, version,
                        model, modelParameters, usage, cost, promptName, promptVersion);
                finalInput = input;
                finalOutput = output;
                finalName = name;
            }
            if (TraceContext.isCurrent(context)) {
                TraceContext.restore(previous);
            }
            tracer.enqueue(record);
            if (trace.isRoot(id)) {
                trace.rootEnded(finalName, finalInput, finalOutput);
            }
        } catch (RuntimeException | Error failure) {
            tracer.internalError("ending observation '" + name + "'", failure);
        }
    }

    /** Ends the observation; the same as {@link #end()}, for try-with-resources. */
    @Override
    public final void close() {
        end();
    }

    /**
     * Sets the output to the callback's result unless an output was set explicitly. A Loupe handle returned by
     * accident (a lambda ending in a chained setter, such as {@code root -> root.userId("u")}) is not an output.
     */
    final void outputIfAbsent(Object result) {
        if (result == null || tracer == null || result instanceof Scorable<?>) {
            return;
        }
        Object captured = capture(result);
        synchronized (this) {
            if (!outputSet && !ended) {
                output = captured;
                outputSet = true;
            }
        }
    }

    final Object capture(Object value) {
        return tracer == null ? null : tracer.capture(value);
    }

    /** Applies a change to the model-call fields under the lock, unless ended. */
    final S modelCall(java.util.function.Consumer<ObservationHandle<S>> change) {
        synchronized (this) {
            if (!ended) {
                change.accept(this);
            }
        }
        return self();
    }

    @Override
    S addScore(String scoreName, Object value, String comment) {
        if (tracer != null) {
            tracer.recordScore(trace.id, scoreTarget(), null, scoreName, value, comment);
        }
        return self();
    }

    /** Returns the observation id that scores of this handle judge; null means the trace as a whole. */
    String scoreTarget() {
        return id;
    }

    private static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        String trace = text.toString();
        return trace.length() <= MAX_STACK_TRACE_CHARS ? trace : trace.substring(0, MAX_STACK_TRACE_CHARS) + "…";
    }

    /** Returns the type, name and id, for debugging. */
    @Override
    public String toString() {
        return type + " " + name + " [" + id + "]";
    }
}
