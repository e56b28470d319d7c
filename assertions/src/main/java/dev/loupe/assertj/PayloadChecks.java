package dev.loupe.assertj;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.assertj.LoupeErrors.Subject;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The checks of JSON payloads that traces and observations share: input, output, tool arguments and result,
 * metadata, model parameters. Each returns the failure message, or null when the check passes.
 */
final class PayloadChecks {

    private PayloadChecks() {
    }

    /** Checks that the payload equals a value, as the tracer would have recorded the value. */
    static String equalsValue(Subject subject, String payload, String json, Object expected) {
        return equalsJson(subject, payload, json, JsonPayload.fromValue(expected));
    }

    /** Checks that the payload is a JSON document, compared as JSON. */
    static String equalsDocument(Subject subject, String payload, String json, String expectedJson) {
        return equalsJson(subject, payload, json, JsonPayload.parseExpected(expectedJson));
    }

    private static String equalsJson(Subject subject, String payload, String json, JsonNode expected) {
        return JsonPayload.sameJson(JsonPayload.parse(json), expected) ? null
                : LoupeErrors.shouldHavePayload(subject, payload, expected, json);
    }

    /** Checks that the payload, or any string in it, contains the text. */
    static String containing(Subject subject, String payload, String json, String text) {
        return JsonPayload.containsText(json, text) ? null
                : LoupeErrors.shouldHavePayloadContaining(subject, payload, text, json);
    }

    /** Checks that the payload has the value at a JSON path. */
    static String at(Subject subject, String payload, String json, String path, Object expected) {
        JsonNode wanted = JsonPayload.fromValue(expected);
        Optional<JsonNode> found = JsonPayload.at(JsonPayload.parse(json), path);
        return found.isPresent() && JsonPayload.sameJson(found.get(), wanted) ? null
                : LoupeErrors.shouldHavePayloadAt(subject, payload, path, wanted, found.orElse(null), json);
    }

    /** Checks that the payload, decoded into plain Java values, satisfies the requirements. */
    static String satisfying(Subject subject, String payload, String json, Consumer<Object> requirements) {
        try {
            requirements.accept(JsonPayload.toJava(JsonPayload.parse(json)));
            return null;
        } catch (AssertionError failure) {
            return LoupeErrors.shouldHavePayloadSatisfying(subject, payload, json, failure);
        }
    }

    /** Checks that a JSON object (metadata, model parameters, arguments) has an entry with the value. */
    static String entry(Subject subject, String entry, String json, String key, Object expected) {
        JsonNode wanted = JsonPayload.fromValue(expected);
        JsonNode object = JsonPayload.parse(json);
        JsonNode found = object == null || !object.isObject() || !object.has(key) ? null : object.get(key);
        return found != null && JsonPayload.sameJson(found, wanted) ? null
                : LoupeErrors.shouldHaveEntry(subject, entry, key, wanted, found, json);
    }
}
