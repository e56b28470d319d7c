package dev.loupe.trace;

import dev.loupe.internal.Json;
import dev.loupe.model.Trace;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace record as the application thread hands it to the exporter: payloads are captured but not yet serialized.
 */
record PendingTrace(
        String id,
        String name,
        Instant timestamp,
        Object input,
        Object output,
        String userId,
        String sessionId,
        Map<String, Object> metadata,
        List<String> tags,
        String release,
        String version,
        String environment) {

    Trace toTrace(int maxChars) {
        return new Trace(id, name, timestamp, Json.toJson(input, maxChars), Json.toJson(output, maxChars), userId,
                sessionId, object(metadata, maxChars), tags, release, version, environment);
    }

    /** Returns an unmodifiable copy that, unlike {@code Map.copyOf}, keeps null values and the order. */
    static Map<String, Object> copy(Map<String, Object> values) {
        return values.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Serializes captured metadata values into one JSON object, or null when there are none. */
    static String object(Map<String, Object> captured, int maxChars) {
        if (captured == null || captured.isEmpty()) {
            return null;
        }
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Object> entry : captured.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            String value = Json.toJson(entry.getValue(), maxChars);
            json.append(Json.quote(entry.getKey())).append(':').append(value == null ? "null" : value);
        }
        return json.append('}').toString();
    }
}
