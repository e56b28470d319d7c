package dev.loupe.internal;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Loupe's work at JVM exit in the right order: first every tracer drains its queue into its store, then the
 * databases close.
 *
 * <p>H2 closes its databases from a shutdown hook of its own, and the JVM starts all hooks at once, so H2 could close
 * a store while a tracer still drains into it. H2 offers {@code DB_CLOSE_ON_EXIT=FALSE} to prevent that, but not
 * together with {@code AUTO_SERVER}, which lets a devserver and a test JVM share a store. So Loupe takes H2's hook
 * over: it removes it once and runs it itself after the drains, which closes every H2 database of the JVM (Loupe's
 * and the application's) just as H2 would have.
 */
public final class ShutdownHooks {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownHooks.class);
    private static final Set<Runnable> DRAINS = new LinkedHashSet<>();
    private static Thread hook;
    private static Thread h2Closer;
    private static boolean h2TakenOver;

    private ShutdownHooks() {
    }

    /** Registers work to run at exit before the databases close; returns it for {@link #unregister}. */
    public static synchronized Runnable register(Runnable drain) {
        DRAINS.add(drain);
        ensureHook();
        return drain;
    }

    /** Removes work registered before, when it was done some other way (a tracer closed by the application). */
    public static synchronized void unregister(Runnable drain) {
        DRAINS.remove(drain);
    }

    /**
     * Takes over H2's shutdown hook so that it runs after the drains. Called after each store opens: H2 registers its
     * hook when it opens a database in this JVM, which a store connected to another process's server does not do.
     * Does nothing after the first success.
     */
    public static synchronized void takeOverH2() {
        if (h2TakenOver) {
            return;
        }
        try {
            Class<?> closer = Class.forName("org.h2.engine.OnExitDatabaseCloser");
            Field instance = closer.getDeclaredField("INSTANCE");
            instance.setAccessible(true);
            Thread h2Hook = (Thread) instance.get(null);
            if (Runtime.getRuntime().removeShutdownHook(h2Hook)) {
                h2Closer = h2Hook;
                h2TakenOver = true;
                ensureHook();
            }
        } catch (ReflectiveOperationException | RuntimeException failure) {
            h2TakenOver = true; // reflection will not work later either: warn once
            LOG.warn("Loupe could not order its shutdown before H2's ({}); records still queued when the JVM exits "
                    + "may be lost unless the tracer is closed first", failure.toString());
        }
    }

    private static void ensureHook() {
        if (hook == null) {
            hook = new Thread(ShutdownHooks::runAtExit, "loupe-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    private static void runAtExit() {
        List<Runnable> drains;
        Thread databases;
        synchronized (ShutdownHooks.class) {
            drains = new ArrayList<>(DRAINS);
            DRAINS.clear();
            databases = h2Closer;
        }
        for (Runnable drain : drains) {
            try {
                drain.run();
            } catch (RuntimeException | Error failure) {
                LOG.error("Loupe failed to drain at exit", failure);
            }
        }
        if (databases != null) {
            databases.run();
        }
    }
}
