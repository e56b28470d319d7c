package dev.loupe.trace;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Ends the observation of an {@link Observe @Observe} method that returns a Reactor {@code Mono} or {@code Flux} when
 * the publisher terminates or is cancelled. Reactor is optional: it is reached by reflection, through the operators
 * that take JDK functional types ({@code doOnSuccess}, {@code doOnNext}, {@code doOnComplete}, {@code doOnError},
 * {@code doOnCancel}), so {@code loupe-api} does not depend on it.
 */
final class ReactorResults {

    /** A Flux's output holds at most this many elements; the metadata {@code elements} says how many there were. */
    static final int MAX_ELEMENTS = 100;

    private static final ClassValue<Operators> OPERATORS = new ClassValue<>() {
        @Override
        protected Operators computeValue(Class<?> type) {
            return Operators.of(type);
        }
    };

    private ReactorResults() {
    }

    /**
     * Returns a publisher that emits what this one does and ends the observation when it terminates; null when the
     * object is neither a Mono nor a Flux.
     */
    static Object observe(Object publisher, ObservationHandle<?> handle, ObservedMethod method) {
        Operators operators = OPERATORS.get(publisher.getClass());
        if (operators == null) {
            return null;
        }
        Runnable cancelled = () -> {
            handle.level(ObservationLevel.WARNING).statusMessage("cancelled before it completed");
            handle.end();
        };
        Consumer<Throwable> failed = failure -> method.completed(handle, null, failure);
        Object observed;
        if (operators.mono) {
            Consumer<Object> succeeded = value -> method.completed(handle, value, null);
            observed = operators.apply(operators.doOnSuccess, publisher, succeeded);
        } else {
            Elements elements = new Elements();
            observed = operators.apply(operators.doOnNext, publisher, (Consumer<Object>) elements::add);
            observed = operators.apply(operators.doOnComplete, observed, (Runnable) () -> {
                if (elements.count > MAX_ELEMENTS) {
                    handle.metadata("elements", elements.count);
                }
                method.completed(handle, elements.first(), null);
            });
        }
        observed = operators.apply(operators.doOnError, observed, failed);
        return operators.apply(operators.doOnCancel, observed, cancelled);
    }

    /** The first elements a Flux emitted, and how many it emitted. */
    private static final class Elements {
        private final List<Object> first = new ArrayList<>();
        private long count;

        synchronized void add(Object element) {
            count++;
            if (first.size() < MAX_ELEMENTS) {
                first.add(element);
            }
        }

        synchronized List<Object> first() {
            return new ArrayList<>(first);
        }
    }

    /** The operators of Reactor's Mono or Flux that an observation needs; null for other types. */
    private static final class Operators {
        final boolean mono;
        final Method doOnSuccess;
        final Method doOnNext;
        final Method doOnComplete;
        final Method doOnError;
        final Method doOnCancel;

        private Operators(boolean mono, Class<?> publisher) throws NoSuchMethodException {
            this.mono = mono;
            this.doOnSuccess = mono ? publisher.getMethod("doOnSuccess", Consumer.class) : null;
            this.doOnNext = mono ? null : publisher.getMethod("doOnNext", Consumer.class);
            this.doOnComplete = mono ? null : publisher.getMethod("doOnComplete", Runnable.class);
            this.doOnError = publisher.getMethod("doOnError", Consumer.class);
            this.doOnCancel = publisher.getMethod("doOnCancel", Runnable.class);
        }

        static Operators of(Class<?> type) {
            for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
                String name = candidate.getName();
                if (name.equals("reactor.core.publisher.Mono") || name.equals("reactor.core.publisher.Flux")) {
                    try {
                        return new Operators(name.endsWith("Mono"), candidate);
                    } catch (NoSuchMethodException | RuntimeException incompatible) {
                        throw new IllegalStateException("this version of Reactor lacks an operator @Observe uses: "
                                + incompatible, incompatible);
                    }
                }
            }
            return null;
        }

        Object apply(Method operator, Object publisher, Object callback) {
            try {
                return operator.invoke(publisher, callback);
            } catch (IllegalAccessException failure) {
                throw new IllegalStateException("Reactor's " + operator + " cannot be called: " + failure, failure);
            } catch (InvocationTargetException failure) {
                throw new IllegalStateException("Reactor's " + operator + " failed: " + failure.getCause(),
                        failure.getCause());
            }
        }
    }
}
