package dev.loupe.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Turns a request into the key recordings are matched by: the method, the path, and the body normalised. Object keys
 * are sorted at every depth, volatile fields (which change from run to run without changing the answer) are left
 * out, and so are fields marked secret, which are never written either. A body that is not JSON is kept as text.
 */
final class RequestKeys {

    /**
     * Top-level fields left out by default: they identify the caller or steer caching and storage at the provider,
     * not what the model is asked.
     */
    static final Set<String> VOLATILE_FIELDS = Set.of("user", "metadata", "store", "prompt_cache_key",
            "safety_identifier", "service_tier");

    private final Set<String> ignored;
    private final Set<String> secret;

    RequestKeys(Set<String> ignoredFields, Set<String> secretFields) {
        this.ignored = Set.copyOf(ignoredFields);
        this.secret = Set.copyOf(secretFields);
    }

    /** Returns the key of a request. */
    RequestKey keyOf(String method, String path, byte[] body) {
        JsonNode normalised;
        if (body.length == 0) {
            normalised = JsonNodeFactory.instance.nullNode();
        } else {
            try {
                normalised = normalise(Recordings.MAPPER.readTree(body), true);
            } catch (IOException notJson) {
                normalised = TextNode.valueOf(new String(body, StandardCharsets.UTF_8));
            }
        }
        return new RequestKey(method, path, normalised);
    }

    /** Returns a stored body normalised again, so that recordings follow the current settings. */
    JsonNode normalise(JsonNode body) {
        return normalise(body, true);
    }

    private JsonNode normalise(JsonNode node, boolean top) {
        if (node == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            Iterator<String> fields = node.fieldNames();
            fields.forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                if (secret.contains(name) || top && ignored.contains(name)) {
                    continue;
                }
                sorted.set(name, normalise(node.get(name), false));
            }
            return sorted;
        }
        if (node.isArray()) {
            var array = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> array.add(normalise(element, false)));
            return array;
        }
        return node;
    }

    /**
     * A request as recordings are matched by.
     *
     * @param method the HTTP method
     * @param path   the path below the provider's base URL, such as {@code /v1/chat/completions}
     * @param body   the normalised body
     */
    record RequestKey(String method, String path, JsonNode body) {

        /** Returns the key as readable text: the request line, then the body pretty-printed. */
        String text() {
            return method + " " + path + "\n" + Recordings.pretty(body);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof RequestKey key && method.equals(key.method) && path.equals(key.path)
                    && body.equals(key.body);
        }

        @Override
        public int hashCode() {
            return (method.hashCode() * 31 + path.hashCode()) * 31 + body.hashCode();
        }
    }

}
