package dev.loupe.engine;

import dev.loupe.trace.Tracer;
import dev.loupe.trace.spi.Engine;
import dev.loupe.trace.spi.EngineProvider;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code Loupe.tracer()} record into the local store when {@code loupe-store} is on the class path: the
 * {@link java.util.ServiceLoader} service behind the global tracer.
 */
public final class LocalEngineProvider implements EngineProvider {

    private static final Logger LOG = LoggerFactory.getLogger(LocalEngineProvider.class);

    /** Creates the provider; {@link java.util.ServiceLoader} calls it. */
    public LocalEngineProvider() {
    }

    /**
     * Returns the engine that the settings in system properties and environment variables describe; when its store
     * cannot be opened, the reason is logged and the engine records for listeners only.
     */
    @Override
    public Optional<Engine> createFromEnvironment() {
        TracerBuilder builder = TracerBuilder.fromEnvironment();
        if (!builder.enabled) {
            return Optional.empty();
        }
        Tracer tracer;
        try {
            tracer = builder.build();
        } catch (RuntimeException storeFailure) {
            LOG.error("Loupe could not open its store ({}); traces go to listeners only. Set loupe.store to "
                    + "another directory, 'memory' or 'none'.", storeFailure.getMessage(), storeFailure);
            tracer = builder.withoutStore().build();
        }
        return Optional.ofNullable(tracer.engine());
    }
}
