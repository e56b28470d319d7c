package dev.loupe.opentelemetry;

import static dev.loupe.assertj.LoupeAssertions.assertThat;

import dev.loupe.engine.Exporter;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Spans made by the real OpenTelemetry SDK, recorded through {@link LoupeSpanProcessor} into a real (in-memory H2)
 * store and read back. Attribute names are those the instrumentations emit; each test names its source.
 */
class LoupeSpanProcessorTest {

    private final Tracer tracer = TracerBuilder.create().inMemoryStore().shutdownHook(false).build();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                    AttributeKey.stringKey("service.name"), "checkout",
                    AttributeKey.stringKey("service.version"), "2.4.1",
                    AttributeKey.stringKey("deployment.environment.name"), "staging"))))
            .addSpanProcessor(LoupeSpanProcessor.create(tracer))
            .build();
    private final io.opentelemetry.api.trace.Tracer otel = provider.get("loupe-test", "1.0");

    @AfterEach
    void close() {
        provider.close();
        tracer.close();
    }

    private TraceTree stored(Span root) {
        // Nothing listens to this tracer, so ended spans are mapped on the processor's thread: flush it first.
        org.assertj.core.api.Assertions.assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess())
                .isTrue();
        String traceId = root.getSpanContext().getTraceId();
        return Exporter.of(tracer).orElseThrow().store().trace(traceId).orElseThrow(
                () -> new AssertionError("trace " + traceId + " was not stored"));
    }

    private Span root(String name, Consumer<Span> inside) {
        Span root = otel.spanBuilder(name).startSpan();
        try (Scope ignored = root.makeCurrent()) {
            inside.accept(root);
        } finally {
            root.end();
        }
        return root;
    }

    private void child(String name, Attributes attributes) {
        otel.spanBuilder(name).setAllAttributes(attributes).startSpan().end();
    }

    @Test
    void aRootSpanBecomesTheTraceWithItsChildrenNestedUnderIt() {
        Span root = root("handle-order", span -> {
            child("validate", Attributes.empty());
            child("charge", Attributes.empty());
        });

        TraceTree trace = stored(root);
        assertThat(trace).hasName("handle-order").hasShape("""
                handle-order
                  validate
                  charge
                """).isWellFormed();
        assertThat(trace.root().id()).isEqualTo(root.getSpanContext().getSpanId());
        assertThat(trace.trace().version()).isEqualTo("2.4.1");
        assertThat(trace.trace().environment()).isEqualTo("staging");
        assertThat(trace.root().metadata()).contains("\"service.name\":\"checkout\"");
    }

    /**
     * Current GenAI semantic conventions, as the openai-java instrumentation of opentelemetry-java-instrumentation
     * emits them (instrumentation-api-incubator .../semconv/genai/GenAiAttributesExtractor.java) plus the message
     * attributes of the conventions' gen-ai-spans.md (gen_ai.input.messages, gen_ai.output.messages with parts).
     */
    @Test
    void aGenAiChatSpanBecomesAGenerationWithModelParametersMessagesAndUsage() {
        Span root = root("agent", span -> child("chat gpt-4o", Attributes.builder()
                .put("gen_ai.operation.name", "chat")
                .put("gen_ai.provider.name", "openai")
                .put("gen_ai.request.model", "gpt-4o")
                .put("gen_ai.response.model", "gpt-4o-2024-08-06")
                .put("gen_ai.request.temperature", 0.2)
                .put("gen_ai.request.max_tokens", 200L)
                .put("gen_ai.input.messages",
                        "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Weather in Paris?\"}]}]")
                .put("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\","
                        + "\"id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}],"
                        + "\"finish_reason\":\"tool_call\"}]")
                .put("gen_ai.usage.input_tokens", 42L)
                .put("gen_ai.usage.output_tokens", 7L)
                .put("gen_ai.usage.cache_read.input_tokens", 30L)
                .put("gen_ai.usage.reasoning.output_tokens", 3L)
                .put(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("tool_call"))
                .build()));

        TraceTree trace = stored(root);
        assertThat(trace).generation("chat gpt-4o")
                .hasModel("gpt-4o-2024-08-06")
                .hasModelParameter("temperature", 0.2)
                .hasModelParameter("max_tokens", 200)
                .hasInputMessage("user", "Weather in Paris?")
                .hasOutputAtPath("$[0].parts[0].name", "get_weather")
                .hasUsage(42, 7)
                .hasUsageDetail("cached_input", 30)
                .hasUsageDetail("reasoning", 3)
                .hasMetadataEntry("gen_ai.provider.name", "openai")
                .hasMetadataEntry("gen_ai.response.finish_reasons", List.of("tool_call"));
    }

    @Test
    void systemInstructionsAndToolDefinitionsTravelWithTheInputMessages() {
        Span root = root("chat", span -> span.setAllAttributes(Attributes.builder()
                .put("gen_ai.operation.name", "chat")
                .put("gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":\"Be brief.\"}]")
                .put("gen_ai.input.messages",
                        "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"}]}]")
                .put("gen_ai.tool.definitions", "[{\"type\":\"function\",\"name\":\"get_weather\"}]")
                .build()));

        assertThat(stored(root)).generation("chat")
                .hasInputMessage("user", "Hi")
                .hasInputAtPath("$.system_instructions[0].content", "Be brief.")
                .hasInputAtPath("$.tool_definitions[0].name", "get_weather");
    }

    @Test
    void eachGenAiOperationMapsToItsObservationType() {
        List<String> operations = List.of("chat", "text_completion", "generate_content", "embeddings", "retrieval",
                "execute_tool", "invoke_agent", "create_agent", "invoke_workflow");
        Span root = root("operations", span -> operations.forEach(operation ->
                child(operation, Attributes.of(AttributeKey.stringKey("gen_ai.operation.name"), operation))));

        TraceTree trace = stored(root);
        assertThat(operations.stream().map(name -> trace.find(name).orElseThrow().type()).toList())
                .containsExactly(ObservationType.GENERATION, ObservationType.GENERATION, ObservationType.GENERATION,
                        ObservationType.EMBEDDING, ObservationType.RETRIEVER, ObservationType.TOOL,
                        ObservationType.AGENT, ObservationType.AGENT, ObservationType.CHAIN);
    }

    @Test
    void aToolExecutionRecordsItsArgumentsAsInputAndItsResultAsOutput() {
        Span root = root("agent", span -> child("execute_tool get_weather", Attributes.builder()
                .put("gen_ai.operation.name", "execute_tool")
                .put("gen_ai.tool.name", "get_weather")
                .put("gen_ai.tool.call.id", "call_1")
                .put("gen_ai.tool.call.arguments", "{\"city\":\"Paris\"}")
                .put("gen_ai.tool.call.result", "{\"temperature\":21}")
                .build()));

        assertThat(stored(root)).toolCall("execute_tool get_weather")
                .hasArgument("city", "Paris")
                .hasResultJson("{\"temperature\":21}")
                .hasMetadataEntry("gen_ai.tool.name", "get_weather")
                .hasMetadataEntry("gen_ai.tool.call.id", "call_1");
    }

    @Test
    void theConversationIdBecomesTheSessionAndLangfuseUserAndTagsGoToTheTrace() {
        Span root = root("support", span -> span.setAllAttributes(Attributes.builder()
                .put("gen_ai.conversation.id", "conv-9")
                .put("langfuse.user.id", "user-1")
                .put("user.id", "ignored-generic-user")
                .put(AttributeKey.stringArrayKey("langfuse.trace.tags"), List.of("beta", "eu"))
                .put("langfuse.trace.metadata.tenant", "acme")
                .put("langfuse.release", "r-7")
                .build()));

        assertThat(stored(root)).hasSessionId("conv-9").hasUserId("user-1").hasTags("beta", "eu")
                .hasMetadataEntry("tenant", "acme").hasRelease("r-7");
    }

    @Test
    void langfuseAttributesWinOverGenAiAttributes() {
        Span root = root("agent", span -> child("llm", Attributes.builder()
                .put("langfuse.observation.type", "generation")
                .put("langfuse.observation.model.name", "claude-sonnet")
                .put("gen_ai.request.model", "gpt-4o")
                .put("langfuse.observation.input", "{\"question\":\"why?\"}")
                .put("gen_ai.input.messages", "[]")
                .put("langfuse.observation.usage_details", "{\"input\":11,\"output\":4}")
                .put("gen_ai.usage.input_tokens", 999L)
                .put("langfuse.observation.cost_details", "{\"input\":0.001,\"output\":0.002}")
                .put("langfuse.observation.level", "WARNING")
                .put("langfuse.observation.status_message", "slow")
                .put("langfuse.observation.metadata.step", "3")
                .build()));

        Observation llm = stored(root).find("llm").orElseThrow();
        assertThat(llm.model()).isEqualTo("claude-sonnet");
        assertThat(llm.usage().input()).isEqualTo(11);
        assertThat(llm.cost().total()).isEqualByComparingTo("0.003");
        assertThat(llm.level()).isEqualTo(ObservationLevel.WARNING);
        assertThat(stored(root)).generation("llm").hasInputJson("{\"question\":\"why?\"}").hasStatusMessage("slow")
                .hasMetadataEntry("step", "3");
    }

    /** As the Langfuse SDKs v5 send them: usage and cost details in Langfuse's names, each kind apart. */
    @Test
    void langfuseUsageDetailsWithCachedAndReasoningTokensApartAreStoredAsTotalsThatIncludeTheirParts() {
        Span root = root("agent", span -> child("llm", Attributes.builder()
                .put("langfuse.observation.type", "generation")
                .put("langfuse.observation.model.name", "gpt-4o")
                .put("langfuse.observation.usage_details", "{\"input\":80,\"output\":30,\"total\":140,"
                        + "\"input_cached_tokens\":20,\"output_reasoning_tokens\":10,\"images\":1}")
                .put("langfuse.observation.cost_details", "{\"input\":0.0002,\"input_cached_tokens\":0.000025,"
                        + "\"output\":0.0003,\"output_reasoning_tokens\":0.0001}")
                .build()));

        Observation llm = stored(root).find("llm").orElseThrow();
        assertThat(llm.usage().details()).containsExactly(Map.entry("input", 100L), Map.entry("output", 40L),
                Map.entry("total", 140L), Map.entry("cached_input", 20L), Map.entry("reasoning", 10L),
                Map.entry("images", 1L));
        assertThat(llm.cost().details()).containsOnlyKeys("input", "output", "cached_input", "reasoning");
        assertThat(llm.cost().input()).isEqualByComparingTo("0.000225");
        assertThat(llm.cost().output()).isEqualByComparingTo("0.0004");
        assertThat(llm.cost().details().get("cached_input")).isEqualByComparingTo("0.000025");
        assertThat(llm.cost().total()).isEqualByComparingTo("0.000625");
    }

    @Test
    void anErrorStatusBecomesLevelErrorWithTheStatusMessageAndTheRecordedException() {
        Span root = root("agent", span -> {
            Span failing = otel.spanBuilder("call-model").startSpan();
            failing.recordException(new IllegalStateException("provider timed out"));
            failing.setStatus(StatusCode.ERROR, "model call failed");
            failing.end();
        });

        TraceTree trace = stored(root);
        assertThat(trace).hasFirstErrorIn("call-model").observation("call-model")
                .hasLevel(ObservationLevel.ERROR).hasStatusMessage("model call failed");
        assertThat(trace.find("call-model").orElseThrow().metadata())
                .contains("provider timed out").contains("java.lang.IllegalStateException");
    }

    @Test
    void anErrorWithoutStatusMessageTakesTheExceptionsMessage() {
        Span root = root("agent", span -> {
            Span failing = otel.spanBuilder("call-model").startSpan();
            failing.recordException(new IllegalStateException("provider timed out"));
            failing.setStatus(StatusCode.ERROR);
            failing.end();
        });

        assertThat(stored(root)).observation("call-model")
                .hasStatusMessage("java.lang.IllegalStateException: provider timed out");
    }

    /** The gen_ai.evaluation.result event of the GenAI conventions (gen-ai-events.md). */
    @Test
    void evaluationResultEventsBecomeScoresOfTheSpan() {
        Span root = root("chat", span -> {
            span.setAttribute("gen_ai.operation.name", "chat");
            span.addEvent("gen_ai.evaluation.result", Attributes.builder()
                    .put("gen_ai.evaluation.name", "relevance")
                    .put("gen_ai.evaluation.score.value", 0.85)
                    .put("gen_ai.evaluation.explanation", "on topic")
                    .build());
            span.addEvent("gen_ai.evaluation.result", Attributes.builder()
                    .put("gen_ai.evaluation.name", "tone")
                    .put("gen_ai.evaluation.score.label", "polite")
                    .build());
        });

        TraceTree trace = stored(root);
        assertThat(trace).generation("chat").hasScore("relevance", score -> score.hasValue(0.85)
                .hasComment("on topic")).hasScore("tone", score -> score.hasCategory("polite"));
    }

    /**
     * The deprecated indexed attributes and older usage names, as OpenLLMetry's instrumentations still emit them
     * (names from traceloop/openllmetry packages/opentelemetry-semantic-conventions-ai/opentelemetry/semconv_ai/
     * __init__.py: gen_ai.system, gen_ai.prompt.{i}.role/content, gen_ai.completion.{i}.role/content/finish_reason,
     * gen_ai.usage.prompt_tokens, gen_ai.usage.completion_tokens, llm.usage.total_tokens, llm.request.type).
     */
    @Test
    void deprecatedIndexedPromptsAndCompletionsBecomeInputAndOutputMessages() {
        Span root = root("agent", span -> child("openai.chat", Attributes.builder()
                .put("gen_ai.system", "openai")
                .put("llm.request.type", "chat")
                .put("gen_ai.request.model", "gpt-4o-mini")
                .put("gen_ai.prompt.0.role", "system")
                .put("gen_ai.prompt.0.content", "Be brief.")
                .put("gen_ai.prompt.1.role", "user")
                .put("gen_ai.prompt.1.content", "Capital of France?")
                .put("gen_ai.completion.0.role", "assistant")
                .put("gen_ai.completion.0.content", "Paris.")
                .put("gen_ai.completion.0.finish_reason", "stop")
                .put("gen_ai.usage.prompt_tokens", 12L)
                .put("gen_ai.usage.completion_tokens", 2L)
                .put("llm.usage.total_tokens", 14L)
                .build()));

        assertThat(stored(root)).generation("openai.chat")
                .hasModel("gpt-4o-mini")
                .hasInputMessageRoles("system", "user")
                .hasInputMessage("user", "Capital of France?")
                .hasOutputAtPath("$[0].content", "Paris.")
                .hasUsage(12, 2)
                .hasTotalTokens(14)
                .hasMetadataEntry("gen_ai.system", "openai");
    }

    /**
     * The deprecated per-message span events, exactly as the Azure AI Inference Java SDK records a chat call
     * (Azure/azure-sdk-for-java sdk/ai/azure-ai-inference/src/main/java/com/azure/ai/inference/implementation/
     * ChatCompletionClientTracer.java): events gen_ai.{role}.message and gen_ai.choice whose gen_ai.event.content
     * holds the message as JSON, gen_ai.system on span and events, finish reasons as one string.
     */
    @Test
    void deprecatedMessageEventsBecomeInputAndOutputMessages() {
        Span root = root("agent", span -> {
            Span chat = otel.spanBuilder("chat gpt-4o").setSpanKind(SpanKind.CLIENT)
                    .setAttribute("gen_ai.operation.name", "chat")
                    .setAttribute("gen_ai.system", "az.ai.inference")
                    .setAttribute("gen_ai.request.model", "gpt-4o")
                    .startSpan();
            chat.addEvent("gen_ai.system.message", Attributes.builder().put("gen_ai.system", "az.ai.inference")
                    .put("gen_ai.event.content", "{\"role\":\"system\",\"content\":\"Be brief.\"}").build());
            chat.addEvent("gen_ai.user.message", Attributes.builder().put("gen_ai.system", "az.ai.inference")
                    .put("gen_ai.event.content", "{\"role\":\"user\",\"content\":\"Hello\"}").build());
            chat.setAttribute("gen_ai.response.id", "chatcmpl-1");
            chat.setAttribute("gen_ai.response.model", "gpt-4o-2024-08-06");
            chat.setAttribute("gen_ai.usage.input_tokens", 9L);
            chat.setAttribute("gen_ai.usage.output_tokens", 2L);
            chat.setAttribute("gen_ai.response.finish_reasons", "[stop]");
            chat.addEvent("gen_ai.choice", Attributes.builder().put("gen_ai.system", "az.ai.inference")
                    .put("gen_ai.event.content", "{\"message\":{\"content\":\"Hi!\"},\"finish_reason\":\"stop\","
                            + "\"index\":0}").build());
            chat.end();
        });

        assertThat(stored(root)).generation("chat gpt-4o")
                .hasModel("gpt-4o-2024-08-06")
                .hasInputMessageRoles("system", "user")
                .hasInputMessage("user", "Hello")
                .hasOutputAtPath("$[0].message.content", "Hi!")
                .hasOutputAtPath("$[0].finish_reason", "stop")
                .hasUsage(9, 2)
                .hasMetadataEntry("gen_ai.system", "az.ai.inference");
    }

    /**
     * OpenInference, exactly as its LangChain4j instrumentation records a chat model call (Arize-ai/openinference
     * java/instrumentation/openinference-instrumentation-langchain4j/src/main/java/com/arize/instrumentation/
     * langchain4j/LangChain4jModelListener.java): span "generate" of kind CLIENT, openinference.span.kind LLM,
     * llm.model_name, llm.system, llm.provider, llm.invocation_parameters, llm.input_messages.{i}.message.role and
     * .content, input.value (the messages as JSON), llm.output_messages.0.message.*, output.value (the text),
     * llm.response.finish_reasons and llm.token_count.*.
     */
    @Test
    void anOpenInferenceLlmSpanBecomesAGeneration() {
        Span root = root("agent", span -> {
            Span generate = otel.spanBuilder("generate").setSpanKind(SpanKind.CLIENT)
                    .setAttribute("openinference.span.kind", "LLM")
                    .setAttribute("llm.model_name", "gpt-4o-mini")
                    .setAttribute("llm.system", "langchain4j")
                    .setAttribute("llm.provider", "openai")
                    .setAttribute("llm.invocation_parameters", "{\"temperature\":0.7}")
                    .setAttribute("llm.input_messages.0.message.role", "user")
                    .setAttribute("llm.input_messages.0.message.content", "Tell me a joke")
                    .setAttribute("input.value", "[{\"role\":\"user\",\"content\":\"Tell me a joke\"}]")
                    .setAttribute("input.mime_type", "application/json")
                    .startSpan();
            generate.setAttribute(AttributeKey.stringArrayKey("llm.response.finish_reasons"), List.of("STOP"));
            generate.setAttribute("llm.output_messages.0.message.role", "assistant");
            generate.setAttribute("llm.output_messages.0.message.content", "Knock knock.");
            generate.setAttribute("output.value", "Knock knock.");
            generate.setAttribute("output.mime_type", "text/plain");
            generate.setAttribute("llm.token_count.prompt", 9L);
            generate.setAttribute("llm.token_count.completion", 3L);
            generate.setAttribute("llm.token_count.total", 12L);
            generate.setStatus(StatusCode.OK);
            generate.end();
        });

        assertThat(stored(root)).generation("generate")
                .hasModel("gpt-4o-mini")
                .hasModelParameter("temperature", 0.7)
                .hasInputMessage("user", "Tell me a joke")
                .hasOutput("Knock knock.")
                .hasUsage(9, 3)
                .hasTotalTokens(12)
                .hasMetadataEntry("llm.provider", "openai");
    }

    /** OpenInference retriever and tool spans (same source): retrieval.documents.{i}.document.*, tool.name. */
    @Test
    void openInferenceRetrieverAndToolSpansKeepTheirDocumentsAndValues() {
        Span root = root("rag", span -> {
            child("retrieve", Attributes.builder()
                    .put("openinference.span.kind", "RETRIEVER")
                    .put("input.value", "password reset")
                    .put("retrieval.documents.0.document.id", "doc-1")
                    .put("retrieval.documents.0.document.content", "Go to Settings > Security")
                    .put("retrieval.documents.0.document.score", 0.92)
                    .build());
            child("lookup", Attributes.builder()
                    .put("openinference.span.kind", "TOOL")
                    .put("tool.name", "lookup")
                    .put("input.value", "{\"id\":7}")
                    .put("input.mime_type", "application/json")
                    .put("output.value", "found")
                    .build());
        });

        TraceTree trace = stored(root);
        assertThat(trace).observation("retrieve").hasType(ObservationType.RETRIEVER)
                .hasInput("password reset")
                .hasOutputAtPath("$[0].content", "Go to Settings > Security");
        assertThat(trace).toolCall("lookup").hasArgument("id", 7).hasResult("found")
                .hasMetadataEntry("tool.name", "lookup");
    }

    @Test
    void genericUserAndSessionAttributesApplyWhenNoOtherConventionSetsThem() {
        Span root = root("request", span -> span.setAllAttributes(Attributes.builder()
                .put("user.id", "u-5").put("session.id", "s-5").build()));

        assertThat(stored(root)).hasUserId("u-5").hasSessionId("s-5");
    }

    @Test
    void attributesNoConventionMapsStayInTheMetadataWithSpanKindAndScope() {
        Span root = otel.spanBuilder("GET /orders").setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", "GET").setAttribute("http.response.status_code", 200L)
                .startSpan();
        root.end();

        assertThat(stored(root)).observation("GET /orders")
                .hasMetadataEntry("http.request.method", "GET")
                .hasMetadataEntry("http.response.status_code", 200)
                .hasMetadataEntry("span.kind", "SERVER")
                .hasMetadataEntry("scope", java.util.Map.of("name", "loupe-test", "version", "1.0"));
    }
}
