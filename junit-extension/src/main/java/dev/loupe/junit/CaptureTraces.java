package dev.loupe.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Registers {@link TraceCapture} on a test class and configures it; each attribute left at its default falls back to
 * the {@code loupe.junit.*} configuration parameters (junit-platform.properties), then to the built-in default.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TraceCapture.class)
public @interface CaptureTraces {

    /** The directory of the store that test runs and their traces are written to; default {@code target/loupe}. */
    String store() default "";

    /** Whether to write test runs and their traces to the store at all; default true. */
    Persist persist() default Persist.DEFAULT;

    /** What to print when a test fails; default {@link FailureOutput#TREE}. */
    FailureOutput[] onFailure() default {};

    /**
     * Whether to install the Loupe agent into the test JVM before the class's tests run, so that the
     * {@code @Observe} methods of any class are traced (needs {@code dev.loupe:loupe-agent} on the test class path).
     * When false, the configuration parameter {@code loupe.junit.installAgent} decides; false when not set. The agent
     * stays installed for the rest of the JVM's life.
     */
    boolean installAgent() default false;

    /** Whether captured traces are written to the store. */
    enum Persist {
        /** Follow the configuration parameter {@code loupe.junit.persist}, true when not set. */
        DEFAULT,
        /** Write them. */
        YES,
        /** Keep them in memory for the test only. */
        NO
    }
}
