package dev.loupe.trace;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records each call of a method as an observation, nested by the call stack, with no tracing code in the method:
 * the arguments become the input (keyed by parameter name when the code is compiled with {@code -parameters},
 * {@code arg0}, {@code arg1}... otherwise), the return value the output, and an exception that escapes marks the
 * observation ERROR and is passed on unchanged. Inside the method, {@code tracer.currentObservation()},
 * {@code currentTrace()} and the score methods work as in callback style. A method that returns a
 * {@code CompletionStage} (such as a {@code CompletableFuture}), or a Reactor {@code Mono} or {@code Flux}, ends its
 * observation when that result completes. A call with no observation current begins a new trace.
 *
 * <p>On a type, every public method the type declares is observed as if annotated with the type's settings (but the
 * name, which is always the method's); an annotation on the method itself takes precedence. The annotation is read
 * where the method is declared: it is not inherited by overriding methods or subclasses, nor read from interfaces.
 *
 * <p>The annotation alone does nothing: a weaving records the calls, with {@code dev.loupe.Loupe.tracer()}. Add
 * {@code loupe-spring} for Spring beans, or {@code loupe-agent} for any class (as a {@code -javaagent}, or installed
 * by the JUnit extension in tests).
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Observe {

    /** The observation's name; the method's name when empty. Ignored on a type. */
    String name() default "";

    /** The observation's type; {@link ObservationType#EVENT} is not allowed (an event has no duration). */
    ObservationType type() default ObservationType.SPAN;

    /** Whether the arguments are recorded as the input. */
    boolean captureArguments() default true;

    /** Whether the return value (or what the asynchronous result completes with) is recorded as the output. */
    boolean captureResult() default true;

    /** Leaves a parameter out of the recorded input, for example a secret such as an API key. */
    @Target(ElementType.PARAMETER)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Ignore {
    }
}
