package dev.loupe.store.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.internal.Json;
import dev.loupe.model.Cost;
import dev.loupe.model.Observation;
import dev.loupe.model.ObservationLevel;
import dev.loupe.model.ObservationType;
import dev.loupe.model.Score;
import dev.loupe.model.ScoreDataType;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceStats;
import dev.loupe.model.Usage;
import dev.loupe.store.internal.generated.tables.records.ObservationsRecord;
import dev.loupe.store.internal.generated.tables.records.ScoresRecord;
import dev.loupe.store.internal.generated.tables.records.TracesRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.JSON;

/** Converts between rows of the generated jOOQ records and the read model. */
final class Rows {

    private Rows() {
    }

    static Trace trace(TracesRecord row, List<String> tags) {
        return new Trace(row.getId(), row.getName(), row.getStartTime(), text(row.getInput()), text(row.getOutput()),
                row.getUserId(), row.getSessionId(), text(row.getMetadata()), tags, row.getRelease(),
                row.getVersion(), row.getEnvironment());
    }

    static TraceStats stats(TracesRecord row) {
        return new TraceStats(row.getEndTime(),
                row.getLatencyMicros() == null ? null : Duration.ofNanos(row.getLatencyMicros() * 1_000),
                row.getObservationCount(), row.getErrorCount(), row.getInputTokens(), row.getOutputTokens(),
                row.getTotalTokens(), row.getTotalCost() == null ? null : row.getTotalCost().stripTrailingZeros());
    }

    static Observation observation(ObservationsRecord row) {
        return new Observation(row.getId(), row.getTraceId(), row.getParentObservationId(),
                ObservationType.parse(row.getType()), row.getName(), row.getStartTime(), row.getEndTime(),
                row.getCompletionStartTime(), text(row.getInput()), text(row.getOutput()), text(row.getMetadata()),
                ObservationLevel.parse(row.getLevel()), row.getStatusMessage(), row.getVersion(), row.getModel(),
                text(row.getModelParameters()), usage(text(row.getUsageDetails())), cost(text(row.getCostDetails())),
                row.getPromptName(), row.getPromptVersion());
    }

    static Score score(ScoresRecord row) {
        return new Score(row.getId(), row.getTraceId(), row.getObservationId(), row.getSessionId(), row.getName(),
                ScoreDataType.parse(row.getDataType()), row.getNumericValue(), row.getStringValue(), row.getComment(),
                row.getSource(), row.getCreatedAt(), text(row.getMetadata()));
    }

    static List<String> strings(JSON json) {
        if (json == null) {
            return List.of();
        }
        List<String> values = new java.util.ArrayList<>();
        parse(json.data()).forEach(node -> values.add(node.asText()));
        return values;
    }

    private static String text(JSON json) {
        return json == null ? null : json.data();
    }

    static String usageJson(Usage usage) {
        return Json.write(usage.details(), Integer.MAX_VALUE);
    }

    static String costJson(Cost cost) {
        return Json.write(cost.details(), Integer.MAX_VALUE);
    }

    private static Usage usage(String json) {
        if (json == null) {
            return null;
        }
        Map<String, Long> details = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = parse(json).fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNumber()) {
                details.put(field.getKey(), field.getValue().longValue());
            }
        }
        return new Usage(details);
    }

    private static Cost cost(String json) {
        if (json == null) {
            return null;
        }
        Map<String, BigDecimal> details = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = parse(json).fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNumber()) {
                details.put(field.getKey(), field.getValue().decimalValue());
            }
        }
        return new Cost(details);
    }

    private static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (IOException corrupt) {
            throw new IllegalStateException("Stored JSON is not valid: " + json, corrupt);
        }
    }
}
