package dev.loupe.assertj;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.loupe.internal.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Reads the payloads of the read model (inputs, outputs, metadata, model parameters), which are JSON documents, and
 * compares them with what a test expects. Jackson stays in here: no assertion signature shows it.
 */
final class JsonPayload {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final ObjectMapper SORTED = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    private static final int MAX_SHOWN = 400;

    /** Compares scalars by value, so that 1, 1.0 and 1L are the same number; containers are walked by Jackson. */
    private static final Comparator<JsonNode> BY_VALUE = (left, right) -> {
        if (left.isNumber() && right.isNumber()) {
            return left.decimalValue().compareTo(right.decimalValue());
        }
        return left.equals(right) ? 0 : 1;
    };

    private JsonPayload() {
    }

    /**
     * Returns the document of a payload, or null when there is none; text that is not JSON (a tree built by hand)
     * is read as a JSON string.
     */
    static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(json);
            return node == null || node.isMissingNode() ? TextNode.valueOf(json) : node;
        } catch (JsonProcessingException notJson) {
            return TextNode.valueOf(json);
        }
    }

    /** Returns the document a test means by a JSON text it passes, or fails naming the text when it is not JSON. */
    static JsonNode parseExpected(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("The expected JSON document is empty: pass a document such as "
                        + "{\"query\": \"password reset\"}, or use the method that takes a value");
            }
            return node;
        } catch (JsonProcessingException notJson) {
            throw new IllegalArgumentException("The expected JSON document is not valid JSON: " + show(json)
                    + "; a plain string is written with quotes (\"\\\"text\\\"\"), or use the method that takes a value",
                    notJson);
        }
    }

    /** Returns the document that a value becomes when it is recorded, serialized by the tracer's own mapper. */
    static JsonNode fromValue(Object value) {
        return value == null ? NullNode.getInstance() : Json.mapper().valueToTree(value);
    }

    /** Returns whether two documents are equal, numbers compared by value and object keys in any order. */
    static boolean sameJson(JsonNode actual, JsonNode expected) {
        if (actual == null || expected == null) {
            return actual == null && (expected == null || expected.isNull());
        }
        return actual.equals(BY_VALUE, expected);
    }

    /** Returns whether the document or any string inside it contains the text, whatever escaping JSON applied. */
    static boolean containsText(String json, String text) {
        if (json == null) {
            return false;
        }
        if (json.contains(text)) {
            return true;
        }
        JsonNode node = parse(json);
        return anyText(node, text);
    }

    private static boolean anyText(JsonNode node, String text) {
        if (node.isTextual()) {
            return node.textValue().contains(text);
        }
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                if (names.next().contains(text)) {
                    return true;
                }
            }
        }
        for (JsonNode child : node) {
            if (anyText(child, text)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the value at a path such as {@code messages[0].content}, {@code $.query} or {@code ['user id']}, or
     * empty when the document has nothing there (a JSON null is present and returned as such).
     *
     * @throws IllegalArgumentException when the path cannot be read
     */
    static Optional<JsonNode> at(JsonNode document, String path) {
        JsonNode current = document == null ? MissingNode.getInstance() : document;
        for (Object step : steps(path)) {
            current = step instanceof Integer index ? current.path(index) : current.path((String) step);
            if (current.isMissingNode()) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    /** Splits a path into field names and array indexes. */
    private static List<Object> steps(String path) {
        if (path == null || path.isBlank()) {
            throw invalidPath(path, "it is empty");
        }
        String rest = path.trim();
        if (rest.startsWith("$")) {
            rest = rest.substring(1);
        }
        List<Object> steps = new ArrayList<>();
        int i = 0;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (c == '.') {
                i++;
                int end = i;
                while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '[') {
                    end++;
                }
                if (end == i) {
                    throw invalidPath(path, "a field name is missing after '.'");
                }
                steps.add(rest.substring(i, end));
                i = end;
            } else if (c == '[') {
                int close = rest.indexOf(']', i);
                if (close < 0) {
                    throw invalidPath(path, "a '[' is not closed");
                }
                String inside = rest.substring(i + 1, close).trim();
                if (inside.length() >= 2 && (inside.startsWith("'") && inside.endsWith("'")
                        || inside.startsWith("\"") && inside.endsWith("\""))) {
                    steps.add(inside.substring(1, inside.length() - 1));
                } else {
                    try {
                        steps.add(Integer.valueOf(inside));
                    } catch (NumberFormatException notIndex) {
                        throw invalidPath(path, "'[" + inside + "]' is neither an index nor a quoted field name");
                    }
                }
                i = close + 1;
            } else {
                int end = i;
                while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '[') {
                    end++;
                }
                if (i != 0) {
                    throw invalidPath(path, "expected '.' or '[' at position " + i);
                }
                steps.add(rest.substring(i, end));
                i = end;
            }
        }
        return steps;
    }

    private static IllegalArgumentException invalidPath(String path, String why) {
        return new IllegalArgumentException("Invalid JSON path '" + path + "': " + why
                + "; write fields with dots and indexes in brackets, such as messages[0].content or ['user id']");
    }

    /** One chat message of a model call: who wrote it and its text. */
    record ChatMessage(String role, String content) {

        /** Returns the message as a failure message shows it. */
        @Override
        public String toString() {
            return role + ": " + (content == null ? "null" : "\"" + show(content) + "\"");
        }
    }

    /**
     * Returns the chat messages of a model call's input: a JSON array of messages, or an object with a
     * {@code messages} array as in OpenAI's request body. A content given as parts keeps the text of its parts.
     */
    static List<ChatMessage> chatMessages(JsonNode document) {
        JsonNode messages = document == null ? MissingNode.getInstance()
                : document.isObject() ? document.path("messages") : document;
        List<ChatMessage> found = new ArrayList<>();
        if (!messages.isArray()) {
            return found;
        }
        for (JsonNode message : messages) {
            if (message.isObject() && message.has("role")) {
                // OpenTelemetry's GenAI conventions give a message's content as typed parts instead
                JsonNode content = message.has("content") || !message.has("parts") ? message.path("content")
                        : message.path("parts");
                found.add(new ChatMessage(message.path("role").asText(), contentText(content)));
            }
        }
        return found;
    }

    private static String contentText(JsonNode content) {
        if (content.isMissingNode() || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                String partText = part.isTextual() ? part.textValue()
                        : part.path("text").isTextual() ? part.path("text").textValue()
                        : "text".equals(part.path("type").asText()) && part.path("content").isTextual()
                                ? part.path("content").textValue() : null;
                if (partText != null) {
                    text.append(text.length() == 0 ? "" : "\n").append(partText);
                }
            }
            return text.toString();
        }
        return content.toString();
    }

    /** Returns the document as plain Java values: String, Number, Boolean, List, Map, or null. */
    static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        try {
            return MAPPER.treeToValue(node, Object.class);
        } catch (JsonProcessingException impossible) {
            return node.toString();
        }
    }

    /** Returns a document as compact JSON text with the keys of every object sorted, for stable comparisons. */
    static String canonical(JsonNode node) {
        try {
            return SORTED.writeValueAsString(SORTED.treeToValue(node, Object.class));
        } catch (JsonProcessingException impossible) {
            return node.toString();
        }
    }

    /** Returns a document for a failure message, cut when long. */
    static String show(JsonNode node) {
        return node == null ? "null" : show(node.toString());
    }

    /** Returns a JSON text for a failure message, cut when long. */
    static String show(String json) {
        if (json == null) {
            return "null";
        }
        return json.length() <= MAX_SHOWN ? json
                : json.substring(0, MAX_SHOWN) + "… (" + json.length() + " characters)";
    }
}
