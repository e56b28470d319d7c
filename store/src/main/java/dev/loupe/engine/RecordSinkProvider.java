package dev.loupe.engine;

import java.util.List;
import java.util.function.Function;

/**
 * Makes a {@link RecordSink} from settings, for {@link TracerBuilder#fromEnvironment()}: the setting
 * {@code loupe.export} (environment variable {@code LOUPE_EXPORT}) names the sinks to add, and the provider of each
 * name is found with {@link java.util.ServiceLoader}. {@code loupe-opentelemetry} provides {@code otlp} and
 * {@code langfuse}.
 */
public interface RecordSinkProvider {

    /** Returns the names that select this provider in {@code loupe.export}, in lower case. */
    List<String> names();

    /**
     * Returns the sink that the settings describe.
     *
     * @param name     the name it was selected by, one of {@link #names()}
     * @param settings looks a setting up by its system property name, such as {@code langfuse.base.url}; a system
     *                 property wins over the environment variable of the same name in upper case
     *                 ({@code LANGFUSE_BASE_URL}); returns null when neither is set
     * @throws IllegalArgumentException naming the setting when one is missing or invalid
     */
    RecordSink create(String name, Function<String, String> settings);
}
