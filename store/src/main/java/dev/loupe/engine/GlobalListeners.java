package dev.loupe.engine;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Listeners that every Loupe engine of this JVM notifies, whichever tracer records: a test harness registers here
 * so that it sees traces of the global tracer, of a tracer set later with {@code Loupe.setTracer}, and of tracers an
 * application builds for itself. The one JVM-wide registry of the engine; listeners are removed by whoever added
 * them.
 */
public final class GlobalListeners {

    private static final List<ExportListener> LISTENERS = new CopyOnWriteArrayList<>();

    private GlobalListeners() {
    }

    /** Adds a listener that every engine of this JVM notifies from now on. */
    public static void add(ExportListener listener) {
        LISTENERS.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added before. */
    public static void remove(ExportListener listener) {
        LISTENERS.remove(listener);
    }

    static boolean any() {
        return !LISTENERS.isEmpty();
    }

    static List<ExportListener> all() {
        return LISTENERS;
    }
}
