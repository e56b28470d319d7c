package dev.loupe.trace;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What is current on a thread: the observation that new observations nest under, and any values carried with it
 * (see {@link ContextKey}). Immutable.
 *
 * <p>Each thread has its own current context. To continue a trace on another thread, carry the context there:
 * wrap a task ({@link #wrap(Runnable)}), an executor ({@link #propagating(ExecutorService)}), or start a
 * {@link CompletableFuture} with {@link #supplyAsync(Supplier, Executor)}. Parallel branches each nest under the
 * observation that was current when their task was wrapped.
 */
public final class TraceContext {

    private static final TraceContext EMPTY = new TraceContext(null, Map.of());
    /**
     * Each thread's current context, in a holder whose field is written on every switch: a ThreadLocal's own
     * {@code set} and {@code remove} cost far more, and switches happen twice per observation.
     */
    private static final ThreadLocal<Holder> CURRENT = new InheritableThreadLocal<>() {
        @Override
        protected Holder initialValue() {
            return new Holder();
        }

        /** A new thread starts with the inheritable values of its creator's context, never its observation. */
        @Override
        protected Holder childValue(Holder parent) {
            Holder child = new Holder();
            child.context = parent.context == null ? null : parent.context.inheritedPart();
            return child;
        }
    };

    private final ObservationHandle<?> observation;
    private final Map<ContextKey<?>, Object> values;

    private TraceContext(ObservationHandle<?> observation, Map<ContextKey<?>, Object> values) {
        this.observation = observation;
        this.values = values;
    }

    /** Returns the context current on this thread; an empty one when nothing is current. */
    public static TraceContext current() {
        TraceContext context = CURRENT.get().context;
        return context == null ? EMPTY : context;
    }

    /** Returns the context with no observation and no values. */
    public static TraceContext empty() {
        return EMPTY;
    }

    /** Returns the observation new observations nest under, or null when none is current. */
    ObservationHandle<?> observation() {
        return observation;
    }

    /** Returns the value carried under this key, or null. */
    @SuppressWarnings("unchecked")
    public <T> T get(ContextKey<T> key) {
        return (T) values.get(key);
    }

    /** Returns a context that carries the value under the key in addition to everything this one carries. */
    public <T> TraceContext with(ContextKey<T> key, T value) {
        Map<ContextKey<?>, Object> copy = new IdentityHashMap<>(values);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return new TraceContext(observation, Map.copyOf(copy));
    }

    /** Returns the values of inheritable keys alone, or null when there are none. */
    private TraceContext inheritedPart() {
        if (values.isEmpty()) {
            return null;
        }
        Map<ContextKey<?>, Object> inherited = new IdentityHashMap<>();
        values.forEach((key, value) -> {
            if (key.isInheritable()) {
                inherited.put(key, value);
            }
        });
        return inherited.isEmpty() ? null : new TraceContext(null, Map.copyOf(inherited));
    }

    TraceContext withObservation(ObservationHandle<?> current) {
        return new TraceContext(current, values);
    }

    /** Returns the id of the trace the current observation belongs to, or null. */
    public String traceId() {
        return observation == null ? null : observation.traceId();
    }

    /** Returns the id of the current observation, or null. */
    public String observationId() {
        return observation == null ? null : observation.id();
    }

    /** Makes this context current on this thread until the returned scope is closed. */
    public Scope makeCurrent() {
        Holder holder = CURRENT.get();
        TraceContext previous = holder.context;
        if (previous == this) {
            return () -> { };
        }
        holder.context = this;
        return () -> restore(previous);
    }

    static void restore(TraceContext previous) {
        CURRENT.get().context = previous == EMPTY ? null : previous;
    }

    static TraceContext swap(TraceContext next) {
        Holder holder = CURRENT.get();
        TraceContext previous = holder.context;
        holder.context = next;
        return previous;
    }

    static boolean isCurrent(TraceContext context) {
        return CURRENT.get().context == context;
    }

    /** Returns a task that runs with this context current. */
    public Runnable wrap(Runnable task) {
        return () -> {
            try (Scope ignored = makeCurrent()) {
                task.run();
            }
        };
    }

    /** Returns a task that runs with this context current. */
    public <T> Callable<T> wrap(Callable<T> task) {
        return () -> {
            try (Scope ignored = makeCurrent()) {
                return task.call();
            }
        };
    }

    /** Returns a supplier that runs with this context current. */
    public <T> Supplier<T> wrapSupplier(Supplier<T> supplier) {
        return () -> {
            try (Scope ignored = makeCurrent()) {
                return supplier.get();
            }
        };
    }

    /** Returns a function that runs with this context current, for {@code CompletableFuture} stages. */
    public <T, R> Function<T, R> wrapFunction(Function<T, R> function) {
        return value -> {
            try (Scope ignored = makeCurrent()) {
                return function.apply(value);
            }
        };
    }

    /** Returns an executor that runs every task with this context current, whoever submits it. */
    public Executor wrap(Executor executor) {
        return task -> executor.execute(wrap(task));
    }

    /**
     * Returns an executor that runs each task with the context that was current on the submitting thread when the
     * task was submitted. Use it for pools shared by many traces.
     */
    public static Executor propagating(Executor executor) {
        if (executor instanceof PropagatingExecutorService || executor instanceof PropagatingExecutor) {
            return executor;
        }
        return new PropagatingExecutor(executor);
    }

    /**
     * Returns an executor service that runs each task with the context that was current on the submitting thread
     * when the task was submitted. Shutting it down shuts down the wrapped service.
     */
    public static ExecutorService propagating(ExecutorService executor) {
        if (executor instanceof PropagatingExecutorService) {
            return executor;
        }
        return new PropagatingExecutorService(executor);
    }

    /** Starts an asynchronous computation on the common pool that runs with the current context. */
    public static <T> CompletableFuture<T> supplyAsync(Supplier<T> supplier) {
        return supplyAsync(supplier, ForkJoinPool.commonPool());
    }

    /** Starts an asynchronous computation on the executor that runs with the current context. */
    public static <T> CompletableFuture<T> supplyAsync(Supplier<T> supplier, Executor executor) {
        return CompletableFuture.supplyAsync(current().wrapSupplier(supplier), executor);
    }

    /** Starts an asynchronous task on the common pool that runs with the current context. */
    public static CompletableFuture<Void> runAsync(Runnable task) {
        return runAsync(task, ForkJoinPool.commonPool());
    }

    /** Starts an asynchronous task on the executor that runs with the current context. */
    public static CompletableFuture<Void> runAsync(Runnable task, Executor executor) {
        return CompletableFuture.runAsync(current().wrap(task), executor);
    }

    private record PropagatingExecutor(Executor delegate) implements Executor {
        @Override
        public void execute(Runnable task) {
            delegate.execute(current().wrap(task));
        }
    }

    /** A thread's current context; null when nothing is current. */
    private static final class Holder {
        TraceContext context;
    }
}
