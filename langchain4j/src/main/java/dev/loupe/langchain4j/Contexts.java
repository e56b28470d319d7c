package dev.loupe.langchain4j;

import dev.loupe.trace.ObservationHandle;
import dev.loupe.trace.TraceContext;
import java.util.function.Supplier;

/** Starts observations under a parent that need not be current on this thread, and leaves the thread as it was. */
final class Contexts {

    private Contexts() {
    }

    /**
     * Starts an observation nested under the parent context and returns it without making it current: LangChain4j
     * may end it on another thread, and nothing the application does next on this thread belongs under it.
     */
    static <H extends ObservationHandle<H>> H startUnder(TraceContext parent, Supplier<H> start) {
        TraceContext before = TraceContext.current();
        parent.makeCurrent();
        try {
            return start.get();
        } finally {
            before.makeCurrent();
        }
    }
}
