package dev.loupe;

import dev.loupe.trace.Tracer;
import dev.loupe.trace.TracerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global entry point: {@code Loupe.tracer()} returns the tracer that application code uses when nothing is
 * injected. It is created on first use from system properties and environment variables (see
 * {@link TracerBuilder}), and writes to {@code ~/.loupe/store} by default.
 */
public final class Loupe {

    private static final Logger LOG = LoggerFactory.getLogger(Loupe.class);
    private static volatile Tracer global;

    private Loupe() {
    }

    /**
     * Returns the global tracer, creating it on first use. It never throws: when the settings are invalid or the
     * store cannot be opened, the reason is logged and the tracer records for listeners only (or not at all).
     */
    public static Tracer tracer() {
        Tracer tracer = global;
        if (tracer == null) {
            synchronized (Loupe.class) {
                tracer = global;
                if (tracer == null) {
                    tracer = createFromEnvironment();
                    global = tracer;
                }
            }
        }
        return tracer;
    }

    /**
     * Replaces the global tracer, for example with one configured in code or in a test, and returns the one it
     * replaces (null if none was created yet). The caller owns the replaced tracer and closes it if needed.
     */
    public static synchronized Tracer setTracer(Tracer tracer) {
        Tracer previous = global;
        global = tracer;
        return previous;
    }

    /**
     * Creates the global tracer with this supplier unless one exists already, and returns the global tracer. Test
     * harnesses use it to choose where traces go before application code first asks for the tracer.
     */
    public static synchronized Tracer initialize(java.util.function.Supplier<Tracer> supplier) {
        if (global == null) {
            global = supplier.get();
        }
        return global;
    }

    private static Tracer createFromEnvironment() {
        TracerBuilder builder;
        try {
            builder = TracerBuilder.fromEnvironment();
        } catch (IllegalArgumentException invalid) {
            LOG.error("Loupe tracing is off: {}", invalid.getMessage());
            return Tracer.noop();
        }
        try {
            return builder.build();
        } catch (RuntimeException storeFailure) {
            LOG.error("Loupe could not open its store ({}); traces go to listeners only. Set loupe.store to "
                    + "another directory, 'memory' or 'none'.", storeFailure.getMessage(), storeFailure);
            return builder.withoutStore().build();
        }
    }
}
