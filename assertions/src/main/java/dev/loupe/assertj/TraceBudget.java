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
 * {@link #maxDurationMillis()}; they make at most {@link #maxToolCalls()} tool calls (and at most
 * {@link #maxCallsPerTool()} of the tools named there) and {@link #maxModelRequests()} model requests; and, when asked,
 * no trace calls a tool twice with the same arguments or after an error. Checked after each test; a test over budget
 * fails with a message listing each overrun and the trace concerned. A method's annotation replaces its class's.
 * Registers {@link TraceCapture} too. Negative values mean "no limit".
 *
 * <pre>
 * &#64;TraceBudget(maxTokens = 5_000, maxToolCalls = 4, maxCallsPerTool = &#64;TraceBudget.ToolCalls(tool = "search_docs", max = 2),
 *         noRepeatedToolCalls = true, noToolCallAfterError = true)
 * </pre>
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

    /** The most tool calls all traces of a test may make together; negative for no limit. */
    int maxToolCalls() default -1;

    /** The most calls of single tools, by name, all traces of a test may make together. */
    ToolCalls[] maxCallsPerTool() default {};

    /** The most model requests (generations and embeddings) all traces of a test may make together; negative for no limit. */
    int maxModelRequests() default -1;

    /** Whether no trace may call a tool twice with the same arguments. */
    boolean noRepeatedToolCalls() default false;

    /** Whether no trace may start a tool call after one of its observations failed. */
    boolean noToolCallAfterError() default false;

    /** The most calls of one tool in {@link TraceBudget#maxCallsPerTool()}. */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface ToolCalls {

        /** The tool's name, as its observations are named. */
        String tool();

        /** The most calls of the tool; zero forbids it. */
        int max();
    }
}
