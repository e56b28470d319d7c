package dev.loupe.langchain4j;

import dev.loupe.trace.Tracer;
import dev.loupe.trace.spi.Engine;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where a failure inside the adapter goes: logged and counted by the engine, never thrown into LangChain4j. */
final class Failures {

    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private Failures() {
    }

    /** Reports a failure to the tracer the supplier gives, even when the supplier itself fails. */
    static void report(Supplier<Tracer> tracers, String what, Throwable failure) {
        Tracer tracer = null;
        try {
            tracer = tracers.get();
        } catch (RuntimeException | Error ignored) {
            // Logged below without an engine.
        }
        report(tracer, what, failure);
    }

    static void report(Tracer tracer, String what, Throwable failure) {
        try {
            Engine engine = tracer == null ? null : tracer.engine();
            if (engine != null) {
                engine.internalError("LangChain4j adapter: " + what, failure);
            } else {
                LOG.warn("Loupe's LangChain4j adapter failed {}; the application goes on", what, failure);
            }
        } catch (RuntimeException | Error ignored) {
            // Reporting must not fail the application either.
        }
    }
}
