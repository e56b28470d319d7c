package dev.loupe.trace;

import java.time.Instant;
import java.util.Map;

/**
 * The handle on the root observation of a trace begun with {@link Tracer#trace}: a span that also sets the
 * trace-level attributes (user, session, tags, metadata, release, version, environment). Its input and output are
 * the trace's, and its scores judge the whole trace.
 */
public final class RootSpan extends ObservationHandle<RootSpan> {

    static final RootSpan NOOP = new RootSpan();

    private RootSpan() {
        super(ObservationType.SPAN);
    }

    RootSpan(Tracer tracer, TraceState trace, String id, ObservationType type, String name, Instant startTime,
            TraceContext parentContext) {
        super(tracer, trace, id, null, type, name, startTime, parentContext);
    }

    /** Returns the handle on the trace's attributes, to pass around or to use after this span has ended. */
    public TraceHandle trace() {
        return trace == null ? TraceHandle.NOOP : new TraceHandle(tracer, trace);
    }

    /** Sets the id of the user the trace runs for. */
    public RootSpan userId(String userId) {
        trace().userId(userId);
        return this;
    }

    /** Sets the session (conversation) the trace belongs to. */
    public RootSpan sessionId(String sessionId) {
        trace().sessionId(sessionId);
        return this;
    }

    /** Adds tags to the trace. */
    public RootSpan tags(String... tags) {
        trace().tags(tags);
        return this;
    }

    /** Adds one trace-level metadata entry. */
    public RootSpan traceMetadata(String key, Object value) {
        trace().metadata(key, value);
        return this;
    }

    /** Adds trace-level metadata entries. */
    public RootSpan traceMetadata(Map<String, ?> entries) {
        trace().metadata(entries);
        return this;
    }

    /** Sets the release of the application. */
    public RootSpan release(String release) {
        trace().release(release);
        return this;
    }

    /** Sets the environment, such as {@code production} or {@code test}. */
    public RootSpan environment(String environment) {
        trace().environment(environment);
        return this;
    }

    /** Scores of the root judge the whole trace. */
    @Override
    String scoreTarget() {
        return null;
    }
}
