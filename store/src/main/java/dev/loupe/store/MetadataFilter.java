package dev.loupe.store;

import java.util.ArrayList;
import java.util.List;

/**
 * One condition on metadata, for {@link TraceQuery.Builder#metadata} and {@link ObservationQuery.Builder#metadata}:
 * a key (or the keys along a JSON path) exists, or the value there equals a given text. A value is compared as text:
 * a string by its characters, a number as written ({@code 3}, {@code 0.5}), a boolean as {@code true} or
 * {@code false}. The elements of an array stand at the array's path: {@code $.labels} equals {@code "beta"} when the
 * array holds {@code "beta"}. Values longer than 1,000 characters can be found by their key only.
 *
 * @param path  the keys from the top of the metadata object down to the value, at least one
 * @param value the text the value must equal, or null when the key need only exist
 */
public record MetadataFilter(List<String> path, String value) {

    /** The longest value that a filter can compare; longer stored values are found by their key only. */
    public static final int MAX_VALUE_LENGTH = 1_000;

    /** Checks the path; copies it. */
    public MetadataFilter {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("a metadata filter needs a key; give at least one");
        }
        path = List.copyOf(path);
        for (String key : path) {
            if (key.isEmpty()) {
                throw new IllegalArgumentException("metadata path " + path + " has an empty key: name every key");
            }
        }
        if (value != null && value.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("metadata value for " + String.join(".", path) + " is "
                    + value.length() + " characters long; values longer than " + MAX_VALUE_LENGTH
                    + " are not compared: filter on the key alone");
        }
    }

    /** Keeps what has this top-level metadata key with this value, compared as text. */
    public static MetadataFilter keyEquals(String key, String value) {
        java.util.Objects.requireNonNull(value, "value");
        return new MetadataFilter(List.of(requireKey(key)), value);
    }

    /** Keeps what has this top-level metadata key, whatever its value. */
    public static MetadataFilter hasKey(String key) {
        return new MetadataFilter(List.of(requireKey(key)), null);
    }

    /**
     * Keeps what has this value at a JSON path such as {@code $.customer.tier} or {@code $['a.b'].c}.
     *
     * @throws IllegalArgumentException naming the path when it is not of that form
     */
    public static MetadataFilter atPath(String jsonPath, String value) {
        java.util.Objects.requireNonNull(value, "value");
        return new MetadataFilter(parsePath(jsonPath), value);
    }

    /**
     * Keeps what has a value (of any kind, objects included) at a JSON path such as {@code $.customer.tier}.
     *
     * @throws IllegalArgumentException naming the path when it is not of that form
     */
    public static MetadataFilter pathExists(String jsonPath) {
        return new MetadataFilter(parsePath(jsonPath), null);
    }

    private static String requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("metadata key is " + (key == null ? "null" : "empty")
                    + ": give the key to look for");
        }
        return key;
    }

    /**
     * Reads a JSON path of member names: {@code $} then {@code .name} or {@code ['name']} / {@code ["name"]} steps.
     * A leading {@code $.} may be left out. An array step {@code [*]} is skipped (elements stand at the array's path).
     */
    static List<String> parsePath(String jsonPath) {
        if (jsonPath == null || jsonPath.isBlank()) {
            throw new IllegalArgumentException("metadata path is " + (jsonPath == null ? "null" : "blank")
                    + ": give a JSON path such as $.customer.tier");
        }
        String path = jsonPath.trim();
        int i = 0;
        if (path.startsWith("$")) {
            i = 1;
        } else {
            path = "." + path;
        }
        List<String> keys = new ArrayList<>();
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                if (end == i + 1) {
                    throw badPath(jsonPath, "a '.' is not followed by a key");
                }
                keys.add(path.substring(i + 1, end));
                i = end;
            } else if (path.startsWith("[*]", i)) {
                i += 3;
            } else if (c == '[' && i + 1 < path.length() && (path.charAt(i + 1) == '\'' || path.charAt(i + 1) == '"')) {
                char quote = path.charAt(i + 1);
                int close = path.indexOf(quote + "]", i + 2);
                if (close < 0) {
                    throw badPath(jsonPath, "the key quoted at position " + (i + 1) + " is not closed with " + quote
                            + "]");
                }
                keys.add(path.substring(i + 2, close));
                i = close + 2;
            } else if (c == '[') {
                throw badPath(jsonPath, "array positions are not supported; the elements of an array stand at the "
                        + "array's path, so leave the [..] out (or write [*])");
            } else {
                throw badPath(jsonPath, "unexpected '" + c + "' at position " + i);
            }
        }
        if (keys.isEmpty()) {
            throw badPath(jsonPath, "it names no key");
        }
        return keys;
    }

    private static IllegalArgumentException badPath(String jsonPath, String why) {
        return new IllegalArgumentException("metadata path '" + jsonPath + "' cannot be read: " + why
                + ". Write it as $.key.nested or $['key with.dots'].nested");
    }
}
