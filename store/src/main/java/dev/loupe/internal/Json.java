package dev.loupe.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.loupe.trace.spi.JsonPayload;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * Turns the objects that applications record (inputs, outputs, metadata) into JSON documents. It never throws:
 * values that are too large, too deep (cyclic graphs end up so) or not serializable are recorded as far as possible
 * with a visible marker.
 */
public final class Json {

    /** Objects nested deeper than this are cut; a cyclic object graph reaches it quickly. */
    public static final int MAX_DEPTH = 64;
    /** Key of the marker object that stands for a value Loupe had to cut. */
    public static final String TRUNCATED = "loupe.truncated";
    /** Key of the marker object that stands for a value Jackson could not serialize. */
    public static final String UNSERIALIZABLE = "loupe.unserializable";

    /**
     * The shared mapper, made on first use: text payloads, the most common ones, are written without it, and
     * loading Jackson's data binding costs a short test run hundreds of classes.
     */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = JsonMapper.builder(JsonFactory.builder()
                        .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                        .build())
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(SerializationFeature.WRITE_SELF_REFERENCES_AS_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
    }

    private Json() {
    }

    /** Returns the shared mapper; internal code only. */
    public static ObjectMapper mapper() {
        return Mapper.INSTANCE;
    }

    /**
     * Captures a value at the moment it is recorded, so later changes to the object do not change the trace. Values
     * known to be immutable are kept as they are and serialized later on the writer thread; anything else is
     * serialized now into a {@link JsonPayload}.
     */
    public static Object capture(Object value, int maxChars) {
        if (value instanceof CharSequence text && text.length() > maxChars) {
            // cut now: a long text must not sit in the export queue at its full size
            return new JsonPayload(write(text, maxChars));
        }
        if (value == null || value instanceof JsonPayload || isImmutable(value, 0)) {
            return value;
        }
        return new JsonPayload(write(value, maxChars));
    }

    /** Returns the JSON document of a value returned by {@link #capture}, or null for null. */
    public static String toJson(Object captured, int maxChars) {
        if (captured == null) {
            return null;
        }
        if (captured instanceof JsonPayload text) {
            return text.json();
        }
        return write(captured, maxChars);
    }

    /** Serializes any value into a JSON document of at most about {@code maxChars} characters; never throws. */
    public static String write(Object value, int maxChars) {
        if (value instanceof CharSequence text && text.length() > maxChars) {
            return truncatedString(text, maxChars);
        }
        if (value instanceof String text) {
            // Strings are most payloads: escaping them directly costs a fraction of setting up a generator, and
            // gives the same document. One that escaping makes too long takes the bounded path below.
            String quoted = quote(text);
            if (quoted.length() <= maxChars) {
                return quoted;
            }
        }
        BoundedWriter out = new BoundedWriter(maxChars);
        try (JsonGenerator generator = Mapper.INSTANCE.createGenerator(out)) {
            Mapper.INSTANCE.writeValue(generator, value);
            return out.toString();
        } catch (Exception | LinkageError | StackOverflowError | AssertionError failure) {
            // Errors a getter or serializer of the application throws are its value's problem, not the JVM's:
            // they are recorded like exceptions. Only VirtualMachineErrors other than stack overflow pass.
            if (hasCause(failure, BoundedWriter.LimitReached.class)) {
                return marker(TRUNCATED, "larger than " + maxChars + " characters; raise loupe.payload.maxChars to keep more",
                        value, out.toString(), maxChars);
            }
            if (hasCause(failure, StreamConstraintsException.class) || failure instanceof StackOverflowError) {
                return marker(TRUNCATED, "nested deeper than " + MAX_DEPTH + " levels (a cyclic object graph?)",
                        value, out.toString(), maxChars);
            }
            return marker(UNSERIALIZABLE, failure.getClass().getSimpleName() + ": " + failure.getMessage(), value,
                    safeToString(value), maxChars);
        }
    }

    private static String truncatedString(CharSequence text, int maxChars) {
        int keep = Math.max(0, maxChars - 80);
        return quote(text.subSequence(0, keep) + "…[" + TRUNCATED + ": " + text.length() + " characters, kept "
                + keep + "]");
    }

    private static String marker(String kind, String reason, Object value, String preview, int maxChars) {
        ObjectNode node = Mapper.INSTANCE.createObjectNode();
        node.put(kind, reason);
        node.put("type", value == null ? "null" : value.getClass().getName());
        String cut = preview.length() > maxChars ? preview.substring(0, maxChars) : preview;
        node.put("preview", cut);
        return node.toString();
    }

    private static String safeToString(Object value) {
        try {
            return String.valueOf(value);
        } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError failure) {
            return value.getClass().getName() + " (toString failed: " + failure + ")";
        }
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** Returns a JSON string literal of the text. */
    public static String quote(CharSequence text) {
        if (text instanceof String plain && !needsEscaping(plain)) {
            // most payloads: nothing to escape, so one concatenation makes the document
            return "\"" + plain + "\"";
        }
        char[] escaped = JsonStringEncoder.getInstance().quoteAsString(text);
        return new StringBuilder(escaped.length + 2).append('"').append(escaped).append('"').toString();
    }

    /** Returns whether JSON needs an escape for some character of the text: a quote, a backslash or a control. */
    private static boolean needsEscaping(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns whether a value cannot change after it is recorded, so serializing it can wait for the writer thread:
     * strings, numbers, booleans, enums, UUIDs, java.time values, and the JDK's immutable collections of those.
     */
    static boolean isImmutable(Object value, int depth) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Character
                || value instanceof Enum<?> || value instanceof UUID) {
            return true;
        }
        Class<?> type = value.getClass();
        if (type == Integer.class || type == Long.class || type == Double.class || type == Float.class
                || type == Short.class || type == Byte.class || type == BigDecimal.class || type == BigInteger.class
                || type.getPackageName().equals("java.time")) {
            return true;
        }
        if (depth >= 3 || !type.getName().startsWith("java.util.ImmutableCollections$")) {
            return false;
        }
        if (value instanceof Collection<?> collection) {
            if (collection.size() > 64) {
                return false;
            }
            for (Object element : collection) {
                if (!isImmutable(element, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            if (map.size() > 64) {
                return false;
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!isImmutable(entry.getKey(), depth + 1) || !isImmutable(entry.getValue(), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Merges two JSON objects key by key, the later value winning; when either is not an object, the later document
     * wins. Null stands for "nothing recorded".
     */
    public static String mergeObjects(String earlier, String later) {
        if (earlier == null || earlier.equals(later)) {
            return later == null ? earlier : later;
        }
        if (later == null) {
            return earlier;
        }
        try {
            JsonNode first = Mapper.INSTANCE.readTree(earlier);
            JsonNode second = Mapper.INSTANCE.readTree(later);
            if (first instanceof ObjectNode merged && second instanceof ObjectNode update) {
                merged.setAll(update);
                return merged.toString();
            }
        } catch (IOException notJson) {
            // a document that is not JSON cannot be merged; the later one wins
        }
        return later;
    }

    /** Parses a JSON document; internal code only. */
    public static JsonNode parse(String json) throws IOException {
        return Mapper.INSTANCE.readTree(json);
    }

    /** A writer that stops a serialization once it has produced the allowed number of characters. */
    private static final class BoundedWriter extends Writer {
        private final StringBuilder text = new StringBuilder();
        private final int limit;

        BoundedWriter(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(char[] chars, int offset, int length) throws IOException {
            int room = limit - text.length();
            if (length > room) {
                text.append(chars, offset, Math.max(0, room));
                throw new LimitReached();
            }
            text.append(chars, offset, length);
        }

        @Override
        public void write(String string, int offset, int length) throws IOException {
            int room = limit - text.length();
            if (length > room) {
                text.append(string, offset, offset + Math.max(0, room));
                throw new LimitReached();
            }
            text.append(string, offset, offset + length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }

        /** Thrown to stop serialization at the limit; carries no stack trace, it is control flow. */
        static final class LimitReached extends IOException {
            private static final long serialVersionUID = 1L;

            LimitReached() {
                super("payload limit reached", null);
            }

            @Override
            public synchronized Throwable fillInStackTrace() {
                return this;
            }
        }
    }
}
