package dev.loupe.trace;

import dev.loupe.internal.Json;
import dev.loupe.model.Cost;
import dev.loupe.model.Observation;
import dev.loupe.model.ObservationLevel;
import dev.loupe.model.ObservationType;
import dev.loupe.model.Usage;
import java.time.Instant;
import java.util.Map;

/**
 * An ended observation as the application thread hands it to the exporter: payloads are captured but not yet
 * serialized, usage may still be three numbers, and cost is not yet derived from usage. The writer thread turns it into an {@link Observation}.
 */
record PendingObservation(
        String id,
        String traceId,
        String parentId,
        ObservationType type,
        String name,
        Instant startTime,
        Instant endTime,
        Instant completionStartTime,
        Object input,
        Object output,
        Map<String, Object> metadata,
        ObservationLevel level,
        String statusMessage,
        String version,
        String model,
        Object modelParameters,
        Object usage,
        Cost cost,
        String promptName,
        Integer promptVersion) {

    Observation toObservation(int maxChars, ModelPrices prices) {
        Usage finalUsage = usage instanceof long[] tokens ? Usage.of(tokens[0], tokens[1], tokens[2]) : (Usage) usage;
        Cost finalCost = cost;
        if (finalCost == null && finalUsage != null && model != null && prices != null) {
            finalCost = prices.costOf(model, finalUsage).orElse(null);
        }
        return new Observation(id, traceId, parentId, type, name, startTime, endTime, completionStartTime,
                Json.toJson(input, maxChars), Json.toJson(output, maxChars), PendingTrace.object(metadata, maxChars),
                level == null ? ObservationLevel.DEFAULT : level, statusMessage, version, model, Json.toJson(modelParameters, maxChars), finalUsage, finalCost,
                promptName, promptVersion);
    }
}
