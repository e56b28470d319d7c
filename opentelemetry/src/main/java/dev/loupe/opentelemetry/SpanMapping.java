package dev.loupe.opentelemetry;

import static dev.loupe.opentelemetry.SpanAttributes.DEPLOYMENT_ENVIRONMENT;
import static dev.loupe.opentelemetry.SpanAttributes.DEPLOYMENT_ENVIRONMENT_NAME;
import static dev.loupe.opentelemetry.SpanAttributes.EXCEPTION_EVENT;
import static dev.loupe.opentelemetry.SpanAttributes.EXCEPTION_MESSAGE;
import static dev.loupe.opentelemetry.SpanAttributes.EXCEPTION_TYPE;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_ASSISTANT_MESSAGE_EVENT;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_CHOICE_EVENT;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_COMPLETION;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_COMPLETION_PREFIX;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_CONTENT_COMPLETION_EVENT;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_CONTENT_PROMPT_EVENT;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_CONVERSATION_ID;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_EVALUATION_EXPLANATION;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_EVALUATION_NAME;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_EVALUATION_RESULT_EVENT;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_EVALUATION_SCORE_LABEL;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_EVALUATION_SCORE_VALUE;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_EVENT_CONTENT;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_INPUT_MESSAGES;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_OPERATION_NAME;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_OUTPUT_MESSAGES;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_PROMPT;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_PROMPT_PREFIX;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_PROVIDER_NAME;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_REQUEST_MODEL;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_REQUEST_PREFIX;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_RESPONSE_MODEL;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_SYSTEM;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_SYSTEM_INSTRUCTIONS;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_SYSTEM_MESSAGE_EVENT;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_TOOL_CALL_ARGUMENTS;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_TOOL_CALL_RESULT;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_TOOL_DEFINITIONS;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_TOOL_MESSAGE_EVENT;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_USAGE_COMPLETION_TOKENS;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_USAGE_INPUT_TOKENS;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_USAGE_OUTPUT_TOKENS;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_USAGE_PROMPT_TOKENS;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS;
import static dev.loupe.opentelemetry.SpanAttributes.GEN_AI_USER_MESSAGE_EVENT;
import static dev.loupe.opentelemetry.SpanAttributes.INPUT_MIME_TYPE;
import static dev.loupe.opentelemetry.SpanAttributes.INPUT_VALUE;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_ENVIRONMENT;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_INTERNAL_PREFIX;
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
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_SESSION_ID;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_TRACE_INPUT;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_TRACE_METADATA_PREFIX;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_TRACE_NAME;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_TRACE_OUTPUT;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_TRACE_TAGS;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_USER_ID;
import static dev.loupe.opentelemetry.SpanAttributes.LANGFUSE_VERSION;
import static dev.loupe.opentelemetry.SpanAttributes.LLM_INPUT_MESSAGES_PREFIX;
import static dev.loupe.opentelemetry.SpanAttributes.LLM_INVOCATION_PARAMETERS;
import static dev.loupe.opentelemetry.SpanAttributes.LLM_MODEL_NAME;
import static dev.loupe.opentelemetry.SpanAttributes.LLM_OUTPUT_MESSAGES_PREFIX;
import static dev.loupe.opentelemetry.SpanAttributes.LLM_TOKEN_COUNT_CACHE_READ;
import static dev.loupe.opentelemetry.SpanAttributes.LLM_TOKEN_COUNT_CACHE_WRITE;
import static dev.loupe.opentelemetry.SpanAttributes.LLM_TOKEN_COUNT_COMPLETION;
import static dev.loupe.opentelemetry.SpanAttributes.LLM_TOKEN_COUNT_PROMPT;
import static dev.loupe.opentelemetry.SpanAttributes.LLM_TOKEN_COUNT_REASONING;
import static dev.loupe.opentelemetry.SpanAttributes.LLM_TOKEN_COUNT_TOTAL;
import static dev.loupe.opentelemetry.SpanAttributes.LLM_USAGE_TOTAL_TOKENS;
import static dev.loupe.opentelemetry.SpanAttributes.METADATA_EVENTS;
import static dev.loupe.opentelemetry.SpanAttributes.METADATA_EXCEPTION;
import static dev.loupe.opentelemetry.SpanAttributes.METADATA_LINKS;
import static dev.loupe.opentelemetry.SpanAttributes.METADATA_RESOURCE;
import static dev.loupe.opentelemetry.SpanAttributes.METADATA_SCOPE;
import static dev.loupe.opentelemetry.SpanAttributes.METADATA_SPAN_KIND;
import static dev.loupe.opentelemetry.SpanAttributes.OPENINFERENCE_SPAN_KIND;
import static dev.loupe.opentelemetry.SpanAttributes.OUTPUT_MIME_TYPE;
import static dev.loupe.opentelemetry.SpanAttributes.OUTPUT_VALUE;
import static dev.loupe.opentelemetry.SpanAttributes.RETRIEVAL_DOCUMENTS_PREFIX;
import static dev.loupe.opentelemetry.SpanAttributes.SERVICE_VERSION;
import static dev.loupe.opentelemetry.SpanAttributes.SESSION_ID;
import static dev.loupe.opentelemetry.SpanAttributes.TAG_TAGS;
import static dev.loupe.opentelemetry.SpanAttributes.USER_ID;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.loupe.internal.Json;
import dev.loupe.internal.LangfuseUsage;
import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import dev.loupe.trace.spi.JsonPayload;
import dev.loupe.trace.spi.ObservationRecord;
import dev.loupe.trace.spi.PipelineRecord;
import dev.loupe.trace.spi.ScoreRecord;
import dev.loupe.trace.spi.TraceRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one attribute normaliser: turns a span, whichever dialect its instrumentation speaks, into Loupe's records (an
 * observation, the trace when the span is a root or carries trace attributes, and scores for its evaluation events).
 * Each field is taken from the first convention that sets it, in this order: Langfuse's own attributes, the current
 * OpenTelemetry GenAI conventions, their deprecated forms, OpenInference, generic attributes. What no field takes
 * stays in the observation's metadata under its attribute name.
 */
final class SpanMapping {

    private SpanMapping() {
    }

    /** Returns the records of an ended span: its observation first, then its trace and scores, if any. */
    static List<PipelineRecord> records(SpanView span) {
        List<PipelineRecord> records = new ArrayList<>(2);
        new Mapping(span).addTo(records);
        return records;
    }

    /**
     * Returns the observation type of a span from the attributes that decide it (each null when absent), by the
     * precedence of the conventions; also for spans that have just started.
     */
    static ObservationType typeOf(String langfuseType, String operation, String openInferenceKind, boolean hasModel) {
        ObservationType type = langfuseType(langfuseType);
        if (type == null) {
            type = operationType(operation);
        }
        if (type == null) {
            type = openInferenceType(openInferenceKind);
        }
        if (type == null) {
            type = hasModel ? ObservationType.GENERATION : ObservationType.SPAN;
        }
        return type;
    }

    private static ObservationType langfuseType(String name) {
        if (name == null) {
            return null;
        }
        try {
            return ObservationType.parse(name);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private static ObservationType operationType(String operation) {
        if (operation == null) {
            return null;
        }
        return switch (operation) {
            case "chat", "text_completion", "generate_content", "completion" -> ObservationType.GENERATION;
            case "embeddings", "embedding" -> ObservationType.EMBEDDING;
            case "retrieval" -> ObservationType.RETRIEVER;
            case "execute_tool" -> ObservationType.TOOL;
            case "invoke_agent", "create_agent" -> ObservationType.AGENT;
            case "invoke_workflow" -> ObservationType.CHAIN;
            default -> null;
        };
    }

    private static ObservationType openInferenceType(String kind) {
        if (kind == null) {
            return null;
        }
        return switch (kind.toUpperCase(Locale.ROOT)) {
            case "LLM" -> ObservationType.GENERATION;
            case "EMBEDDING" -> ObservationType.EMBEDDING;
            case "CHAIN" -> ObservationType.CHAIN;
            case "TOOL" -> ObservationType.TOOL;
            case "RETRIEVER", "RERANKER" -> ObservationType.RETRIEVER;
            case "AGENT" -> ObservationType.AGENT;
            case "GUARDRAIL" -> ObservationType.GUARDRAIL;
            case "EVALUATOR" -> ObservationType.EVALUATOR;
            default -> null;
        };
    }

    /** The mapping of one span; takes attributes out of {@code rest} as fields use them. */
    private static final class Mapping {
        private final SpanView span;
        private final Map<String, Object> rest;

        Mapping(SpanView span) {
            this.span = span;
            // The views hand over a map of their own (see SpanView): taking from it spares a copy per span.
            this.rest = span.attributes() instanceof LinkedHashMap<String, Object> owned ? owned
                    : new LinkedHashMap<>(span.attributes());
        }

        void addTo(List<PipelineRecord> records) {
            ObservationType type = type();
            Instant start = instant(span.startEpochNanos());
            Instant end = span.endEpochNanos() == 0 ? null : instant(span.endEpochNanos());

            // trace-level values (taken first so that they never land in the observation's metadata)
            String traceName = string(take(LANGFUSE_TRACE_NAME));
            Object traceInput = payload(take(LANGFUSE_TRACE_INPUT));
            Object traceOutput = payload(take(LANGFUSE_TRACE_OUTPUT));
            String userId = firstString(take(LANGFUSE_USER_ID), take(USER_ID));
            String sessionId = firstString(take(LANGFUSE_SESSION_ID), take(GEN_AI_CONVERSATION_ID), take(SESSION_ID));
            List<String> tags = strings(first(take(LANGFUSE_TRACE_TAGS), take(TAG_TAGS)));
            Map<String, Object> traceMetadata = takeSuffixes(LANGFUSE_TRACE_METADATA_PREFIX);
            String spanEnvironment = firstString(take(LANGFUSE_ENVIRONMENT), take(DEPLOYMENT_ENVIRONMENT_NAME),
                    take(DEPLOYMENT_ENVIRONMENT));
            // The resource's environment is the process's: a root span carries it to the trace, other spans need not.
            String environment = spanEnvironment != null ? spanEnvironment : firstString(
                    span.resource().get(DEPLOYMENT_ENVIRONMENT_NAME), span.resource().get(DEPLOYMENT_ENVIRONMENT));
            String release = string(take(LANGFUSE_RELEASE));
            String version = firstString(take(LANGFUSE_VERSION), take(SERVICE_VERSION),
                    span.resource().get(SERVICE_VERSION));
            takePrefix(LANGFUSE_INTERNAL_PREFIX);

            String model = firstString(take(LANGFUSE_OBSERVATION_MODEL_NAME), take(GEN_AI_RESPONSE_MODEL),
                    take(GEN_AI_REQUEST_MODEL), take(LLM_MODEL_NAME));
            Object parameters = modelParameters();
            Usage usage = usage();
            Cost cost = cost();
            Object input = input(type);
            Object output = output(type);
            ObservationLevel level = level(string(take(LANGFUSE_OBSERVATION_LEVEL)));
            String statusMessage = firstString(take(LANGFUSE_OBSERVATION_STATUS_MESSAGE),
                    blankToNull(span.statusMessage()));
            Instant completionStart = time(take(LANGFUSE_OBSERVATION_COMPLETION_START_TIME));
            String promptName = string(take(LANGFUSE_OBSERVATION_PROMPT_NAME));
            Integer promptVersion = integer(take(LANGFUSE_OBSERVATION_PROMPT_VERSION));

            Map<String, Object> metadata = new LinkedHashMap<>();
            List<Object> otherEvents = new ArrayList<>();
            List<ScoreRecord> scores = new ArrayList<>();
            for (int i = 0; i < span.events().size(); i++) {
                SpanView.Event event = span.events().get(i);
                switch (event.name()) {
                    case EXCEPTION_EVENT -> {
                        metadata.put(METADATA_EXCEPTION, event.attributes());
                        if (statusMessage == null && span.error()) {
                            statusMessage = exceptionMessage(event.attributes());
                        }
                    }
                    case GEN_AI_EVALUATION_RESULT_EVENT -> scores.add(score(event, i));
                    case GEN_AI_SYSTEM_MESSAGE_EVENT, GEN_AI_USER_MESSAGE_EVENT, GEN_AI_ASSISTANT_MESSAGE_EVENT,
                            GEN_AI_TOOL_MESSAGE_EVENT, GEN_AI_CHOICE_EVENT, GEN_AI_CONTENT_PROMPT_EVENT,
                            GEN_AI_CONTENT_COMPLETION_EVENT -> {
                        // read by input() and output()
                    }
                    default -> otherEvents.add(Map.of("name", event.name(), "time",
                            instant(event.epochNanos()).toString(), "attributes", event.attributes()));
                }
            }
            if (span.error()) {
                if (level == null) {
                    level = ObservationLevel.ERROR;
                }
            }
            takeSuffixes(LANGFUSE_OBSERVATION_METADATA_PREFIX, metadata);
            rest.forEach((key, value) -> metadata.putIfAbsent(key, value instanceof String text ? payload(text)
                    : value));
            if (!otherEvents.isEmpty()) {
                metadata.put(METADATA_EVENTS, List.copyOf(otherEvents));
            }
            if (!span.links().isEmpty()) {
                List<Object> links = new ArrayList<>();
                for (SpanView.Link link : span.links()) {
                    links.add(Map.of("traceId", link.traceId(), "spanId", link.spanId(),
                            "attributes", link.attributes()));
                }
                metadata.put(METADATA_LINKS, List.copyOf(links));
            }
            if (span.kind() != null && !"INTERNAL".equals(span.kind())) {
                metadata.put(METADATA_SPAN_KIND, span.kind());
            }
            if (span.scopeName() != null && !span.scopeName().isEmpty()) {
                metadata.put(METADATA_SCOPE, span.scopeVersion() == null || span.scopeVersion().isEmpty()
                        ? Map.of("name", span.scopeName())
                        : Map.of("name", span.scopeName(), "version", span.scopeVersion()));
            }
            if (!span.resource().isEmpty()) {
                metadata.put(METADATA_RESOURCE, span.resource());
            }

            records.add(new ObservationRecord(span.spanId(), span.traceId(), span.parentSpanId(), type, span.name(),
                    start, end, completionStart, input, output, metadata, level, statusMessage, version, model,
                    parameters, usage, cost, promptName, promptVersion));

            boolean root = span.parentSpanId() == null;
            boolean traceAttributes = traceName != null || traceInput != null || traceOutput != null
                    || userId != null || sessionId != null || !tags.isEmpty() || !traceMetadata.isEmpty()
                    || release != null || spanEnvironment != null;
            if (root || traceAttributes) {
                if (root) {
                    traceMetadata = new LinkedHashMap<>(traceMetadata);
                    if (!span.resource().isEmpty()) {
                        traceMetadata.putIfAbsent(METADATA_RESOURCE, span.resource());
                    }
                }
                records.add(new TraceRecord(span.traceId(),
                        root && traceName == null ? span.name() : traceName,
                        root ? start : null,
                        root && traceInput == null ? input : traceInput,
                        root && traceOutput == null ? output : traceOutput,
                        userId, sessionId, traceMetadata, tags, release, root ? version : null, environment));
            }
            records.addAll(scores);
        }

        // -----------------------------------------------------------------------------------------------------
        // Fields

        ObservationType type() {
            String langfuse = string(take(LANGFUSE_OBSERVATION_TYPE));
            if (langfuse != null && langfuseType(langfuse) == null) {
                rest.put(LANGFUSE_OBSERVATION_TYPE, langfuse);   // an unknown type is kept as metadata
            }
            boolean hasModel = rest.containsKey(GEN_AI_REQUEST_MODEL) || rest.containsKey(GEN_AI_RESPONSE_MODEL)
                    || rest.containsKey(LLM_MODEL_NAME);
            return typeOf(langfuse, string(rest.get(GEN_AI_OPERATION_NAME)), string(rest.get(OPENINFERENCE_SPAN_KIND)),
                    hasModel);
        }

        private Object modelParameters() {
            Object langfuse = payload(take(LANGFUSE_OBSERVATION_MODEL_PARAMETERS));
            Map<String, Object> request = new LinkedHashMap<>();
            Iterator<Map.Entry<String, Object>> entries = rest.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<String, Object> entry = entries.next();
                String key = entry.getKey();
                if (key.startsWith(GEN_AI_REQUEST_PREFIX) && !key.equals(GEN_AI_REQUEST_MODEL)) {
                    request.put(key.substring(GEN_AI_REQUEST_PREFIX.length()), entry.getValue());
                    entries.remove();
                }
            }
            Object openInference = payload(take(LLM_INVOCATION_PARAMETERS));
            if (langfuse != null) {
                return langfuse;
            }
            if (!request.isEmpty()) {
                return Map.copyOf(request);
            }
            return openInference;
        }

        private Usage usage() {
            Object langfuse = take(LANGFUSE_OBSERVATION_USAGE_DETAILS);
            Long input = firstLong(take(GEN_AI_USAGE_INPUT_TOKENS), take(GEN_AI_USAGE_PROMPT_TOKENS),
                    take(LLM_TOKEN_COUNT_PROMPT));
            Long output = firstLong(take(GEN_AI_USAGE_OUTPUT_TOKENS), take(GEN_AI_USAGE_COMPLETION_TOKENS),
                    take(LLM_TOKEN_COUNT_COMPLETION));
            Long total = firstLong(take(LLM_USAGE_TOTAL_TOKENS), take(LLM_TOKEN_COUNT_TOTAL));
            Long cacheRead = firstLong(take(GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS), take(LLM_TOKEN_COUNT_CACHE_READ));
            Long cacheWrite = firstLong(take(GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS),
                    take(GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS), take(LLM_TOKEN_COUNT_CACHE_WRITE));
            Long reasoning = firstLong(take(GEN_AI_USAGE_REASONING_OUTPUT_TOKENS), take(LLM_TOKEN_COUNT_REASONING));
            Map<String, Long> details = new LinkedHashMap<>();
            if (langfuse != null) {
                // Langfuse's usage details keep cached input and reasoning apart from input and output.
                numbers(langfuse).forEach((key, value) -> details.put(key, value.longValue()));
                if (!details.isEmpty()) {
                    return LangfuseUsage.usageFromLangfuse(details);
                }
            }
            if (input == null && output == null && total == null && cacheRead == null && cacheWrite == null
                    && reasoning == null) {
                return null;
            }
            if (input != null && output != null && total == null && cacheRead == null && cacheWrite == null
                    && reasoning == null) {
                return Usage.of(input, output);
            }
            putIfPresent(details, Usage.INPUT, input);
            putIfPresent(details, Usage.OUTPUT, output);
            putIfPresent(details, Usage.TOTAL, total);
            putIfPresent(details, Usage.CACHED_INPUT, cacheRead);
            putIfPresent(details, Usage.CACHE_WRITE, cacheWrite);
            putIfPresent(details, Usage.REASONING, reasoning);
            return new Usage(details);
        }

        private Cost cost() {
            Object langfuse = take(LANGFUSE_OBSERVATION_COST_DETAILS);
            if (langfuse == null) {
                return null;
            }
            Map<String, BigDecimal> details = new LinkedHashMap<>();
            numbers(langfuse).forEach((key, value) -> details.put(key, new BigDecimal(value.toString())));
            return details.isEmpty() ? null : LangfuseUsage.costFromLangfuse(details);
        }

        private Object input(ObservationType type) {
            Object langfuse = payload(take(LANGFUSE_OBSERVATION_INPUT));
            Object messages = take(GEN_AI_INPUT_MESSAGES);
            Object system = take(GEN_AI_SYSTEM_INSTRUCTIONS);
            Object tools = take(GEN_AI_TOOL_DEFINITIONS);
            Object arguments = payload(take(GEN_AI_TOOL_CALL_ARGUMENTS));
            List<Object> prompt = indexed(GEN_AI_PROMPT_PREFIX, "");
            Object promptEvents = messageEvents(true);
            Object inputValue = payload(take(INPUT_VALUE));
            take(INPUT_MIME_TYPE);
            List<Object> openInferenceMessages = indexed(LLM_INPUT_MESSAGES_PREFIX, "message.");
            if (langfuse != null) {
                return langfuse;
            }
            if (messages != null || system != null) {
                if (system == null && tools == null) {
                    return payload(messages);
                }
                StringBuilder json = new StringBuilder("{");
                appendJson(json, "system_instructions", system);
                appendJson(json, "messages", messages);
                appendJson(json, "tool_definitions", tools);
                return new JsonPayload(json.append('}').toString());
            }
            if (tools != null) {
                rest.put(GEN_AI_TOOL_DEFINITIONS, tools);
            }
            if (arguments != null) {
                return arguments;
            }
            if (!prompt.isEmpty()) {
                return prompt;
            }
            if (promptEvents != null) {
                return promptEvents;
            }
            if (inputValue != null) {
                return inputValue;
            }
            return openInferenceMessages.isEmpty() ? null : openInferenceMessages;
        }

        private Object output(ObservationType type) {
            Object langfuse = payload(take(LANGFUSE_OBSERVATION_OUTPUT));
            Object messages = payload(take(GEN_AI_OUTPUT_MESSAGES));
            Object result = payload(take(GEN_AI_TOOL_CALL_RESULT));
            List<Object> completion = indexed(GEN_AI_COMPLETION_PREFIX, "");
            Object completionEvents = messageEvents(false);
            Object outputValue = payload(take(OUTPUT_VALUE));
            take(OUTPUT_MIME_TYPE);
            List<Object> openInferenceMessages = indexed(LLM_OUTPUT_MESSAGES_PREFIX, "message.");
            List<Object> documents = indexed(RETRIEVAL_DOCUMENTS_PREFIX, "document.");
            for (Object candidate : new Object[] {langfuse, messages, result}) {
                if (candidate != null) {
                    return candidate;
                }
            }
            if (!completion.isEmpty()) {
                return completion;
            }
            if (completionEvents != null) {
                return completionEvents;
            }
            if (outputValue != null) {
                return outputValue;
            }
            if (!openInferenceMessages.isEmpty()) {
                return openInferenceMessages;
            }
            return documents.isEmpty() ? null : documents;
        }

        /**
         * Returns the messages carried by the deprecated per-message events: the prompt's (system, user, assistant
         * and tool messages, or a {@code gen_ai.content.prompt} event) or the completion's ({@code gen_ai.choice}
         * events, or a {@code gen_ai.content.completion} event); null when there are none.
         */
        private Object messageEvents(boolean prompt) {
            List<Object> messages = new ArrayList<>();
            for (SpanView.Event event : span.events()) {
                Map<String, Object> attributes = event.attributes();
                if (prompt && event.name().equals(GEN_AI_CONTENT_PROMPT_EVENT)
                        && attributes.get(GEN_AI_PROMPT) != null) {
                    return payload(attributes.get(GEN_AI_PROMPT));
                }
                if (!prompt && event.name().equals(GEN_AI_CONTENT_COMPLETION_EVENT)
                        && attributes.get(GEN_AI_COMPLETION) != null) {
                    return payload(attributes.get(GEN_AI_COMPLETION));
                }
                String role = switch (event.name()) {
                    case GEN_AI_SYSTEM_MESSAGE_EVENT -> prompt ? "system" : null;
                    case GEN_AI_USER_MESSAGE_EVENT -> prompt ? "user" : null;
                    case GEN_AI_ASSISTANT_MESSAGE_EVENT -> prompt ? "assistant" : null;
                    case GEN_AI_TOOL_MESSAGE_EVENT -> prompt ? "tool" : null;
                    case GEN_AI_CHOICE_EVENT -> prompt ? null : "assistant";
                    default -> null;
                };
                if (role == null) {
                    continue;
                }
                Map<String, Object> message = new LinkedHashMap<>();
                if (nested(attributes.get(GEN_AI_EVENT_CONTENT)) instanceof Map<?, ?> content) {
                    content.forEach((key, value) -> message.put(String.valueOf(key), value));
                }
                if (!event.name().equals(GEN_AI_CHOICE_EVENT)) {
                    message.putIfAbsent("role", string(attributes.getOrDefault("role", role)));
                }
                attributes.forEach((key, value) -> {
                    if (!key.equals(GEN_AI_EVENT_CONTENT) && !key.equals(GEN_AI_SYSTEM)
                            && !key.equals(GEN_AI_PROVIDER_NAME)) {
                        message.putIfAbsent(key, nested(value));
                    }
                });
                messages.add(Collections.unmodifiableMap(message));
            }
            return messages.isEmpty() ? null : List.copyOf(messages);
        }

        private ObservationLevel level(String langfuse) {
            if (langfuse == null) {
                return null;
            }
            try {
                return ObservationLevel.valueOf(langfuse.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                rest.put(LANGFUSE_OBSERVATION_LEVEL, langfuse);
                return null;
            }
        }

        private ScoreRecord score(SpanView.Event event, int index) {
            Map<String, Object> attributes = event.attributes();
            Object value = attributes.get(GEN_AI_EVALUATION_SCORE_VALUE);
            Object label = attributes.get(GEN_AI_EVALUATION_SCORE_LABEL);
            Object scoreValue = value instanceof Number number ? (Object) number.doubleValue()
                    : label != null ? string(label) : string(value);
            String name = firstString(attributes.get(GEN_AI_EVALUATION_NAME), GEN_AI_EVALUATION_RESULT_EVENT);
            // A deterministic id: the same span sent twice gives the same score, merged rather than doubled.
            return new ScoreRecord(span.spanId() + "-" + index, span.traceId(), span.spanId(), null, name,
                    scoreValue, string(attributes.get(GEN_AI_EVALUATION_EXPLANATION)), instant(event.epochNanos()));
        }

        // -----------------------------------------------------------------------------------------------------
        // Taking attributes

        private Object take(String key) {
            return rest.remove(key);
        }

        private void takePrefix(String prefix) {
            rest.keySet().removeIf(key -> key.startsWith(prefix));
        }

        private Map<String, Object> takeSuffixes(String prefix) {
            Map<String, Object> taken = new LinkedHashMap<>();
            takeSuffixes(prefix, taken);
            return taken;
        }

        private void takeSuffixes(String prefix, Map<String, Object> into) {
            Iterator<Map.Entry<String, Object>> entries = rest.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<String, Object> entry = entries.next();
                if (entry.getKey().startsWith(prefix)) {
                    Object value = entry.getValue();
                    into.put(entry.getKey().substring(prefix.length()),
                            value instanceof String text ? payload(text) : value);
                    entries.remove();
                }
            }
        }

        /**
         * Takes attributes of the form {@code prefix + N + "." + field}, such as {@code gen_ai.prompt.0.role}, and
         * returns one map per index in index order, keyed by the field with {@code strip} removed from its start.
         */
        private List<Object> indexed(String prefix, String strip) {
            TreeMap<Integer, Map<String, Object>> byIndex = null;
            Iterator<Map.Entry<String, Object>> entries = rest.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<String, Object> entry = entries.next();
                String key = entry.getKey();
                if (!key.startsWith(prefix)) {
                    continue;
                }
                int dot = key.indexOf('.', prefix.length());
                if (dot < 0) {
                    continue;
                }
                int index;
                try {
                    index = Integer.parseInt(key.substring(prefix.length(), dot));
                } catch (NumberFormatException notIndexed) {
                    continue;
                }
                String field = key.substring(dot + 1);
                if (field.startsWith(strip)) {
                    field = field.substring(strip.length());
                }
                if (byIndex == null) {
                    byIndex = new TreeMap<>();
                }
                Object value = entry.getValue();
                byIndex.computeIfAbsent(index, ignored -> new LinkedHashMap<>())
                        .put(field, nested(value));
                entries.remove();
            }
            if (byIndex == null) {
                return List.of();
            }
            List<Object> items = new ArrayList<>(byIndex.size());
            byIndex.values().forEach(item -> items.add(Collections.unmodifiableMap(item)));
            return List.copyOf(items);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Values

    /**
     * Returns a text attribute as a payload: a {@link JsonPayload} when it holds a JSON object or array (as
     * instrumentations serialize messages), else the text itself; other values as they are.
     */
    static Object payload(Object value) {
        if (value instanceof String text) {
            int first = firstNonBlank(text);
            if (first >= 0 && (text.charAt(first) == '{' || text.charAt(first) == '[') && isJson(text)) {
                return new JsonPayload(text);
            }
        }
        return value;
    }

    /**
     * Returns a value to nest inside a payload: JSON text as the Java values it stands for (a {@link JsonPayload}
     * is a whole document and cannot be nested), other values as they are.
     */
    private static Object nested(Object value) {
        if (payload(value) instanceof JsonPayload document) {
            try {
                return Json.mapper().readValue(document.json(), Object.class);
            } catch (IOException | RuntimeException notJson) {
                return value;
            }
        }
        return value;
    }

    private static int firstNonBlank(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isJson(String text) {
        try (JsonParser parser = Json.mapper().getFactory().createParser(text)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException | RuntimeException notJson) {
            return false;
        }
    }

    private static void appendJson(StringBuilder json, String field, Object value) {
        if (value == null) {
            return;
        }
        if (json.length() > 1) {
            json.append(',');
        }
        json.append(Json.quote(field)).append(':');
        Object payload = payload(value);
        json.append(payload instanceof JsonPayload document ? document.json()
                : Json.write(payload, Integer.MAX_VALUE));
    }

    /** Returns the numbers of a JSON object given as text (or a map), by name; empty when it is neither. */
    private static Map<String, Number> numbers(Object value) {
        Map<String, Number> numbers = new LinkedHashMap<>();
        Object map = value;
        if (value instanceof String text) {
            try {
                map = Json.mapper().readValue(text, Map.class);
            } catch (IOException | RuntimeException notJson) {
                return numbers;
            }
        }
        if (map instanceof Map<?, ?> entries) {
            entries.forEach((key, number) -> {
                if (key != null && number instanceof Number amount) {
                    numbers.put(key.toString(), amount);
                }
            });
        }
        return numbers;
    }

    static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }

    private static Instant time(Object value) {
        String text = string(value);
        if (text == null) {
            return null;
        }
        text = text.trim();
        if (text.length() > 1 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException notInstant) {
                return null;
            }
        }
    }

    private static String exceptionMessage(Map<String, Object> attributes) {
        String type = string(attributes.get(EXCEPTION_TYPE));
        String message = string(attributes.get(EXCEPTION_MESSAGE));
        if (type == null) {
            return message;
        }
        return message == null ? type : type + ": " + message;
    }

    private static Object first(Object... values) {
        for (Object value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String firstString(Object... values) {
        for (Object value : values) {
            String text = string(value);
            if (text != null && !text.isEmpty()) {
                return text;
            }
        }
        return null;
    }

    private static Long firstLong(Object... values) {
        for (Object value : values) {
            if (value instanceof Number number) {
                return number.longValue();
            }
            if (value instanceof String text) {
                try {
                    return Long.parseLong(text.trim());
                } catch (NumberFormatException notNumber) {
                    // try the next
                }
            }
        }
        return null;
    }

    private static Integer integer(Object value) {
        Long number = firstLong(value);
        return number == null || number != number.intValue() ? null : number.intValue();
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** Returns a string array, or a JSON array given as text, as a list of strings; empty for anything else. */
    private static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            List<String> strings = new ArrayList<>(list.size());
            list.forEach(item -> strings.add(string(item)));
            return List.copyOf(strings);
        }
        if (value instanceof String text) {
            if (payload(text) instanceof JsonPayload) {
                try {
                    Object parsed = Json.mapper().readValue(text, Object.class);
                    if (parsed instanceof List<?>) {
                        return strings(parsed);
                    }
                } catch (IOException | RuntimeException notJson) {
                    // fall through: a single tag
                }
            }
            return List.of(text);
        }
        return List.of();
    }

    private static <T> void putIfPresent(Map<String, T> details, String key, T value) {
        if (value != null) {
            details.put(key, value);
        }
    }
}
