package dev.loupe.opentelemetry.export;

import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_AGENT_NAME;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_CONVERSATION_ID;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_OPERATION_NAME;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_REQUEST_MODEL;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_REQUEST_PREFIX;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_TOOL_NAME;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_USAGE_INPUT_TOKENS;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_USAGE_OUTPUT_TOKENS;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_ENVIRONMENT;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_OBSERVATION_COMPLETION_START_TIME;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_OBSERVATION_COST_DETAILS;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_OBSERVATION_INPUT;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_OBSERVATION_LEVEL;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_OBSERVATION_METADATA_PREFIX;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_OBSERVATION_MODEL_NAME;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_OBSERVATION_MODEL_PARAMETERS;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_OBSERVATION_OUTPUT;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_OBSERVATION_PROMPT_NAME;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_OBSERVATION_PROMPT_VERSION;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_OBSERVATION_STATUS_MESSAGE;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_OBSERVATION_TYPE;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_OBSERVATION_USAGE_DETAILS;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_RELEASE;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_TRACE_INPUT;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_TRACE_METADATA_PREFIX;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_TRACE_NAME;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_TRACE_OUTPUT;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_TRACE_TAGS;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_VERSION;
import static dev.loupe.opentelemetry.SpanAttributes.LOUPE_OBSERVATION_ID;
import static dev.loupe.opentelemetry.SpanAttributes.LOUPE_TRACE_ID;
import static dev.loupe.opentelemetry.SpanAttributes.SESSION_ID;
import static dev.loupe.opentelemetry.SpanAttributes.USER_ID;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.loupe.internal.Json;
import dev.loupe.internal.LangfuseUsage;
import dev.loupe.model.Observation;
import dev.loupe.model.Trace;
import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a completed observation, with what is known of its trace, into an OTLP span carrying Langfuse's attributes
 * and the GenAI conventions' ones. Payloads (input, output) are sent once, under Langfuse's names, so that a span is
 * not twice its payload. Usage and cost are sent in both vocabularies: Langfuse's details keep the kinds apart
 * ({@link LangfuseUsage}), while the GenAI conventions' input and output tokens are totals, as Loupe's are.
 */
final class SpanEncoder {

    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
    /** Model parameters that the GenAI conventions name {@code gen_ai.request.<name>}. */
    private static final List<String> REQUEST_PARAMETERS = List.of("temperature", "max_tokens", "top_p", "top_k",
            "frequency_penalty", "presence_penalty", "seed", "stop_sequences");

    private SpanEncoder() {
    }

    /**
     * Returns the span of an observation.
     *
     * @param trace the trace's attributes as known when the span leaves, or null when its trace record never came
     */
    static Span encode(Observation observation, Trace trace) {
        Span.Builder span = Span.newBuilder()
                .setTraceId(traceId(observation.traceId()))
                .setSpanId(spanId(observation.id()))
                .setName(observation.name() != null ? observation.name()
                        : observation.type().name().toLowerCase(Locale.ROOT))
                .setKind(Span.SpanKind.SPAN_KIND_INTERNAL);
        if (observation.parentObservationId() != null) {
            span.setParentSpanId(spanId(observation.parentObservationId()));
        }
        Instant start = observation.startTime();
        Instant end = observation.endTime() != null ? observation.endTime() : start;
        if (start != null) {
            span.setStartTimeUnixNano(nanos(start));
        }
        if (end != null) {
            span.setEndTimeUnixNano(nanos(end));
        }
        if (!TRACE_ID.matcher(observation.traceId()).matches()) {
            put(span, LOUPE_TRACE_ID, observation.traceId());
        }
        if (!SPAN_ID.matcher(observation.id()).matches()) {
            put(span, LOUPE_OBSERVATION_ID, observation.id());
        }
        if (trace != null) {
            traceAttributes(span, trace, observation);
        }
        observationAttributes(span, observation);
        genAiAttributes(span, observation, trace);
        if (observation.level() == ObservationLevel.ERROR) {
            Status.Builder status = Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR);
            if (observation.statusMessage() != null) {
                status.setMessage(observation.statusMessage());
            }
            span.setStatus(status);
        }
        return span.build();
    }

    private static void traceAttributes(Span.Builder span, Trace trace, Observation observation) {
        put(span, LANGFUSE_TRACE_NAME, trace.name());
        put(span, USER_ID, trace.userId());
        put(span, SESSION_ID, trace.sessionId());
        if (!trace.tags().isEmpty()) {
            ArrayValue.Builder tags = ArrayValue.newBuilder();
            trace.tags().forEach(tag -> tags.addValues(AnyValue.newBuilder().setStringValue(tag)));
            span.addAttributes(KeyValue.newBuilder().setKey(LANGFUSE_TRACE_TAGS)
                    .setValue(AnyValue.newBuilder().setArrayValue(tags)));
        }
        put(span, LANGFUSE_ENVIRONMENT, trace.environment());
        put(span, LANGFUSE_RELEASE, trace.release());
        if (observation.version() == null) {
            put(span, LANGFUSE_VERSION, trace.version());
        }
        putMetadata(span, LANGFUSE_TRACE_METADATA_PREFIX, trace.metadata());
        if (observation.parentObservationId() == null) {
            // Langfuse takes a root span's input and output as the trace's: send the trace's only where they differ.
            if (trace.input() != null && !trace.input().equals(observation.input())) {
                put(span, LANGFUSE_TRACE_INPUT, payload(trace.input()));
            }
            if (trace.output() != null && !trace.output().equals(observation.output())) {
                put(span, LANGFUSE_TRACE_OUTPUT, payload(trace.output()));
            }
        }
    }

    private static void observationAttributes(Span.Builder span, Observation observation) {
        put(span, LANGFUSE_OBSERVATION_TYPE, observation.type().name().toLowerCase(Locale.ROOT));
        put(span, LANGFUSE_OBSERVATION_INPUT, payload(observation.input()));
        put(span, LANGFUSE_OBSERVATION_OUTPUT, payload(observation.output()));
        putMetadata(span, LANGFUSE_OBSERVATION_METADATA_PREFIX, observation.metadata());
        if (observation.level() != ObservationLevel.DEFAULT) {
            put(span, LANGFUSE_OBSERVATION_LEVEL, observation.level().name());
        }
        put(span, LANGFUSE_OBSERVATION_STATUS_MESSAGE, observation.statusMessage());
        put(span, LANGFUSE_VERSION, observation.version());
        if (observation.completionStartTime() != null) {
            put(span, LANGFUSE_OBSERVATION_COMPLETION_START_TIME, observation.completionStartTime().toString());
        }
        put(span, LANGFUSE_OBSERVATION_MODEL_NAME, observation.model());
        put(span, LANGFUSE_OBSERVATION_MODEL_PARAMETERS, observation.modelParameters());
        // Langfuse keeps cached input and reasoning apart from input and output, and prices each by its own name.
        Usage usage = observation.usage();
        if (usage != null && !usage.details().isEmpty()) {
            put(span, LANGFUSE_OBSERVATION_USAGE_DETAILS, jsonObject(LangfuseUsage.toLangfuse(usage)));
        }
        Cost cost = observation.cost();
        if (cost != null && !cost.details().isEmpty()) {
            put(span, LANGFUSE_OBSERVATION_COST_DETAILS, jsonObject(LangfuseUsage.toLangfuse(cost)));
        }
        put(span, LANGFUSE_OBSERVATION_PROMPT_NAME, observation.promptName());
        if (observation.promptVersion() != null) {
            span.addAttributes(KeyValue.newBuilder().setKey(LANGFUSE_OBSERVATION_PROMPT_VERSION)
                    .setValue(AnyValue.newBuilder().setIntValue(observation.promptVersion())));
        }
    }

    private static void genAiAttributes(Span.Builder span, Observation observation, Trace trace) {
        String operation = operationName(observation.type());
        if (operation != null) {
            put(span, GEN_AI_OPERATION_NAME, operation);
        }
        if (observation.type() == ObservationType.TOOL) {
            put(span, GEN_AI_TOOL_NAME, observation.name());
        } else if (observation.type() == ObservationType.AGENT) {
            put(span, GEN_AI_AGENT_NAME, observation.name());
        }
        if (trace != null) {
            put(span, GEN_AI_CONVERSATION_ID, trace.sessionId());
        }
        put(span, GEN_AI_REQUEST_MODEL, observation.model());
        requestParameters(span, observation.modelParameters());
        Usage usage = observation.usage();
        if (usage != null) {
            putLong(span, GEN_AI_USAGE_INPUT_TOKENS, usage.input());
            putLong(span, GEN_AI_USAGE_OUTPUT_TOKENS, usage.output());
            putLong(span, GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, usage.detail(Usage.CACHED_INPUT));
            putLong(span, GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, usage.detail(Usage.CACHE_WRITE));
            putLong(span, GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, usage.detail(Usage.REASONING));
        }
    }

    /** Returns the GenAI operation of a type, or null for the types the conventions have no operation for. */
    static String operationName(ObservationType type) {
        return switch (type) {
            case GENERATION -> "chat";
            case EMBEDDING -> "embeddings";
            case TOOL -> "execute_tool";
            case AGENT -> "invoke_agent";
            case RETRIEVER -> "retrieval";
            default -> null;
        };
    }

    private static void requestParameters(Span.Builder span, String modelParameters) {
        JsonNode parameters = parse(modelParameters);
        if (parameters == null || !parameters.isObject()) {
            return;
        }
        for (String name : REQUEST_PARAMETERS) {
            JsonNode value = parameters.get(name);
            if (value == null) {
                continue;
            }
            AnyValue converted = anyValue(value);
            if (converted != null) {
                span.addAttributes(KeyValue.newBuilder().setKey(GEN_AI_REQUEST_PREFIX + name).setValue(converted));
            }
        }
    }

    /** Returns a number, text, boolean or array of them as an attribute value; null for anything else. */
    private static AnyValue anyValue(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return AnyValue.newBuilder().setIntValue(value.asLong()).build();
        }
        if (value.isNumber()) {
            return AnyValue.newBuilder().setDoubleValue(value.asDouble()).build();
        }
        if (value.isTextual()) {
            return AnyValue.newBuilder().setStringValue(value.asText()).build();
        }
        if (value.isBoolean()) {
            return AnyValue.newBuilder().setBoolValue(value.asBoolean()).build();
        }
        if (value.isArray()) {
            ArrayValue.Builder array = ArrayValue.newBuilder();
            for (JsonNode element : value) {
                AnyValue converted = anyValue(element);
                if (converted == null) {
                    return null;
                }
                array.addValues(converted);
            }
            return AnyValue.newBuilder().setArrayValue(array).build();
        }
        return null;
    }

    /** Writes one attribute per top-level key of a JSON object: text as it is, anything else as JSON. */
    private static void putMetadata(Span.Builder span, String prefix, String metadata) {
        JsonNode object = parse(metadata);
        if (object == null || !object.isObject()) {
            put(span, prefix.substring(0, prefix.length() - 1), metadata);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            put(span, prefix + field.getKey(), value.isTextual() ? value.asText() : value.toString());
        }
    }

    /**
     * Returns a payload as Langfuse's SDKs send it: text as it is, anything else as JSON. Langfuse (and Loupe's
     * receiver) read a value that parses as JSON as that JSON, and any other value as text; so a text that would parse
     * as JSON (such as {@code 42} or {@code {"a":1}}) stays a JSON string literal, to come back as text.
     */
    static String payload(String json) {
        if (json == null || json.isEmpty() || json.charAt(0) != '"') {
            return json;
        }
        JsonNode text = parse(json);
        if (text == null || !text.isTextual()) {
            return json;
        }
        String plain = text.asText();
        return plain.isEmpty() || parse(plain) != null ? json : plain;
    }

    private static JsonNode parse(String json) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        try {
            return Json.parse(json);
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    private static String jsonObject(Map<String, ?> details) {
        StringBuilder json = new StringBuilder("{");
        details.forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(Json.quote(key)).append(':').append(value instanceof BigDecimal decimal
                    ? decimal.stripTrailingZeros().toPlainString() : String.valueOf(value));
        });
        return json.append('}').toString();
    }

    private static void put(Span.Builder span, String key, String value) {
        if (value != null) {
            span.addAttributes(KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)));
        }
    }

    private static void putLong(Span.Builder span, String key, Long value) {
        if (value != null) {
            span.addAttributes(KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)));
        }
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** Returns the 16 bytes of a W3C trace id, or the first 16 bytes of the SHA-256 of any other id. */
    static ByteString traceId(String id) {
        return TRACE_ID.matcher(id).matches() ? ByteString.copyFrom(HexFormat.of().parseHex(id)) : hashed(id, 16);
    }

    /** Returns the 8 bytes of a W3C span id, or the first 8 bytes of the SHA-256 of any other id. */
    static ByteString spanId(String id) {
        return SPAN_ID.matcher(id).matches() ? ByteString.copyFrom(HexFormat.of().parseHex(id)) : hashed(id, 8);
    }

    private static ByteString hashed(String id, int length) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return ByteString.copyFrom(digest, 0, length);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java runtime has SHA-256", impossible);
        }
    }
}
