package dev.loupe.opentelemetry;

import dev.loupe.trace.TraceContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets OpenTelemetry's context carry Loupe's: the context an OpenTelemetry wrapper captures ({@code
 * Context.taskWrapping}, {@code Context.current().wrap(task)}, the Java agent's instrumented executors) holds the Loupe
 * {@link TraceContext} current at that moment, and makes it current again where the task runs. A span begun in such
 * a task therefore belongs to the test that submitted it, and Loupe's own observations nest as they would on the
 * submitting thread.
 */
final class LoupeContextStorage implements ContextStorage {

    private static final Logger LOG = LoggerFactory.getLogger(LoupeContextStorage.class);
    private static final ContextKey<TraceContext> LOUPE_CONTEXT = ContextKey.named("loupe.trace-context");
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private final ContextStorage delegate;

    private LoupeContextStorage(ContextStorage delegate) {
        this.delegate = delegate;
    }

    /**
     * Wraps OpenTelemetry's context storage, once per JVM. OpenTelemetry accepts a wrapper only until its context is
     * first used; when that has happened already, the capture still works, attributing by trace, and a warning says
     * how to carry Loupe's context through OpenTelemetry's wrappers too.
     */
    static void install() {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        try {
            ContextStorage.addWrapper(LoupeContextStorage::new);
            if (!(ContextStorage.get() instanceof LoupeContextStorage)) {
                LOG.warn("OpenTelemetry's context was used before Loupe's span processor was created, so tasks that "
                        + "OpenTelemetry's context wrappers carry to other threads do not carry Loupe's context: a "
                        + "trace begun there by such a task is attributed to a test only when it continues a span "
                        + "begun in the test. Create the LoupeSpanProcessor before the first span to change that.");
            }
        } catch (RuntimeException | LinkageError failure) {
            LOG.warn("Loupe could not wrap OpenTelemetry's context storage; spans are still recorded", failure);
        }
    }

    /** Returns OpenTelemetry's current context, carrying Loupe's current context when one is current. */
    @Override
    public Context current() {
        Context current = delegate.current();
        TraceContext loupe = TraceContext.current();
        if (loupe == TraceContext.empty()) {
            return current;
        }
        if (current == null) {
            current = delegate.root();
        }
        return current.get(LOUPE_CONTEXT) == loupe ? current : current.with(LOUPE_CONTEXT, loupe);
    }

    /** Attaches the context, and makes the Loupe context it carries current until the scope closes. */
    @Override
    public Scope attach(Context toAttach) {
        Scope scope = delegate.attach(toAttach);
        TraceContext carried = toAttach == null ? null : toAttach.get(LOUPE_CONTEXT);
        if (carried == null || carried == TraceContext.current()) {
            return scope;
        }
        dev.loupe.trace.Scope loupe = carried.makeCurrent();
        return () -> {
            loupe.close();
            scope.close();
        };
    }

    /** Returns the delegate's root context. */
    @Override
    public Context root() {
        return delegate.root();
    }
}
