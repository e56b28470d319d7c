package dev.loupe.opentelemetry;

/**
 * The span attribute names Loupe reads and writes, grouped by the convention that defines them: Langfuse's own,
 * OpenTelemetry's GenAI conventions (current and deprecated), OpenInference, and generic ones. Both directions use
 * this one vocabulary: the capture maps spans carrying these names to Loupe's model, the export writes them.
 */
public final class SpanAttributes {

    private SpanAttributes() {
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1. Langfuse (https://langfuse.com/integrations/native/opentelemetry, property mapping)

    /** Prefix of the attributes of one observation. */
    public static final String LANGFUSE_OBSERVATION_PREFIX = "langfuse.observation.";
    /** The observation type: span, generation, event, agent, tool, chain, retriever, embedding, evaluator... */
    public static final String LANGFUSE_OBSERVATION_TYPE = "langfuse.observation.type";
    /** The observation's input, JSON or text. */
    public static final String LANGFUSE_OBSERVATION_INPUT = "langfuse.observation.input";
    /** The observation's output, JSON or text. */
    public static final String LANGFUSE_OBSERVATION_OUTPUT = "langfuse.observation.output";
    /** Prefix of the observation's metadata, one attribute per key. */
    public static final String LANGFUSE_OBSERVATION_METADATA_PREFIX = "langfuse.observation.metadata.";
    /** The observation's level: DEBUG, DEFAULT, WARNING or ERROR. */
    public static final String LANGFUSE_OBSERVATION_LEVEL = "langfuse.observation.level";
    /** The observation's status message. */
    public static final String LANGFUSE_OBSERVATION_STATUS_MESSAGE = "langfuse.observation.status_message";
    /** The model name of a generation. */
    public static final String LANGFUSE_OBSERVATION_MODEL_NAME = "langfuse.observation.model.name";
    /** The model parameters of a generation, a JSON object. */
    public static final String LANGFUSE_OBSERVATION_MODEL_PARAMETERS = "langfuse.observation.model.parameters";
    /** The usage of a generation, a JSON object of unit counts by name. */
    public static final String LANGFUSE_OBSERVATION_USAGE_DETAILS = "langfuse.observation.usage_details";
    /** The cost of a generation in USD, a JSON object of amounts by name. */
    public static final String LANGFUSE_OBSERVATION_COST_DETAILS = "langfuse.observation.cost_details";
    /** When a generation's first token arrived, an ISO-8601 instant. */
    public static final String LANGFUSE_OBSERVATION_COMPLETION_START_TIME =
            "langfuse.observation.completion_start_time";
    /** The name of the prompt template a generation used. */
    public static final String LANGFUSE_OBSERVATION_PROMPT_NAME = "langfuse.observation.prompt.name";
    /** The version of the prompt template a generation used. */
    public static final String LANGFUSE_OBSERVATION_PROMPT_VERSION = "langfuse.observation.prompt.version";
    /** The trace's name. */
    public static final String LANGFUSE_TRACE_NAME = "langfuse.trace.name";
    /** The trace's input, JSON or text. */
    public static final String LANGFUSE_TRACE_INPUT = "langfuse.trace.input";
    /** The trace's output, JSON or text. */
    public static final String LANGFUSE_TRACE_OUTPUT = "langfuse.trace.output";
    /** The trace's tags, a string array. */
    public static final String LANGFUSE_TRACE_TAGS = "langfuse.trace.tags";
    /** Whether the trace is public in Langfuse; kept as metadata. */
    public static final String LANGFUSE_TRACE_PUBLIC = "langfuse.trace.public";
    /** Prefix of the trace's metadata, one attribute per key. */
    public static final String LANGFUSE_TRACE_METADATA_PREFIX = "langfuse.trace.metadata.";
    /** The user the trace ran for. */
    public static final String LANGFUSE_USER_ID = "langfuse.user.id";
    /** The session the trace belongs to. */
    public static final String LANGFUSE_SESSION_ID = "langfuse.session.id";
    /** The environment, such as {@code production}. */
    public static final String LANGFUSE_ENVIRONMENT = "langfuse.environment";
    /** The application's release. */
    public static final String LANGFUSE_RELEASE = "langfuse.release";
    /** The traced code's version. */
    public static final String LANGFUSE_VERSION = "langfuse.version";
    /** Prefix of attributes the Langfuse SDKs use for their own bookkeeping, such as {@code is_app_root}. */
    public static final String LANGFUSE_INTERNAL_PREFIX = "langfuse.internal.";

    // ---------------------------------------------------------------------------------------------------------
    // 2. OpenTelemetry GenAI semantic conventions (https://opentelemetry.io/docs/specs/semconv/gen-ai/)

    /** The operation: chat, text_completion, generate_content, embeddings, retrieval, execute_tool... */
    public static final String GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
    /** The model provider, such as {@code openai}. */
    public static final String GEN_AI_PROVIDER_NAME = "gen_ai.provider.name";
    /** The model asked for. */
    public static final String GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
    /** The model that answered. */
    public static final String GEN_AI_RESPONSE_MODEL = "gen_ai.response.model";
    /** The provider's id of the response. */
    public static final String GEN_AI_RESPONSE_ID = "gen_ai.response.id";
    /** Why the model stopped, one reason per choice. */
    public static final String GEN_AI_RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
    /** Prefix of the request's parameters (temperature, max_tokens, top_p...). */
    public static final String GEN_AI_REQUEST_PREFIX = "gen_ai.request.";
    /** The chat history sent to the model, a JSON array of messages with role and parts. */
    public static final String GEN_AI_INPUT_MESSAGES = "gen_ai.input.messages";
    /** The messages the model returned, a JSON array of messages with role, parts and finish reason. */
    public static final String GEN_AI_OUTPUT_MESSAGES = "gen_ai.output.messages";
    /** The system instructions sent apart from the chat history, a JSON array of parts. */
    public static final String GEN_AI_SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";
    /** The tools offered to the model, a JSON array. */
    public static final String GEN_AI_TOOL_DEFINITIONS = "gen_ai.tool.definitions";
    /** The name of the tool executed. */
    public static final String GEN_AI_TOOL_NAME = "gen_ai.tool.name";
    /** The id of the tool call executed. */
    public static final String GEN_AI_TOOL_CALL_ID = "gen_ai.tool.call.id";
    /** The arguments of the tool call, JSON. */
    public static final String GEN_AI_TOOL_CALL_ARGUMENTS = "gen_ai.tool.call.arguments";
    /** The result of the tool call, JSON or text. */
    public static final String GEN_AI_TOOL_CALL_RESULT = "gen_ai.tool.call.result";
    /** The agent's name. */
    public static final String GEN_AI_AGENT_NAME = "gen_ai.agent.name";
    /** The conversation (session, thread) the call belongs to. */
    public static final String GEN_AI_CONVERSATION_ID = "gen_ai.conversation.id";
    /** Input tokens. */
    public static final String GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
    /** Output tokens. */
    public static final String GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    /** Input tokens read from the provider's cache. */
    public static final String GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
    /** Input tokens written to the provider's cache, as the GenAI conventions name them (part of the input). */
    public static final String GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
    /** Input tokens written to the cache: a name some instrumentations use for {@link
     * #GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS}, read as well. */
    public static final String GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS = "gen_ai.usage.cache_write.input_tokens";
    /** Output tokens spent on reasoning. */
    public static final String GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = "gen_ai.usage.reasoning.output_tokens";
    /** The span event that carries an evaluation of the operation; it becomes a score. */
    public static final String GEN_AI_EVALUATION_RESULT_EVENT = "gen_ai.evaluation.result";
    /** The evaluation's name (event attribute). */
    public static final String GEN_AI_EVALUATION_NAME = "gen_ai.evaluation.name";
    /** The evaluation's numeric score (event attribute). */
    public static final String GEN_AI_EVALUATION_SCORE_VALUE = "gen_ai.evaluation.score.value";
    /** The evaluation's label (event attribute). */
    public static final String GEN_AI_EVALUATION_SCORE_LABEL = "gen_ai.evaluation.score.label";
    /** Why the evaluation came out as it did (event attribute). */
    public static final String GEN_AI_EVALUATION_EXPLANATION = "gen_ai.evaluation.explanation";

    // ---------------------------------------------------------------------------------------------------------
    // 3. Deprecated GenAI forms still emitted (OpenLLMetry, older instrumentations)

    /** The model provider: the earlier name of {@link #GEN_AI_PROVIDER_NAME}. */
    public static final String GEN_AI_SYSTEM = "gen_ai.system";
    /** Prefix of indexed prompt messages: {@code gen_ai.prompt.0.role}, {@code gen_ai.prompt.0.content}. */
    public static final String GEN_AI_PROMPT_PREFIX = "gen_ai.prompt.";
    /** Prefix of indexed completions: {@code gen_ai.completion.0.role}, {@code .content}, {@code .finish_reason}. */
    public static final String GEN_AI_COMPLETION_PREFIX = "gen_ai.completion.";
    /** The whole prompt in one attribute (events of older conventions carry it). */
    public static final String GEN_AI_PROMPT = "gen_ai.prompt";
    /** The whole completion in one attribute (events of older conventions carry it). */
    public static final String GEN_AI_COMPLETION = "gen_ai.completion";
    /** Input tokens: the earlier name of {@link #GEN_AI_USAGE_INPUT_TOKENS}. */
    public static final String GEN_AI_USAGE_PROMPT_TOKENS = "gen_ai.usage.prompt_tokens";
    /** Output tokens: the earlier name of {@link #GEN_AI_USAGE_OUTPUT_TOKENS}. */
    public static final String GEN_AI_USAGE_COMPLETION_TOKENS = "gen_ai.usage.completion_tokens";
    /** All tokens of the call (OpenLLMetry). */
    public static final String LLM_USAGE_TOTAL_TOKENS = "llm.usage.total_tokens";
    /** Per-message span events of the earlier conventions: system, user, assistant and tool messages. */
    public static final String GEN_AI_SYSTEM_MESSAGE_EVENT = "gen_ai.system.message";
    /** A user message event. */
    public static final String GEN_AI_USER_MESSAGE_EVENT = "gen_ai.user.message";
    /** An assistant message event. */
    public static final String GEN_AI_ASSISTANT_MESSAGE_EVENT = "gen_ai.assistant.message";
    /** A tool message event. */
    public static final String GEN_AI_TOOL_MESSAGE_EVENT = "gen_ai.tool.message";
    /** A choice (one output message) event. */
    public static final String GEN_AI_CHOICE_EVENT = "gen_ai.choice";
    /** The message of a per-message event as a JSON object (event attribute), as Azure's AI SDKs write it. */
    public static final String GEN_AI_EVENT_CONTENT = "gen_ai.event.content";
    /** A span event whose {@link #GEN_AI_PROMPT} attribute holds the prompt. */
    public static final String GEN_AI_CONTENT_PROMPT_EVENT = "gen_ai.content.prompt";
    /** A span event whose {@link #GEN_AI_COMPLETION} attribute holds the completion. */
    public static final String GEN_AI_CONTENT_COMPLETION_EVENT = "gen_ai.content.completion";

    // ---------------------------------------------------------------------------------------------------------
    // 4. OpenInference (https://github.com/Arize-ai/openinference/blob/main/spec/semantic_conventions.md)

    /** The kind of span: LLM, EMBEDDING, CHAIN, TOOL, RETRIEVER, RERANKER, AGENT, GUARDRAIL, EVALUATOR. */
    public static final String OPENINFERENCE_SPAN_KIND = "openinference.span.kind";
    /** The operation's input. */
    public static final String INPUT_VALUE = "input.value";
    /** The input's MIME type, such as {@code application/json}. */
    public static final String INPUT_MIME_TYPE = "input.mime_type";
    /** The operation's output. */
    public static final String OUTPUT_VALUE = "output.value";
    /** The output's MIME type. */
    public static final String OUTPUT_MIME_TYPE = "output.mime_type";
    /** The model's name. */
    public static final String LLM_MODEL_NAME = "llm.model_name";
    /** The model provider. */
    public static final String LLM_PROVIDER = "llm.provider";
    /** The AI system, such as {@code openai}. */
    public static final String LLM_SYSTEM = "llm.system";
    /** The model parameters, a JSON object. */
    public static final String LLM_INVOCATION_PARAMETERS = "llm.invocation_parameters";
    /** Prefix of indexed input messages: {@code llm.input_messages.0.message.role}. */
    public static final String LLM_INPUT_MESSAGES_PREFIX = "llm.input_messages.";
    /** Prefix of indexed output messages: {@code llm.output_messages.0.message.content}. */
    public static final String LLM_OUTPUT_MESSAGES_PREFIX = "llm.output_messages.";
    /** Input tokens. */
    public static final String LLM_TOKEN_COUNT_PROMPT = "llm.token_count.prompt";
    /** Output tokens. */
    public static final String LLM_TOKEN_COUNT_COMPLETION = "llm.token_count.completion";
    /** All tokens. */
    public static final String LLM_TOKEN_COUNT_TOTAL = "llm.token_count.total";
    /** Input tokens read from the cache. */
    public static final String LLM_TOKEN_COUNT_CACHE_READ = "llm.token_count.prompt_details.cache_read";
    /** Input tokens written to the cache. */
    public static final String LLM_TOKEN_COUNT_CACHE_WRITE = "llm.token_count.prompt_details.cache_write";
    /** Output tokens spent on reasoning. */
    public static final String LLM_TOKEN_COUNT_REASONING = "llm.token_count.completion_details.reasoning";
    /** The tool's name. */
    public static final String TOOL_NAME = "tool.name";
    /** Prefix of indexed retrieved documents: {@code retrieval.documents.0.document.content}. */
    public static final String RETRIEVAL_DOCUMENTS_PREFIX = "retrieval.documents.";
    /** Free-form metadata, a JSON object. */
    public static final String METADATA = "metadata";
    /** Tags, a string array. */
    public static final String TAG_TAGS = "tag.tags";

    // ---------------------------------------------------------------------------------------------------------
    // 5. Generic

    /** The user the work ran for. */
    public static final String USER_ID = "user.id";
    /** The session the work belongs to. */
    public static final String SESSION_ID = "session.id";
    /** The deployment environment (resource attribute, current name). */
    public static final String DEPLOYMENT_ENVIRONMENT_NAME = "deployment.environment.name";
    /** The deployment environment (resource attribute, earlier name). */
    public static final String DEPLOYMENT_ENVIRONMENT = "deployment.environment";
    /** The service's version (resource attribute). */
    public static final String SERVICE_VERSION = "service.version";
    /** The service's name (resource attribute). */
    public static final String SERVICE_NAME = "service.name";
    /** Event name of a recorded exception. */
    public static final String EXCEPTION_EVENT = "exception";
    /** The exception's type (event attribute). */
    public static final String EXCEPTION_TYPE = "exception.type";
    /** The exception's message (event attribute). */
    public static final String EXCEPTION_MESSAGE = "exception.message";
    /** The exception's stack trace (event attribute). */
    public static final String EXCEPTION_STACKTRACE = "exception.stacktrace";

    // Metadata keys under which the capture keeps what has no field of its own.

    /** Metadata key of the span's resource attributes, such as {@code service.name}. */
    public static final String METADATA_RESOURCE = "resource";
    /** Metadata key of the instrumentation scope (name and version). */
    public static final String METADATA_SCOPE = "scope";
    /** Metadata key of the span kind when it is not INTERNAL. */
    public static final String METADATA_SPAN_KIND = "span.kind";
    /** Metadata key of the span's links. */
    public static final String METADATA_LINKS = "links";
    /** Metadata key of span events that map to nothing else. */
    public static final String METADATA_EVENTS = "events";
    /** Metadata key of a recorded exception's stack trace. */
    public static final String METADATA_EXCEPTION = "exception";

    // Written by Loupe's export (dev.loupe.opentelemetry.export).

    /** The trace's own id when it is not a W3C trace id (the span carries a hash of it). */
    public static final String LOUPE_TRACE_ID = "loupe.trace.id";

    /** The observation's own id when it is not a W3C span id (the span carries a hash of it). */
    public static final String LOUPE_OBSERVATION_ID = "loupe.observation.id";

    /** The resource's telemetry SDK name. */
    public static final String TELEMETRY_SDK_NAME = "telemetry.sdk.name";

    /** The resource's telemetry SDK language. */
    public static final String TELEMETRY_SDK_LANGUAGE = "telemetry.sdk.language";

    /** The resource's telemetry SDK version. */
    public static final String TELEMETRY_SDK_VERSION = "telemetry.sdk.version";
}
