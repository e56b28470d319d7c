package dev.loupe.devserver;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The query string of one API request, read into typed values. Every mistake becomes a 400 {@link ApiError} that
 * names the parameter and says what it should be; a blank value counts as absent, so empty form fields filter
 * nothing.
 */
final class QueryParameters {

    // Numbers are written with the ASCII digits: Java's parsers also take other scripts' digits (such as the
    // fullwidth １), and Double.parseDouble takes hexadecimal and a trailing d or f, none of which a URL should carry.
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");
    private static final Pattern DECIMAL_NUMBER = Pattern.compile("-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
    private static final String PERCENT_ENCODING_HINT = "write a % sign itself as %25, and other reserved or "
            + "non-ASCII characters as %XX escapes of their UTF-8 bytes, such as %C3%A9 for \u00e9";

    private final Map<String, List<String>> values;

    private QueryParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * Reads a raw query string (null when the request has none), refusing parameters the endpoint does not know: a
     * misspelt filter would otherwise silently match everything. Names and values are decoded strictly: a malformed
     * percent escape or bytes that are not UTF-8 are a 400, not a parameter silently dropped or garbled.
     */
    static QueryParameters of(String queryString, Set<String> accepted) {
        Map<String, List<String>> values = parse(queryString);
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(accepted);
        if (!unknown.isEmpty()) {
            throw ApiError.badRequest("Unknown query parameter" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown.stream().map(name -> name.isEmpty() ? "'' (a value without a name)"
                            : name).toList())
                    + ": this endpoint accepts " + String.join(", ", new TreeSet<>(accepted)));
        }
        return new QueryParameters(values);
    }

    /** Splits a query string into its parameters, as HTML forms write them: {@code &} between them, + for a space. */
    private static Map<String, List<String>> parse(String queryString) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (queryString == null) {
            return values;
        }
        for (String pair : queryString.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), null, pair);
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), name, pair);
            values.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return values;
    }

    /** Decodes one name or value; {@code parameter} is the decoded name for a value, null for the name itself. */
    private static String decode(String encoded, String parameter, String pair) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int high = i + 1 < encoded.length() ? hexDigit(encoded.charAt(i + 1)) : -1;
                int low = i + 2 < encoded.length() ? hexDigit(encoded.charAt(i + 2)) : -1;
                if (high < 0 || low < 0) {
                    String escape = encoded.substring(i, Math.min(encoded.length(), i + 3));
                    throw ApiError.badRequest((parameter == null ? "The query string" : "Query parameter " + parameter)
                            + " has a malformed percent escape '" + escape + "' in '" + pair + "': "
                            + PERCENT_ENCODING_HINT);
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                // Characters that arrived unescaped stand for themselves.
                int codePoint = encoded.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            throw ApiError.badRequest((parameter == null ? "The query string" : "Query parameter " + parameter)
                    + " is not UTF-8 in '" + pair + "': " + PERCENT_ENCODING_HINT);
        }
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Returns the single value of a parameter, or null when it is absent or blank. */
    String string(String name) {
        List<String> given = values.getOrDefault(name, List.of()).stream().filter(v -> !v.isBlank()).toList();
        if (given.size() > 1) {
            throw ApiError.badRequest(name + " was given " + given.size() + " times: give it once");
        }
        return given.isEmpty() ? null : given.get(0).trim();
    }

    /** Returns every non-blank value of a repeatable parameter, as given (commas included). */
    List<String> values(String name) {
        return values.getOrDefault(name, List.of()).stream().filter(value -> !value.isBlank()).map(String::trim)
                .toList();
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

    /** Returns a whole number written with the digits 0 to 9, or the default when absent. */
    int integer(String name, int defaultValue) {
        String value = string(name);
        if (value == null) {
            return defaultValue;
        }
        if (!WHOLE_NUMBER.matcher(value).matches()) {
            throw ApiError.badRequest(name + " is '" + value + "': use a whole number written with the digits 0-9");
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException tooLarge) {
            throw ApiError.badRequest(name + " is '" + value + "': use a whole number between " + Integer.MIN_VALUE
                    + " and " + Integer.MAX_VALUE);
        }
    }

    /** Returns a decimal number written with the digits 0 to 9 (such as 0.5, -2 or 1e-3), or null when absent. */
    Double number(String name) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        if (DECIMAL_NUMBER.matcher(value).matches()) {
            double number = Double.parseDouble(value);
            if (Double.isFinite(number)) {
                return number;
            }
        }
        throw ApiError.badRequest(name + " is '" + value + "': use a number written with the digits 0-9, such as 0.5");
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
