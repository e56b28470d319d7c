package dev.loupe.assertj;

import dev.loupe.junit.TraceCapture;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Declares a budget that every test of a class (or one test method) must stay within: the traces a test captured
 * together use at most {@link #maxTokens()} tokens and {@link #maxCostUsd()} dollars, and each takes at most
 * {@link #maxDurationMillis()}. Checked after each test; a test over budget fails with a message listing each
 * overrun and the trace concerned. A method's annotation replaces its class's. Registers {@link TraceCapture} too.
 * Negative values mean "no limit".
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith({TraceCapture.class, TraceBudgetExtension.class})
public @interface TraceBudget {

    /** The most tokens all traces of a test may use together; negative for no limit. */
    long maxTokens() default -1;

    /** The most US dollars all traces of a test may cost together; negative for no limit. */
    double maxCostUsd() default -1;

    /** The longest any one trace of a test may take, in milliseconds; negative for no limit. */
    long maxDurationMillis() default -1;
}
