package dev.loupe;

import dev.loupe.trace.Tracer;
import dev.loupe.trace.spi.EngineProvider;
import java.util.Iterator;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global entry point: {@code Loupe.tracer()} returns the tracer that application code uses when nothing is
 * injected. It is created on first use by the engine on the class path ({@code loupe-store} writes to
 * {@code ~/.loupe/store} by default, configured by system properties and environment variables); with no engine on the
 * class path, or with {@code loupe.enabled=false}, it is the no-op tracer, which records nothing and costs next to
 * nothing.
 */
public final class Loupe {

    private static final Logger LOG = LoggerFactory.getLogger(Loupe.class);
    private static volatile Tracer global;

    private Loupe() {
    }

    /**
     * Returns the global tracer, creating it on first use. It never throws: when no engine is on the class path, the
     * settings are invalid or the engine cannot start, the reason is logged and the tracer is the no-op.
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
    public static synchronized Tracer initialize(Supplier<Tracer> supplier) {
        if (global == null) {
            global = supplier.get();
        }
        return global;
    }

    private static Tracer createFromEnvironment() {
        Optional<EngineProvider> provider = engineProvider();
        if (provider.isEmpty()) {
            LOG.debug("No Loupe engine on the class path: tracing is a no-op");
            return Tracer.noop();
        }
        try {
            return provider.get().createFromEnvironment().map(Tracer::create).orElse(Tracer.noop());
        } catch (RuntimeException | LinkageError failure) {
            LOG.error("Loupe tracing is off: {}", failure.getMessage(), failure);
            return Tracer.noop();
        }
    }

    /** Returns the first engine provider on the class path; a broken one is logged and skipped. */
    private static Optional<EngineProvider> engineProvider() {
        Iterator<EngineProvider> providers = ServiceLoader.load(EngineProvider.class, Loupe.class.getClassLoader())
                .iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    return Optional.empty();
                }
                return Optional.of(providers.next());
            } catch (ServiceConfigurationError broken) {
                LOG.error("Loupe skipped an engine that could not be loaded: {}", broken.getMessage(), broken);
            }
        }
    }
}
