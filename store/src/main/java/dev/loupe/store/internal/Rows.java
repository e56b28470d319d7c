package dev.loupe.store.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.internal.Json;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.ScoreDataType;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceStats;
import dev.loupe.store.internal.generated.tables.records.ObservationsRecord;
import dev.loupe.store.internal.generated.tables.records.ScoresRecord;
import dev.loupe.store.internal.generated.tables.records.TracesRecord;
import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
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

    /** Encloses each tag in the separator the tags column uses; a tag filter looks for one enclosed tag. */
    static final String TAG_SEPARATOR = "\u001f";

    static Trace trace(TracesRecord row) {
        return new Trace(row.getId(), row.getName(), row.getStartTime(), text(row.getInput()), text(row.getOutput()),
                row.getUserId(), row.getSessionId(), text(row.getMetadata()), tags(row.getTags()), row.getRelease(),
                row.getVersion(), row.getEnvironment());
    }

    /** Returns the tags column of a trace: the sorted tags, each enclosed in {@link #TAG_SEPARATOR}; null if none. */
    static String tagsColumn(List<String> tags) {
        if (tags.isEmpty()) {
            return null;
        }
        StringBuilder column = new StringBuilder(TAG_SEPARATOR);
        for (String tag : tags) {
            column.append(tag.replace(TAG_SEPARATOR, " ")).append(TAG_SEPARATOR);
        }
        return column.toString();
    }

    /** Returns the condition value that finds one tag in the tags column. */
    static String tagNeedle(String tag) {
        return TAG_SEPARATOR + tag.replace(TAG_SEPARATOR, " ") + TAG_SEPARATOR;
    }

    private static List<String> tags(String column) {
        if (column == null || column.length() < 2) {
            return List.of();
        }
        return List.of(column.substring(1, column.length() - 1).split(TAG_SEPARATOR, -1));
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
