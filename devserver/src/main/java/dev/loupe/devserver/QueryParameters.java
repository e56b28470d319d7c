package dev.loupe.devserver;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The query string of one API request, read into typed values. Every mistake becomes a 400 {@link ApiError} that
 * names the parameter and says what it should be; a blank value counts as absent, so empty form fields filter
 * nothing.
 */
final class QueryParameters {

    private final Map<String, List<String>> values;

    private QueryParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * Reads the query string, refusing parameters the endpoint does not know: a misspelt filter would otherwise
     * silently match everything.
     */
    static QueryParameters of(Map<String, List<String>> values, Set<String> accepted) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(accepted);
        if (!unknown.isEmpty()) {
            throw ApiError.badRequest("Unknown query parameter" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + ": this endpoint accepts " + String.join(", ", new TreeSet<>(accepted)));
        }
        return new QueryParameters(values);
    }

    /** Returns the single value of a parameter, or null when it is absent or blank. */
    String string(String name) {
        List<String> given = values.getOrDefault(name, List.of()).stream().filter(v -> !v.isBlank()).toList();
        if (given.size() > 1) {
            throw ApiError.badRequest(name + " was given " + given.size() + " times: give it once");
        }
        return given.isEmpty() ? null : given.get(0).trim();
    }

    /** Returns every non-blank value of a repeatable parameter; a value may also list several, comma-separated. */
    List<String> strings(String name) {
        return values.getOrDefault(name, List.of()).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(value -> !value.isEmpty())
                .distinct()
                .toList();
    }

    /** Returns a whole number, or the default when absent. */
    int integer(String name, int defaultValue) {
        String value = string(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException notANumber) {
            throw ApiError.badRequest(name + " is '" + value + "': use a whole number");
        }
    }

    /** Returns a number, or null when absent. */
    Double number(String name) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        try {
            double number = Double.parseDouble(value);
            if (Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // explained below
        }
        throw ApiError.badRequest(name + " is '" + value + "': use a number such as 0.5");
    }

    /** Returns true or false, or null when absent. */
    Boolean bool(String name) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiError.badRequest(name + " is '" + value + "': use true or false");
        };
    }

    /** Returns an instant written in ISO 8601 with a zone, such as {@code 2025-01-31T09:30:00Z}, or null. */
    Instant instant(String name) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notATime) {
            throw ApiError.badRequest(name + " is '" + value
                    + "': use an ISO 8601 time with a zone, such as 2025-01-31T09:30:00Z");
        }
    }

    /** Returns a value parsed by the given parser, whose {@link IllegalArgumentException} lists what is valid. */
    <T> T parsed(String name, Function<String, T> parser) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException invalid) {
            throw ApiError.badRequest(name + " is invalid: " + invalid.getMessage());
        }
    }
}
