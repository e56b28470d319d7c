package dev.loupe.devserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.loupe.store.MetadataFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The list endpoints' metadata filters: the {@code metadata} parameter ({@code key=value}, {@code key}, or a JSON
 * path such as {@code $.customer.tier=gold}), and the JSON {@code filter} parameter in the shape of Langfuse's
 * public API: an array of conditions {@code {"type", "column", "operator", "key", "value"}}. Of those, Loupe takes
 * conditions on the {@code metadata} column ({@code stringObject} or {@code numberObject} with {@code =}, and
 * {@code null} with {@code is not null} for a key that exists) and {@code =} on the string columns it names;
 * anything else is a 400 that says what is supported, never a condition silently ignored.
 */
final class FilterParameter {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /**
     * The conditions read from the parameters.
     *
     * @param metadata conditions on metadata
     * @param columns  exact values of named string columns, by column name
     */
    record Conditions(List<MetadataFilter> metadata, Map<String, String> columns) {
    }

    private FilterParameter() {
    }

    /**
     * Reads the {@code metadata} and {@code filter} parameters.
     *
     * @param stringColumns the string columns this endpoint's {@code filter} may compare with {@code =}
     */
    static Conditions read(QueryParameters query, Set<String> stringColumns) {
        List<MetadataFilter> metadata = new ArrayList<>();
        for (String given : query.values("metadata")) {
            metadata.add(metadataParameter(given));
        }
        Map<String, String> columns = new java.util.LinkedHashMap<>();
        String filter = query.string("filter");
        if (filter != null) {
            JsonNode conditions;
            try {
                conditions = MAPPER.readTree(filter);
            } catch (JsonProcessingException notJson) {
                throw ApiError.badRequest("filter is not JSON (" + notJson.getOriginalMessage() + "): give a JSON "
                        + "array of conditions such as [{\"type\":\"stringObject\",\"column\":\"metadata\","
                        + "\"key\":\"env\",\"operator\":\"=\",\"value\":\"prod\"}]");
            }
            if (!conditions.isArray()) {
                throw ApiError.badRequest("filter is " + filter + ": give a JSON array of conditions");
            }
            for (JsonNode condition : conditions) {
                condition(condition, stringColumns, metadata, columns);
            }
        }
        return new Conditions(metadata, columns);
    }

    private static MetadataFilter metadataParameter(String given) {
        int equals = given.indexOf('=');
        String key = (equals < 0 ? given : given.substring(0, equals)).trim();
        String value = equals < 0 ? null : given.substring(equals + 1);
        try {
            if (key.startsWith("$")) {
                return value == null ? MetadataFilter.pathExists(key) : MetadataFilter.atPath(key, value);
            }
            return value == null ? MetadataFilter.hasKey(key) : MetadataFilter.keyEquals(key, value);
        } catch (IllegalArgumentException invalid) {
            throw ApiError.badRequest("metadata '" + given + "' is invalid: " + invalid.getMessage()
                    + ". Write key=value, key (the key exists) or $.json.path=value");
        }
    }

    private static void condition(JsonNode condition, Set<String> stringColumns, List<MetadataFilter> metadata,
            Map<String, String> columns) {
        String type = text(condition, "type");
        String column = text(condition, "column");
        String operator = text(condition, "operator");
        JsonNode value = condition.get("value");
        String supported = "supported: {\"type\":\"stringObject\" or \"numberObject\",\"column\":\"metadata\","
                + "\"key\":...,\"operator\":\"=\",\"value\":...}, {\"type\":\"null\",\"column\":\"metadata\","
                + "\"key\":...,\"operator\":\"is not null\"}, and {\"type\":\"string\",\"column\":one of "
                + new TreeSet<>(stringColumns) + ",\"operator\":\"=\",\"value\":...}";
        if ("metadata".equals(column)) {
            String key = text(condition, "key");
            if (key == null || key.isEmpty()) {
                throw ApiError.badRequest("filter condition " + condition + " has no key: name the metadata key "
                        + "(or a JSON path such as $.customer.tier) to compare");
            }
            boolean valueCondition = ("stringObject".equals(type) || "numberObject".equals(type))
                    && "=".equals(operator) && value != null && value.isValueNode() && !value.isNull();
            boolean existsCondition = "null".equals(type) && "is not null".equals(operator);
            if (!valueCondition && !existsCondition) {
                throw ApiError.badRequest("filter condition " + condition + " is not supported; " + supported);
            }
            try {
                String text = valueCondition ? value.asText() : null;
                metadata.add(key.startsWith("$")
                        ? (text == null ? MetadataFilter.pathExists(key) : MetadataFilter.atPath(key, text))
                        : (text == null ? MetadataFilter.hasKey(key) : MetadataFilter.keyEquals(key, text)));
            } catch (IllegalArgumentException invalid) {
                throw ApiError.badRequest("filter condition " + condition + " is invalid: " + invalid.getMessage());
            }
        } else if (column != null && stringColumns.contains(column) && "string".equals(type) && "=".equals(operator)
                && value != null && value.isTextual()) {
            columns.put(column, value.asText());
        } else {
            throw ApiError.badRequest("filter condition " + condition + " is not supported; " + supported);
        }
    }

    private static String text(JsonNode condition, String field) {
        JsonNode node = condition.get(field);
        if (node != null && !node.isTextual()) {
            throw ApiError.badRequest("filter condition " + condition + " has " + field + " " + node
                    + ": give it as a string");
        }
        return node == null ? null : node.asText();
    }
}
