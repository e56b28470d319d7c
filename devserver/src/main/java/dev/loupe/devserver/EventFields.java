package dev.loupe.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.loupe.trace.spi.JsonPayload;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The fields of one JSON object of an ingestion event, read into typed values. A field that is absent or JSON
 * {@code null} reads as null (it changes nothing in a stored entity); a field of the wrong type is an
 * {@link InvalidEvent} naming it, its value and the type to send.
 */
final class EventFields {

    /** The longest id the store keeps, as Langfuse allows. */
    static final int MAX_ID_LENGTH = 800;

    private static final int SHOWN_VALUE_CHARS = 60;

    private final JsonNode node;
    private final String path;

    private EventFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /**
     * Returns the fields of an object found at {@code path}, such as {@code body}.
     *
     * @throws InvalidEvent when the value is not an object
     */
    static EventFields of(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidEvent(path + " is " + describe(node) + ": send a JSON object");
        }
        return new EventFields(node, path);
    }

    /** Returns whether the field is present with a value other than null. */
    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    /** Returns the names of the object's fields, in the order sent. */
    List<String> names() {
        List<String> names = new ArrayList<>(node.size());
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Returns the raw value of a field, or null when absent or JSON null. */
    JsonNode value(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** Returns the fields of a nested object, or null when absent. */
    EventFields object(String field) {
        JsonNode value = value(field);
        return value == null ? null : of(value, name(field));
    }

    String text(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(field, value, "a string");
        }
        return value.textValue();
    }

    /** Reads an id: a string (or a number, which some clients send) of at most {@value #MAX_ID_LENGTH} characters. */
    String id(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual() && !value.isIntegralNumber()) {
            throw wrongType(field, value, "a string id");
        }
        String id = value.asText();
        if (id.isBlank()) {
            throw new InvalidEvent(name(field) + " is blank: send a non-blank id, such as a UUID");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new InvalidEvent(name(field) + " '" + id.substring(0, 40) + "...' is " + id.length()
                    + " characters long: ids may have at most " + MAX_ID_LENGTH + " characters");
        }
        return id;
    }

    /** Reads a time: an ISO 8601 string, with a zone or (read as UTC) without one. */
    Instant instant(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(field, value, "an ISO 8601 time such as \"2025-01-31T09:30:00.000Z\"");
        }
        String text = value.textValue().trim();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutZone) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notATime) {
                throw new InvalidEvent(name(field) + " is " + describe(value)
                        + ": send an ISO 8601 time such as \"2025-01-31T09:30:00.000Z\"");
            }
        }
    }

    Integer integer(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw wrongType(field, value, "a whole number");
        }
        return value.intValue();
    }

    /** Reads a list of strings, such as tags. */
    List<String> texts(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw wrongType(field, value, "an array of strings");
        }
        List<String> texts = new ArrayList<>(value.size());
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new InvalidEvent(name(field) + " holds " + describe(element) + ": send an array of strings");
            }
            texts.add(element.textValue());
        }
        return texts;
    }

    /** Reads any JSON value as a payload stored as it is, such as an input or output. */
    JsonPayload payload(String field) {
        JsonNode value = value(field);
        return value == null ? null : new JsonPayload(value.toString());
    }

    /**
     * Reads metadata as values by key: an object's members, each stored as the JSON it is. Metadata that is not an
     * object (a string, say) is kept under the key {@code metadata}, as Langfuse keeps it.
     */
    Map<String, Object> metadata(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return Map.of();
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (value.isObject()) {
            value.fields().forEachRemaining(entry -> metadata.put(entry.getKey(),
                    new JsonPayload(entry.getValue().toString())));
        } else {
            metadata.put("metadata", new JsonPayload(value.toString()));
        }
        return metadata;
    }

    /** Reads an enum-like string, such as a level, with the parser that lists the valid values. */
    <T> T parsed(String field, Function<String, T> parser) {
        String text = text(field);
        if (text == null) {
            return null;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException invalid) {
            throw new InvalidEvent(name(field) + ": " + invalid.getMessage());
        }
    }

    /** Returns the full name of a field, such as {@code body.startTime}, for messages. */
    String name(String field) {
        return path + "." + field;
    }

    InvalidEvent wrongType(String field, JsonNode value, String expected) {
        return new InvalidEvent(name(field) + " is " + describe(value) + ": send " + expected);
    }

    /** Describes a JSON value for a message: its type, and the value itself when short. */
    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "missing";
        }
        JsonNodeType type = value.getNodeType();
        String shown = value.toString();
        if (shown.length() > SHOWN_VALUE_CHARS) {
            shown = shown.substring(0, SHOWN_VALUE_CHARS) + "...";
        }
        return switch (type) {
            case NULL -> "null";
            case OBJECT -> "an object " + shown;
            case ARRAY -> "an array " + shown;
            default -> "the " + type.name().toLowerCase(Locale.ROOT) + " " + shown;
        };
    }
}
