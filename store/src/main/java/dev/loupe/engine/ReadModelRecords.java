package dev.loupe.engine;

import dev.loupe.internal.Json;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Trace;
import dev.loupe.trace.Cost;
import dev.loupe.trace.spi.ObservationRecord;
import dev.loupe.trace.spi.ScoreRecord;
import dev.loupe.trace.spi.TraceRecord;
import java.util.Map;

/**
 * Turns the pipeline's records into read-model records on the writer thread: payloads become JSON documents of a
 * bounded size, and a generation without a cost gets one from its usage and the price table. The one place where a
 * pipeline record's fields meet the read model's, each set by name.
 */
final class ReadModelRecords {

    private final int maxPayloadChars;
    private final ModelPrices prices;

    ReadModelRecords(int maxPayloadChars, ModelPrices prices) {
        this.maxPayloadChars = maxPayloadChars;
        this.prices = prices;
    }

    Observation observation(ObservationRecord record) {
        Cost cost = record.cost();
        if (cost == null && record.usage() != null && record.model() != null && prices != null) {
            cost = prices.costOf(record.model(), record.usage()).orElse(null);
        }
        return Observation.builder(record.id(), record.traceId())
                .parentObservationId(record.parentObservationId())
                .type(record.type())
                .name(record.name())
                .startTime(record.startTime())
                .endTime(record.endTime())
                .completionStartTime(record.completionStartTime())
                .input(json(record.input()))
                .output(json(record.output()))
                .metadata(metadata(record.metadata()))
                .level(record.level())
                .statusMessage(record.statusMessage())
                .version(record.version())
                .model(record.model())
                .modelParameters(json(record.modelParameters()))
                .usage(record.usage())
                .cost(cost)
                .prompt(record.promptName(), record.promptVersion())
                .build();
    }

    Trace trace(TraceRecord record) {
        return Trace.builder(record.id())
                .name(record.name())
                .timestamp(record.timestamp())
                .input(json(record.input()))
                .output(json(record.output()))
                .userId(record.userId())
                .sessionId(record.sessionId())
                .metadata(metadata(record.metadata()))
                .tags(record.tags())
                .release(record.release())
                .version(record.version())
                .environment(record.environment())
                .build();
    }

    Score score(ScoreRecord record) {
        Score.Builder score = Score.builder(record.id(), record.name())
                .traceId(record.traceId())
                .observationId(record.observationId())
                .sessionId(record.sessionId())
                .comment(record.comment())
                .timestamp(record.timestamp());
        Object value = record.value();
        if (value instanceof Boolean flag) {
            score.value(flag.booleanValue());
        } else if (value instanceof Number number) {
            score.value(number.doubleValue());
        } else if (value != null) {
            score.value(value.toString());
        }
        return score.build();
    }

    private String json(Object captured) {
        return Json.toJson(captured, maxPayloadChars);
    }

    /** Serializes captured metadata values into one JSON object, or null when there are none. */
    private String metadata(Map<String, Object> captured) {
        if (captured == null || captured.isEmpty()) {
            return null;
        }
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Object> entry : captured.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            String value = json(entry.getValue());
            json.append(Json.quote(entry.getKey())).append(':').append(value == null ? "null" : value);
        }
        return json.append('}').toString();
    }
}
