package dev.loupe.trace.spi;

import java.util.Optional;

/**
 * Creates the engine of the global tracer ({@link dev.loupe.Loupe#tracer()}). Engines register an implementation as a
 * {@link java.util.ServiceLoader} service; with none on the class path, the global tracer is the no-op.
 */
public interface EngineProvider {

    /**
     * Returns an engine configured from system properties and environment variables, or empty when they switch
     * recording off.
     *
     * @throws IllegalArgumentException when a setting is invalid, naming it
     * @throws IllegalStateException    when the engine cannot start, saying why
     */
    Optional<Engine> createFromEnvironment();
}
