package dev.loupe.trace;

/** Undoes {@link TraceContext#makeCurrent()} when closed: the context that was current before is current again. */
@FunctionalInterface
public interface Scope extends AutoCloseable {

    /** Restores the previous context on this thread. */
    @Override
    void close();
}
