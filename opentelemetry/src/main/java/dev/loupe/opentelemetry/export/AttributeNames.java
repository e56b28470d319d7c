package dev.loupe.opentelemetry.export;

/**
 * The span attribute names the export writes: Langfuse's (as its OTLP endpoint reads them, and as its JS SDK v5 sends
 * them) and the OpenTelemetry GenAI conventions'. Kept in one place so that they can be unified with the names the
 * capture side reads.
 */
final class AttributeNames {

    // Langfuse: trace attributes, written on every span of the trace.
    static final String TRACE_NAME = "langfuse.trace.name";
    static final String TRACE_INPUT = "langfuse.trace.input";
    static final String TRACE_OUTPUT = "langfuse.trace.output";
    static final String TRACE_TAGS = "langfuse.trace.tags";
    /** Followed by a key: one attribute per top-level metadata key. */
    static final String TRACE_METADATA_PREFIX = "langfuse.trace.metadata.";
    /** Langfuse reads the OpenTelemetry conventions' names for user and session. */
    static final String USER_ID = "user.id";
    static final String SESSION_ID = "session.id";
    static final String ENVIRONMENT = "langfuse.environment";
    static final String RELEASE = "langfuse.release";
    static final String VERSION = "langfuse.version";

    // Langfuse: observation attributes.
    static final String OBSERVATION_TYPE = "langfuse.observation.type";
    static final String OBSERVATION_INPUT = "langfuse.observation.input";
    static final String OBSERVATION_OUTPUT = "langfuse.observation.output";
    /** Followed by a key: one attribute per top-level metadata key. */
    static final String OBSERVATION_METADATA_PREFIX = "langfuse.observation.metadata.";
    static final String OBSERVATION_LEVEL = "langfuse.observation.level";
    static final String OBSERVATION_STATUS_MESSAGE = "langfuse.observation.status_message";
    static final String OBSERVATION_COMPLETION_START_TIME = "langfuse.observation.completion_start_time";
    static final String OBSERVATION_MODEL = "langfuse.observation.model.name";
    static final String OBSERVATION_MODEL_PARAMETERS = "langfuse.observation.model.parameters";
    static final String OBSERVATION_USAGE_DETAILS = "langfuse.observation.usage_details";
    static final String OBSERVATION_COST_DETAILS = "langfuse.observation.cost_details";
    static final String OBSERVATION_PROMPT_NAME = "langfuse.observation.prompt.name";
    static final String OBSERVATION_PROMPT_VERSION = "langfuse.observation.prompt.version";

    // OpenTelemetry GenAI semantic conventions.
    static final String GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
    static final String GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
    /** Followed by a parameter name such as {@code temperature} or {@code max_tokens}. */
    static final String GEN_AI_REQUEST_PREFIX = "gen_ai.request.";
    static final String GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
    static final String GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    static final String GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
    static final String GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = "gen_ai.usage.reasoning.output_tokens";
    static final String GEN_AI_TOOL_NAME = "gen_ai.tool.name";
    static final String GEN_AI_AGENT_NAME = "gen_ai.agent.name";
    static final String GEN_AI_CONVERSATION_ID = "gen_ai.conversation.id";

    // Loupe: ids that are not W3C ids are sent hashed, and the original kept here.
    static final String LOUPE_TRACE_ID = "loupe.trace.id";
    static final String LOUPE_OBSERVATION_ID = "loupe.observation.id";

    // Resource.
    static final String SERVICE_NAME = "service.name";
    static final String TELEMETRY_SDK_NAME = "telemetry.sdk.name";
    static final String TELEMETRY_SDK_LANGUAGE = "telemetry.sdk.language";
    static final String TELEMETRY_SDK_VERSION = "telemetry.sdk.version";

    private AttributeNames() {
    }
}
