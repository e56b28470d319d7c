package dev.loupe.assertj;

import dev.loupe.junit.TraceCapture;
import dev.loupe.model.TraceTree;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Checks {@link TraceBudget} after each test against the traces the test captured. Registered by the annotation.
 */
public final class TraceBudgetExtension implements AfterEachCallback {

    /** Creates the extension; JUnit does, through {@link TraceBudget}. */
    public TraceBudgetExtension() {
    }

    /** Fails the test when its captured traces overran the declared budget. */
    @Override
    public void afterEach(ExtensionContext context) {
        Optional<TraceBudget> declared = AnnotationSupport.findAnnotation(context.getTestMethod(), TraceBudget.class)
                .or(() -> enclosing(context.getTestClass().orElse(null)));
        if (declared.isEmpty() || context.getExecutionException().isPresent()) {
            return;
        }
        Budget budget = budget(declared.get(), context);
        List<TraceTree> traces = TraceCapture.capturedTraces(context).all();
        BudgetCheck.overruns(traces, budget).ifPresent(message -> {
            throw new AssertionError("Test " + context.getDisplayName() + " is over its @TraceBudget:\n" + message);
        });
    }

    private static Optional<TraceBudget> enclosing(Class<?> type) {
        for (Class<?> current = type; current != null; current = current.getEnclosingClass()) {
            Optional<TraceBudget> found = AnnotationSupport.findAnnotation(current, TraceBudget.class);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Budget budget(TraceBudget declared, ExtensionContext context) {
        if (declared.maxTokens() < 0 && declared.maxCostUsd() < 0 && declared.maxDurationMillis() < 0
                && declared.maxToolCalls() < 0 && declared.maxCallsPerTool().length == 0
                && declared.maxModelRequests() < 0 && !declared.noRepeatedToolCalls()
                && !declared.noToolCallAfterError()) {
            throw new ExtensionConfigurationException("@TraceBudget on " + context.getRequiredTestClass().getName()
                    + " sets no limit: give maxTokens, maxCostUsd, maxDurationMillis, maxToolCalls, maxCallsPerTool, "
                    + "maxModelRequests, noRepeatedToolCalls or noToolCallAfterError");
        }
        Budget.Builder budget = Budget.builder();
        if (declared.maxTokens() >= 0) {
            budget.maxTokens(declared.maxTokens());
        }
        if (declared.maxCostUsd() >= 0) {
            budget.maxCostUsd(declared.maxCostUsd());
        }
        if (declared.maxDurationMillis() >= 0) {
            budget.maxDuration(Duration.ofMillis(declared.maxDurationMillis()));
        }
        if (declared.maxToolCalls() >= 0) {
            budget.maxToolCalls(declared.maxToolCalls());
        }
        for (TraceBudget.ToolCalls tool : declared.maxCallsPerTool()) {
            if (tool.max() < 0) {
                throw new ExtensionConfigurationException("@TraceBudget on " + context.getRequiredTestClass().getName()
                        + " limits tool '" + tool.tool() + "' to " + tool.max() + " calls: give zero or more");
            }
            budget.maxCallsOf(tool.tool(), tool.max());
        }
        if (declared.maxModelRequests() >= 0) {
            budget.maxModelRequests(declared.maxModelRequests());
        }
        if (declared.noRepeatedToolCalls()) {
            budget.noRepeatedToolCalls();
        }
        if (declared.noToolCallAfterError()) {
            budget.noToolCallAfterError();
        }
        return budget.build();
    }
}
