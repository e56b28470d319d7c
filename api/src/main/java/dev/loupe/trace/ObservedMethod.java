package dev.loupe.trace;

import dev.loupe.Loupe;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a call of an {@link Observe @Observe} method records, for the weavings that intercept those calls
 * ({@code loupe-spring}, {@code loupe-agent}); applications use the annotation and never this class. Both weavings
 * call {@link #enter} before the method's body and {@link #exit} after it, so a call records the same whichever
 * weaving intercepted it.
 */
public final class ObservedMethod {

    private static final Logger LOG = LoggerFactory.getLogger(ObservedMethod.class);
    private static final String REACTOR_MONO = "reactor.core.publisher.Mono";
    private static final String REACTOR_FLUX = "reactor.core.publisher.Flux";

    /** Each class's observed methods by name and descriptor, the key bytecode weavings load as a constant. */
    private static final ClassValue<Map<String, ObservedMethod>> BY_TYPE = new ClassValue<>() {
        @Override
        protected Map<String, ObservedMethod> computeValue(Class<?> type) {
            return observedMethodsOf(type);
        }
    };

    private final String name;
    private final ObservationType type;
    /** The recorded name of each parameter, null for one left out; null when arguments are not captured. */
    private final String[] parameterNames;
    private final boolean captureResult;
    /** Whether the method returns a Reactor Mono or Flux, whose observation ends when it terminates. */
    private final boolean reactiveResult;

    private ObservedMethod(String name, ObservationType type, String[] parameterNames, boolean captureResult,
            boolean reactiveResult) {
        this.name = name;
        this.type = type;
        this.parameterNames = parameterNames;
        this.captureResult = captureResult;
        this.reactiveResult = reactiveResult;
    }

    /**
     * Returns how calls of this method are observed, or null when it is not observed: neither it nor (for a public
     * method) its declaring type is annotated with {@link Observe}, or it is abstract, synthetic or a bridge.
     */
    public static ObservedMethod of(Method method) {
        return BY_TYPE.get(method.getDeclaringClass()).get(key(method));
    }

    /**
     * Returns how calls of the method of this class with this name and JVM descriptor (such as
     * {@code "answer(Ljava/lang/String;)Ljava/lang/String;"}) are observed, or null when it is not observed. For
     * bytecode weavings, which load the key as a string constant: the lookup is then a hash and an identity check.
     */
    public static ObservedMethod of(Class<?> declaringType, String nameAndDescriptor) {
        return BY_TYPE.get(declaringType).get(nameAndDescriptor);
    }

    /**
     * Returns whether calls of this method are observed: it is annotated with {@link Observe}, or it is public and
     * its declaring type is, and it is neither abstract, synthetic nor a bridge. Both weavings select methods by
     * this rule.
     */
    public static boolean isObserved(Method method) {
        return annotationOf(method) != null;
    }

    /** Returns the name the observations of this method get. */
    public String name() {
        return name;
    }

    /** Returns the type the observations of this method get. */
    public ObservationType type() {
        return type;
    }

    /**
     * Starts the observation of a call, current on this thread until {@link #exit}, with the arguments as input.
     * Call it first in the intercepted method (bytecode weavings) and pass what it returns to {@link #exit}. Returns
     * null when nothing is recorded (the tracer is disabled, or a proxy already observes this call). Never throws.
     */
    public ObservationHandle<?> enter(Object[] arguments) {
        Tracer tracer = Loupe.tracer();
        if (!tracer.isEnabled()) {
            return null;
        }
        try {
            ObservationHandle<?> current = TraceContext.current().observation();
            if (current != null && current.observedBy == this && current.awaitingWovenCall) {
                // A proxy (loupe-spring) started this very call's observation; the woven body must not add another.
                current.awaitingWovenCall = false;
                return null;
            }
            return start(tracer, arguments);
        } catch (RuntimeException | Error failure) {
            tracer.internalError("starting the observation of @Observe method '" + name + "'", failure);
            return null;
        }
    }

    /**
     * Starts the observation of a call intercepted by a proxy, which calls the target object's method next: the
     * same as {@link #enter}, except that when the target's class is also woven by a bytecode weaving, that weaving
     * records nothing more for this call.
     */
    public ObservationHandle<?> enterThroughProxy(Object[] arguments) {
        Tracer tracer = Loupe.tracer();
        if (!tracer.isEnabled()) {
            return null;
        }
        try {
            ObservationHandle<?> handle = start(tracer, arguments);
            if (handle != null) {
                handle.awaitingWovenCall = true;
            }
            return handle;
        } catch (RuntimeException | Error failure) {
            tracer.internalError("starting the observation of @Observe method '" + name + "'", failure);
            return null;
        }
    }

    /**
     * Ends what {@link #enter} started: records the result as output, or the exception as an ERROR, and makes the
     * observation that was current before it current again. A {@code CompletionStage} result ends the observation
     * when it completes; a Reactor {@code Mono} or {@code Flux} when it terminates or is cancelled, which is why the
     * result to return from the method is returned: for those, a publisher that ends the observation. Never throws;
     * the exception, if any, is the weaving's to pass on unchanged.
     */
    public static Object exit(ObservationHandle<?> handle, Object result, Throwable failure) {
        if (handle == null) {
            return result;
        }
        ObservedMethod method = handle.observedBy;
        try {
            handle.awaitingWovenCall = false;
            if (failure != null) {
                handle.error(failure);
            } else if (method != null) {
                Object observed = method.observeAsynchronously(handle, result);
                if (observed != null) {
                    handle.restorePrevious();
                    return observed;
                }
                if (method.captureResult) {
                    handle.outputIfAbsent(result);
                }
            }
            handle.end();
        } catch (RuntimeException | Error internal) {
            handle.tracer.internalError("ending the observation of @Observe method '" + handle.name() + "'",
                    internal);
            handle.end();
        }
        handle.restorePrevious();
        return result;
    }

    private ObservationHandle<?> start(Tracer tracer, Object[] arguments) {
        ObservationHandle<?> handle = switch (type) {
            case GENERATION -> tracer.startGeneration(name);
            case EMBEDDING -> tracer.startEmbedding(name);
            default -> tracer.startObservation(type, name);
        };
        if (handle.tracer == null) {
            return null;    // the tracer could not start it (counted): the call runs untraced
        }
        handle.observedBy = this;
        if (parameterNames != null && arguments != null && arguments.length > 0) {
            Object input = input(arguments);
            if (input != null) {
                handle.input(input);
            }
        }
        return handle;
    }

    /** Returns the arguments keyed by parameter name, leaving out ignored parameters; null when none is left. */
    private Object input(Object[] arguments) {
        int count = Math.min(arguments.length, parameterNames.length);
        if (count == 1 && parameterNames[0] != null) {
            // An immutable one-entry map of an immutable value needs no serialization on the caller's thread.
            return arguments[0] == null ? nullEntry(parameterNames[0]) : Map.of(parameterNames[0], arguments[0]);
        }
        Map<String, Object> input = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            if (parameterNames[i] != null) {
                input.put(parameterNames[i], arguments[i]);
            }
        }
        return input.isEmpty() ? null : input;
    }

    private static Map<String, Object> nullEntry(String parameter) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put(parameter, null);
        return input;
    }

    /** Arranges for the observation to end when the result completes; null when the result is not asynchronous. */
    private Object observeAsynchronously(ObservationHandle<?> handle, Object result) {
        if (result == null) {
            return null;
        }
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, failure) -> completed(handle, value, failure));
            return result;
        }
        if (reactiveResult) {
            return ReactorResults.observe(result, handle, this);
        }
        return null;
    }

    /** Ends an observation whose asynchronous result completed with this value or failure. */
    void completed(ObservationHandle<?> handle, Object value, Throwable failure) {
        try {
            if (failure != null) {
                handle.error(unwrap(failure));
            } else if (captureResult) {
                handle.outputIfAbsent(value);
            }
        } catch (RuntimeException | Error internal) {
            handle.tracer.internalError("ending the observation of @Observe method '" + name + "'", internal);
        }
        handle.end();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Which methods are observed, and how

    private static Map<String, ObservedMethod> observedMethodsOf(Class<?> type) {
        Map<String, ObservedMethod> observed = new HashMap<>();
        Method[] methods;
        try {
            methods = type.getDeclaredMethods();
        } catch (RuntimeException | LinkageError failure) {
            LOG.error("Loupe cannot observe the @Observe methods of {}: its methods cannot be read ({})",
                    type.getName(), failure.toString(), failure);
            return Map.of();
        }
        for (Method method : methods) {
            Observe annotation = annotationOf(method);
            if (annotation != null) {
                // interned, so that the lookup of a key loaded as a constant (also interned) is an identity check
                observed.put(key(method).intern(), create(method, annotation));
            }
        }
        return observed.isEmpty() ? Map.of() : observed;
    }

    private static Observe annotationOf(Method method) {
        int modifiers = method.getModifiers();
        if (Modifier.isAbstract(modifiers) || method.isSynthetic() || method.isBridge()) {
            return null;
        }
        Observe annotation = method.getAnnotation(Observe.class);
        if (annotation == null && Modifier.isPublic(modifiers)) {
            annotation = method.getDeclaringClass().getAnnotation(Observe.class);
        }
        return annotation;
    }

    private static ObservedMethod create(Method method, Observe annotation) {
        boolean onType = method.getAnnotation(Observe.class) == null;
        String where = method.getDeclaringClass().getName() + "." + method.getName();
        if (onType && !annotation.name().isEmpty()) {
            LOG.warn("@Observe(name = \"{}\") on type {} is ignored: each method's observation is named after the "
                    + "method; annotate a method to name its observation", annotation.name(),
                    method.getDeclaringClass().getName());
        }
        String name = onType || annotation.name().isBlank() ? method.getName() : annotation.name();
        ObservationType type = annotation.type();
        if (type == ObservationType.EVENT) {
            LOG.warn("@Observe(type = EVENT) on {} is not allowed, an event has no duration: it is recorded as a "
                    + "SPAN; use another type, or tracer.event(...) inside the method", where);
            type = ObservationType.SPAN;
        }
        String[] parameterNames = null;
        if (annotation.captureArguments()) {
            Parameter[] parameters = method.getParameters();
            parameterNames = new String[parameters.length];
            for (int i = 0; i < parameters.length; i++) {
                if (!parameters[i].isAnnotationPresent(Observe.Ignore.class)) {
                    parameterNames[i] = parameters[i].getName();
                }
            }
        }
        return new ObservedMethod(name, type, parameterNames, annotation.captureResult(),
                returnsReactorPublisher(method.getReturnType()));
    }

    private static boolean returnsReactorPublisher(Class<?> returnType) {
        for (Class<?> type = returnType; type != null; type = type.getSuperclass()) {
            if (type.getName().equals(REACTOR_MONO) || type.getName().equals(REACTOR_FLUX)) {
                return true;
            }
        }
        return false;
    }

    /** Returns the method's name and JVM descriptor, such as {@code "answer(Ljava/lang/String;)V"}. */
    static String key(Method method) {
        StringBuilder key = new StringBuilder(method.getName()).append('(');
        for (Class<?> parameter : method.getParameterTypes()) {
            key.append(parameter.descriptorString());
        }
        return key.append(')').append(method.getReturnType().descriptorString()).toString();
    }

    /** Returns the name and type, for debugging. */
    @Override
    public String toString() {
        return "@Observe " + type + " " + name;
    }
}
