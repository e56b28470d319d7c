package dev.loupe.trace;

import java.time.Instant;

/**
 * A handle on an observation that is not a model call: a span, a tool call, an agent, a chain, a retriever, an
 * evaluator, a guardrail or an event.
 */
public final class Span extends ObservationHandle<Span> {

    static final Span NOOP = new Span(ObservationType.SPAN);

    private Span(ObservationType type) {
        super(type);
    }

    Span(Tracer tracer, TraceState trace, String id, String parentId, ObservationType type, String name,
            Instant startTime, TraceContext parentContext) {
        super(tracer, trace, id, parentId, type, name, startTime, parentContext);
    }
}
