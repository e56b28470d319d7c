package dev.loupe.trace;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A handle on a model call, a generation or an embedding: besides input and output it records the model, its
 * parameters, the tokens used and the cost. When no cost is set, it is computed from usage with the tracer's
 * {@link ModelPrices}.
 */
public final class Generation extends ObservationHandle<Generation> {

    static final Generation NOOP = new Generation(ObservationType.GENERATION);

    private Generation(ObservationType type) {
        super(type);
    }

    Generation(Tracer tracer, TraceState trace, String id, String parentId, ObservationType type, String name,
            Instant startTime, TraceContext parentContext) {
        super(tracer, trace, id, parentId, type, name, startTime, parentContext);
    }

    /** Sets the model name, such as {@code gpt-4o-mini}; it also selects the price used to compute cost. */
    public Generation model(String modelName) {
        return modelCall(handle -> handle.model = modelName);
    }

    /** Sets the model parameters, such as temperature and max tokens. */
    public Generation modelParameters(Map<String, ?> parameters) {
        Object captured = capture(parameters);
        return modelCall(handle -> handle.modelParameters = captured);
    }

    /** Sets the tokens read and written; the total is their sum. */
    public Generation usage(long inputTokens, long outputTokens) {
        return usage(inputTokens, outputTokens, inputTokens + outputTokens);
    }

    /** Sets the tokens read and written and the total as the provider reported it. */
    public Generation usage(long inputTokens, long outputTokens, long totalTokens) {
        Usage tokens = Usage.of(inputTokens, outputTokens, totalTokens);
        return modelCall(handle -> handle.usage = tokens);
    }

    /** Sets the usage. */
    public Generation usage(Usage newUsage) {
        return modelCall(handle -> handle.usage = newUsage);
    }

    /**
     * Sets usage details by name: {@code input}, {@code output}, {@code total} and any other detail such as
     * {@code cached_input} or {@code reasoning}.
     */
    public Generation usageDetails(Map<String, ? extends Number> details) {
        if (details == null) {
            return this;
        }
        Map<String, Long> copy = new LinkedHashMap<>();
        details.forEach((key, value) -> {
            if (key != null && value != null) {
                copy.put(key, value.longValue());
            }
        });
        return usage(new Usage(copy));
    }

    /** Sets the total cost in US dollars, overriding the cost computed from usage. */
    public Generation cost(double totalUsd) {
        return cost(new Cost(Map.of(Usage.TOTAL, BigDecimal.valueOf(totalUsd))));
    }

    /** Sets the input and output cost in US dollars, overriding the cost computed from usage. */
    public Generation cost(double inputUsd, double outputUsd) {
        return cost(Cost.of(BigDecimal.valueOf(inputUsd), BigDecimal.valueOf(outputUsd)));
    }

    /** Sets the cost, overriding the cost computed from usage. */
    public Generation cost(Cost newCost) {
        return modelCall(handle -> handle.cost = newCost);
    }

    /** Records that the first token of the answer arrived now, for time-to-first-token. */
    public Generation completionStarted() {
        return completionStartTime(tracer == null ? null : tracer.now(trace));
    }

    /** Sets when the first token of the answer arrived. */
    public Generation completionStartTime(Instant time) {
        return modelCall(handle -> handle.completionStartTime = time);
    }

    /** Links the prompt template this call used, by name and version. */
    public Generation prompt(String name, int version) {
        return modelCall(handle -> {
            handle.promptName = name;
            handle.promptVersion = version;
        });
    }
}
