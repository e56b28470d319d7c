package dev.loupe.junit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Where and whether a test class's traces are written, and what is printed on failure. Each setting comes from the
 * extension's builder, else from {@link CaptureTraces}, else from the configuration parameters
 * ({@code loupe.junit.store}, {@code loupe.junit.persist}, {@code loupe.junit.onFailure},
 * {@code loupe.junit.installAgent}), else from the default.
 *
 * @param store     the directory of the test store
 * @param persist   whether test runs and traces are written to it
 * @param onFailure    what is printed when a test fails
 * @param installAgent whether the Loupe agent is installed to weave {@code @Observe} methods
 */
record CaptureSettings(Path store, boolean persist, FailureOutput onFailure, boolean installAgent) {

    static final String STORE_KEY = "loupe.junit.store";
    static final String PERSIST_KEY = "loupe.junit.persist";
    static final String ON_FAILURE_KEY = "loupe.junit.onFailure";
    static final String INSTALL_AGENT_KEY = "loupe.junit.installAgent";

    /** Settings given in code through {@link TraceCapture#builder()}; null fields are not set. */
    record Overrides(Path store, Boolean persist, FailureOutput onFailure, Boolean installAgent) {
        static final Overrides NONE = new Overrides(null, null, null, null);
    }

    static CaptureSettings resolve(ExtensionContext context, Overrides overrides) {
        Optional<CaptureTraces> annotation = annotation(context);
        Path store = overrides.store();
        if (store == null) {
            store = annotation.map(CaptureTraces::store).filter(value -> !value.isBlank()).map(Paths::get)
                    .or(() -> context.getConfigurationParameter(STORE_KEY).filter(value -> !value.isBlank())
                            .map(Paths::get))
                    .orElseGet(CaptureSettings::defaultStore);
        }
        Boolean persist = overrides.persist();
        if (persist == null) {
            persist = annotation.map(CaptureTraces::persist).filter(value -> value != CaptureTraces.Persist.DEFAULT)
                    .map(value -> value == CaptureTraces.Persist.YES)
                    .orElseGet(() -> context.getConfigurationParameter(PERSIST_KEY)
                            .map(value -> parseBoolean(PERSIST_KEY, value)).orElse(true));
        }
        FailureOutput onFailure = overrides.onFailure();
        if (onFailure == null) {
            onFailure = annotation.flatMap(value -> onFailure(value, context))
                    .or(() -> context.getConfigurationParameter(ON_FAILURE_KEY).map(value -> {
                        try {
                            return FailureOutput.parse(value, "Configuration parameter " + ON_FAILURE_KEY);
                        } catch (RuntimeException invalid) {
                            throw new ExtensionConfigurationException(invalid.getMessage(), invalid);
                        }
                    }))
                    .orElse(FailureOutput.TREE);
        }
        Boolean installAgent = overrides.installAgent();
        if (installAgent == null) {
            installAgent = annotation.map(CaptureTraces::installAgent).orElse(false)
                    || context.getConfigurationParameter(INSTALL_AGENT_KEY)
                            .map(value -> parseBoolean(INSTALL_AGENT_KEY, value)).orElse(false);
        }
        return new CaptureSettings(store.toAbsolutePath().normalize(), persist, onFailure, installAgent);
    }

    private static Optional<FailureOutput> onFailure(CaptureTraces annotation, ExtensionContext context) {
        FailureOutput[] values = annotation.onFailure();
        if (values.length > 1) {
            throw new ExtensionConfigurationException("@CaptureTraces(onFailure = ...) on "
                    + context.getRequiredTestClass().getName() + " names " + values.length
                    + " outputs: give at most one");
        }
        return values.length == 0 ? Optional.empty() : Optional.of(values[0]);
    }

    /** Finds the annotation on the test class or, for {@code @Nested} classes, on an enclosing class. */
    private static Optional<CaptureTraces> annotation(ExtensionContext context) {
        for (Class<?> type = context.getTestClass().orElse(null); type != null; type = type.getEnclosingClass()) {
            CaptureTraces annotation = type.getAnnotation(CaptureTraces.class);
            if (annotation != null) {
                return Optional.of(annotation);
            }
        }
        return Optional.empty();
    }

    private static boolean parseBoolean(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ExtensionConfigurationException("Configuration parameter " + key + " is '" + value
                    + "': use true or false");
        };
    }

    /** {@code target/loupe} under Maven, {@code build/loupe} under Gradle (a build directory without target). */
    static Path defaultStore() {
        if (!Files.isDirectory(Paths.get("target")) && Files.isDirectory(Paths.get("build"))) {
            return Paths.get("build", "loupe");
        }
        return Paths.get("target", "loupe");
    }
}
