package dev.loupe.langchain4j;

import dev.loupe.trace.Generation;
import dev.loupe.trace.Span;
import dev.loupe.trace.TraceContext;
import dev.loupe.trace.Tracer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One AI service invocation being recorded: its AGENT observation, the context its children nest under (whatever
 * thread LangChain4j reports them on), the model request in flight, and the time of its last event, where a tool
 * execution reported afterwards began.
 */
final class Invocation {

    final Tracer tracer;
    final Span agent;
    final TraceContext context;
    private final Instant start;
    private final long startNanos;
    private long lastEventNanos;
    private Generation generation;

    Invocation(Tracer tracer, Span agent) {
        this.tracer = tracer;
        this.agent = agent;
        this.context = agent.context();
        this.startNanos = System.nanoTime();
        Instant started = agent.startTime();
        this.start = started != null ? started : Instant.now();
        this.lastEventNanos = startNanos;
    }

    /** Returns the time now on the trace's time line: its start plus the time measured since. */
    Instant now() {
        return at(System.nanoTime());
    }

    private Instant at(long nanos) {
        return start.plusNanos(nanos - startNanos).truncatedTo(ChronoUnit.MICROS);
    }

    /** Returns when the previous event happened and makes now the time of the last one. */
    synchronized Instant sinceLastEvent() {
        long previous = lastEventNanos;
        lastEventNanos = System.nanoTime();
        return at(previous);
    }

    /** Marks now as the time of the last event. */
    synchronized void event() {
        lastEventNanos = System.nanoTime();
    }

    /** Sets the model request in flight and returns the previous one, which never got a response. */
    synchronized Generation generation(Generation next) {
        Generation previous = generation;
        generation = next;
        return previous;
    }

    /** Returns the model request in flight, or null, and forgets it. */
    synchronized Generation takeGeneration() {
        Generation taken = generation;
        generation = null;
        return taken;
    }
}
