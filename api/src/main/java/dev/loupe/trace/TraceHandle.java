package dev.loupe.trace;

import java.util.Map;

/**
 * Sets the attributes of a trace from anywhere inside it ({@link Tracer#currentTrace()}), or of a trace that has
 * already ended ({@link Tracer#traceById(String)}), and scores it. Setters never throw; on a trace that has ended,
 * each one exports an update that the store merges.
 */
public final class TraceHandle extends Scorable<TraceHandle> {

    static final TraceHandle NOOP = new TraceHandle(null, null);

    private final Tracer tracer;
    private final TraceState state;

    TraceHandle(Tracer tracer, TraceState state) {
        this.tracer = tracer;
        this.state = state;
    }

    /** Returns the trace id, or null when there is no trace (nothing is current, or the tracer is disabled). */
    public String id() {
        return state == null ? null : state.id;
    }

    /** Returns whether this handle records anything. */
    public boolean isRecording() {
        return state != null;
    }

    private TraceHandle change(java.util.function.Consumer<TraceState> change) {
        if (state != null) {
            try {
                state.update(change);
            } catch (RuntimeException failure) {
                tracer.internalError("updating trace " + state.id, failure);
            }
        }
        return this;
    }

    private Object capture(Object value) {
        return tracer.capture(value);
    }

    /** Renames the trace (by default it has the name of its root observation). */
    public TraceHandle name(String name) {
        return change(trace -> trace.name(name));
    }

    /** Sets the trace's input (by default the input of its root observation). */
    public TraceHandle input(Object input) {
        if (state == null) {
            return this;
        }
        Object captured = capture(input);
        return change(trace -> trace.input(captured));
    }

    /** Sets the trace's output (by default the output of its root observation). */
    public TraceHandle output(Object output) {
        if (state == null) {
            return this;
        }
        Object captured = capture(output);
        return change(trace -> trace.output(captured));
    }

    /** Sets the id of the user the trace runs for. */
    public TraceHandle userId(String userId) {
        return change(trace -> trace.userId(userId));
    }

    /** Sets the session (conversation) the trace belongs to. */
    public TraceHandle sessionId(String sessionId) {
        return change(trace -> trace.sessionId(sessionId));
    }

    /** Adds tags. */
    public TraceHandle tags(String... tags) {
        return tags == null ? this : change(trace -> trace.tags(tags));
    }

    /** Adds one metadata entry. */
    public TraceHandle metadata(String key, Object value) {
        if (state == null || key == null) {
            return this;
        }
        Object captured = capture(value);
        return change(trace -> trace.metadata(key, captured));
    }

    /** Adds metadata entries. */
    public TraceHandle metadata(Map<String, ?> entries) {
        if (entries != null) {
            entries.forEach(this::metadata);
        }
        return this;
    }

    /** Sets the release of the application. */
    public TraceHandle release(String release) {
        return change(trace -> trace.release(release));
    }

    /** Sets the version of the traced code. */
    public TraceHandle version(String version) {
        return change(trace -> trace.version(version));
    }

    /** Sets the environment, such as {@code production} or {@code test}. */
    public TraceHandle environment(String environment) {
        return change(trace -> trace.environment(environment));
    }

    @Override
    TraceHandle addScore(String name, Object value, String comment) {
        if (state != null) {
            tracer.recordScore(state.id, null, null, name, value, comment);
        }
        return this;
    }
}
