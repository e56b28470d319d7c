package dev.loupe.store.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.loupe.store.MetadataFilter;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How a metadata object is flattened into the rows that metadata filters read: one entry per key path, with the
 * scalar there as text. The one definition, used by the writer and by the filters.
 */
final class MetadataEntries {

    /** Joins the keys of a path; the control character "unit separator", which no sensible key contains. */
    static final String PATH_SEPARATOR = "\u001f";
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * One entry.
     *
     * @param path  the keys joined by {@link #PATH_SEPARATOR}
     * @param value the scalar at the path as text; null for an object, an array, a JSON null, or a value longer
     *              than {@link MetadataFilter#MAX_VALUE_LENGTH}
     */
    record Entry(String path, String value) {
    }

    private MetadataEntries() {
    }

    /** Returns the stored form of a filter's path. */
    static String path(List<String> keys) {
        return String.join(PATH_SEPARATOR, keys);
    }

    /** Returns the entries of a metadata JSON object (none for null or for a document that is no object). */
    static Set<Entry> of(String metadata) {
        Set<Entry> entries = new LinkedHashSet<>();
        if (metadata == null) {
            return entries;
        }
        try (JsonParser parser = JSON.createParser(metadata)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return entries;
            }
            // The path of each open container; an array keeps its parent's path.
            Deque<String> paths = new ArrayDeque<>();
            paths.push("");
            String key = null;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case FIELD_NAME -> key = parser.currentName();
                    case START_OBJECT, START_ARRAY -> {
                        String path = here(paths, key, parser);
                        if (path != null) {
                            entries.add(new Entry(path, null));
                        }
                        paths.push(path == null ? paths.peek() : path);
                    }
                    case END_OBJECT, END_ARRAY -> paths.pop();
                    default -> {
                        String path = here(paths, key, parser);
                        if (path != null) {
                            entries.add(new Entry(path, scalar(parser, token)));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException notJson) {
            // Stored metadata is a JSON object; if one is not, it has no keys to find.
        }
        return entries;
    }

    /** The path of the value the parser is at: a member's path, or the enclosing array's for an element. */
    private static String here(Deque<String> paths, String key, JsonParser parser) {
        // At the start of an object or array, the parsing context is the new container's; at a scalar, the
        // enclosing one's.
        var context = parser.currentToken().isStructStart() ? parser.getParsingContext().getParent()
                : parser.getParsingContext();
        String enclosing = paths.peek();
        if (context.inArray()) {
            return enclosing.isEmpty() ? null : enclosing;
        }
        return enclosing.isEmpty() ? key : enclosing + PATH_SEPARATOR + key;
    }

    private static String scalar(JsonParser parser, JsonToken token) throws IOException {
        String text = switch (token) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getText();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            default -> null;
        };
        return text != null && text.length() <= MetadataFilter.MAX_VALUE_LENGTH ? text : null;
    }
}
