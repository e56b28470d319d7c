package dev.loupe.springai;

import dev.loupe.Loupe;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.StartedObservation;
import dev.loupe.trace.TraceContext;
import dev.loupe.trace.Tracer;
import dev.loupe.trace.Usage;
import dev.loupe.trace.spi.Engine;
import dev.loupe.trace.spi.ObservationRecord;
import dev.loupe.trace.spi.RecordIds;
import dev.loupe.trace.spi.TraceRecord;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.observation.AdvisorObservationContext;
import org.springframework.ai.chat.client.observation.ChatClientObservationContext;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.model.tool.internal.ToolCallReactiveContextHolder;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;

/**
 * Records Spring AI's Micrometer observations as Loupe observations, nested as Spring AI nests them: a chat client
 * call becomes an AGENT (a trace of its own, or nested under the Loupe observation current where it was called), each
 * advisor a CHAIN, each model call a GENERATION with its model, parameters, usage, finish reason, input messages and
 * answer, each tool call a TOOL with its arguments and result, each embedding call an EMBEDDING and each vector store
 * query a RETRIEVER.
 *
 * <p>Spring AI puts prompts and answers on no span, so the content is read from the observation contexts (the
 * {@code Prompt} and {@code ChatResponse} of a model call). Streamed calls are recorded whole when the stream
 * completes. In streaming with tools Spring AI nests the tool calls and the next model call inside the previous model
 * call's observation, which stops last; the handler records them side by side, each model call ending when its own
 * answer had ended, as in the non-streaming case.
 *
 * <p>Register it on the {@code ObservationRegistry} (the Spring Boot auto-configuration of this module does that). It
 * never throws into the application: a failure is logged and counted by the tracer's engine.
 */
public final class LoupeObservationHandler implements ObservationHandler<Observation.Context> {

    private static final Logger LOG = LoggerFactory.getLogger(LoupeObservationHandler.class);
    /** Parents are looked up this many levels up at most: Micrometer's chain is short, a cycle must not hang. */
    private static final int MAX_PARENT_DEPTH = 64;

    private final Supplier<Tracer> tracer;
    private final boolean captureInput;
    private final boolean captureOutput;
    /**
     * The cumulative usage reported with each answer that asked for tool calls, until the next round reads it:
     * Spring AI reports the sum of all rounds so far with each later round, and the handler records each round's own.
     * Weak keys: an answer nobody follows up is forgotten with its conversation.
     */
    private final Map<Message, Usage> usageBeforeNextRound = Collections.synchronizedMap(new WeakHashMap<>());
    private volatile boolean reactiveToolContextReadable = true;

    private LoupeObservationHandler(Builder builder) {
        this.tracer = builder.tracer;
        this.captureInput = builder.captureInput;
        this.captureOutput = builder.captureOutput;
    }

    /** Returns a handler that records with the global tracer ({@link Loupe#tracer()}) and keeps all content. */
    public static LoupeObservationHandler create() {
        return builder().build();
    }

    /** Returns a builder to choose the tracer and the content kept. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns true for the observations of Spring AI that the handler records. */
    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof ChatModelObservationContext || context instanceof ToolCallingObservationContext
                || context instanceof ChatClientObservationContext || context instanceof AdvisorObservationContext
                || context instanceof EmbeddingModelObservationContext
                || context instanceof VectorStoreObservationContext;
    }

    /** Starts the Loupe observation of a Spring AI observation. */
    @Override
    public void onStart(Observation.Context context) {
        try {
            start(context);
        } catch (RuntimeException | LinkageError failure) {
            failed(context, "starting", failure);
        }
    }

    /** Ends the Loupe observation of a Spring AI observation, with the content its context holds now. */
    @Override
    public void onStop(Observation.Context context) {
        try {
            stop(context);
        } catch (RuntimeException | LinkageError failure) {
            failed(context, "ending", failure);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Start: where the observation goes

    private void start(Observation.Context context) {
        ObservationNode springParent = springAiParent(context);
        Prompt prompt = context instanceof ChatModelObservationContext model ? model.getRequest() : null;
        boolean followsEarlierRound = false;
        while (springParent != null && springParent.type.isModelCall()) {
            // Spring AI streams tool calls and the next round inside a model call: Loupe puts them beside it.
            springParent.nestedWorkStarted(now(springParent.tracer), prompt);
            followsEarlierRound |= prompt != null;
            ObservationNode above = springParent.parent;
            if (above == null && springParent.isTraceRoot()) {
                // A model call at the top of its trace: there is nothing to put the later rounds beside, so they
                // stay inside it, and it ends when they do.
                break;
            }
            if (above == null) {
                place(context, springParent.tracer, springParent.traceId, springParent.parentId, null,
                        followsEarlierRound);
                return;
            }
            springParent = above;
        }
        if (springParent != null) {
            place(context, springParent.tracer, springParent.traceId, springParent.id, springParent,
                    followsEarlierRound);
            return;
        }
        Tracer recording = tracer.get();
        if (recording == null || !recording.isEnabled()) {
            return;
        }
        TraceContext current = TraceContext.current();
        if (current.observationId() != null) {
            place(context, recording, current.traceId(), current.observationId(), null, false);
        } else {
            place(context, recording, RecordIds.traceId(), null, null, false);
        }
    }

    private void place(Observation.Context context, Tracer recording, String traceId, String parentId,
            ObservationNode parent, boolean followsEarlierRound) {
        Engine engine = recording.engine();
        if (engine == null) {
            return;
        }
        ObservationType type = typeOf(context);
        ObservationNode node = new ObservationNode(recording, traceId, parentId, parent, type, nameOf(context),
                now(recording));
        if (followsEarlierRound) {
            context.put(FollowsEarlierRound.class, FollowsEarlierRound.YES);
        }
        context.put(ObservationNode.class, node);
        if (parent != null) {
            parent.childStarted();
        }
        if (engine.observesStarts()) {
            engine.started(new StartedObservation(traceId, node.id, parentId, type, node.name, node.startTime,
                    TraceContext.current()));
        }
    }

    /** Returns the closest Spring AI observation above this one that the handler records, or null. */
    private ObservationNode springAiParent(Observation.Context context) {
        ObservationView view = context.getParentObservation();
        for (int depth = 0; view != null && depth < MAX_PARENT_DEPTH; depth++) {
            Observation.ContextView parentContext = view.getContextView();
            ObservationNode node = parentContext.get(ObservationNode.class);
            if (node != null) {
                return node;
            }
            view = parentContext.getParentObservation();
        }
        return context instanceof ToolCallingObservationContext ? streamingToolParent() : null;
    }

    /**
     * Returns the model call whose tools run now, in streaming: Spring AI runs them on another thread, where no
     * observation is current, and hands them the Reactor context of the model call's stream.
     */
    private ObservationNode streamingToolParent() {
        if (!reactiveToolContextReadable) {
            return null;
        }
        try {
            Object observation = ToolCallReactiveContextHolder.getContext()
                    .getOrDefault(ObservationThreadLocalAccessor.KEY, null);
            return observation instanceof Observation parent
                    ? parent.getContext().get(ObservationNode.class) : null;
        } catch (LinkageError missing) {
            reactiveToolContextReadable = false;
            LOG.debug("Spring AI's reactive tool context is not readable; streamed tool calls nest by thread",
                    missing);
            return null;
        }
    }

    private static ObservationType typeOf(Observation.Context context) {
        if (context instanceof ChatModelObservationContext) {
            return ObservationType.GENERATION;
        }
        if (context instanceof ToolCallingObservationContext) {
            return ObservationType.TOOL;
        }
        if (context instanceof AdvisorObservationContext) {
            return ObservationType.CHAIN;
        }
        if (context instanceof ChatClientObservationContext) {
            return ObservationType.AGENT;
        }
        if (context instanceof EmbeddingModelObservationContext) {
            return ObservationType.EMBEDDING;
        }
        if (context instanceof VectorStoreObservationContext store
                && VectorStoreObservationContext.Operation.QUERY.value().equals(store.getOperationName())) {
            return ObservationType.RETRIEVER;
        }
        return ObservationType.SPAN;
    }

    private static String nameOf(Observation.Context context) {
        if (context instanceof ChatModelObservationContext model) {
            String requested = model.getRequest().getOptions() == null ? null
                    : model.getRequest().getOptions().getModel();
            return requested == null || requested.isBlank() ? "chat" : "chat " + requested;
        }
        if (context instanceof ToolCallingObservationContext tool) {
            return tool.getToolDefinition().name();
        }
        if (context instanceof AdvisorObservationContext advisor) {
            return advisor.getAdvisorName();
        }
        if (context instanceof ChatClientObservationContext) {
            return "chat_client";
        }
        if (context instanceof EmbeddingModelObservationContext embedding) {
            String requested = embedding.getRequest().getOptions() == null ? null
                    : embedding.getRequest().getOptions().getModel();
            return requested == null || requested.isBlank() ? "embedding" : "embedding " + requested;
        }
        if (context instanceof VectorStoreObservationContext store) {
            return "vector_store " + store.getOperationName();
        }
        return context.getName();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Stop: what the observation holds

    private void stop(Observation.Context context) {
        ObservationNode node = context.get(ObservationNode.class);
        if (node == null) {
            return;
        }
        Engine engine = node.tracer.engine();
        if (engine == null) {
            return;
        }
        Content content = new Content(engine);
        Instant endTime = now(node.tracer);
        try {
            Instant ownEnd = read(context, node, content);
            endTime = ownEnd != null ? ownEnd : endTime;
        } catch (RuntimeException | LinkageError failure) {
            // The observation still ends, without the content that could not be read, so that no trace stays open.
            failed(context, "reading its content", failure);
            content = new Content(engine);
        }
        Throwable error = context.getError();
        ObservationLevel level = null;
        String statusMessage = null;
        if (error != null) {
            level = ObservationLevel.ERROR;
            statusMessage = error.getMessage() != null ? error.getMessage() : error.getClass().getName();
            content.metadata("exception.type", error.getClass().getName());
        }
        ObservationRecord record = new ObservationRecord(node.id, node.traceId, node.parentId, node.type,
                node.name, node.startTime, endTime, null, content.input, content.output, content.metadata(), level,
                statusMessage, null, content.model, content.parameters, content.usage, null, null, null);
        ObservationNode ending = node;
        ObservationRecord ready = node.stopped(record);
        // Hand over this record, then each parent's that was only waiting for it.
        while (ready != null) {
            ending.tracer.record(ready);
            if (ending.isTraceRoot()) {
                ending.tracer.record(new TraceRecord(ending.traceId, ending.name, ending.startTime, ready.input(),
                        ready.output(), null, null, Map.of(), List.of(), engine.release(), null,
                        engine.environment()));
            }
            ObservationNode parent = ending.parent;
            ready = parent == null ? null : parent.childEnded(ready.endTime());
            ending = parent;
        }
    }

    /** Reads the content of the observation into {@code content}; returns when a model call's own answer ended. */
    private Instant read(Observation.Context context, ObservationNode node, Content content) {
        if (context instanceof ChatModelObservationContext model) {
            modelCall(model, node, content, context.get(FollowsEarlierRound.class) != null);
            return node.ownEndTime();
        } else if (context instanceof ToolCallingObservationContext tool) {
            content.input(() -> SpringAiPayloads.jsonOrText(tool.getToolCallArguments()));
            content.output(() -> SpringAiPayloads.jsonOrText(tool.getToolCallResult()));
            if (tool.getToolMetadata().returnDirect()) {
                content.metadata("tool.return_direct", true);
            }
        } else if (context instanceof ChatClientObservationContext client) {
            chatClient(client, content);
        } else if (context instanceof AdvisorObservationContext advisor) {
            content.metadata("advisor.order", advisor.getOrder());
        } else if (context instanceof EmbeddingModelObservationContext embedding) {
            embedding(embedding, content);
        } else if (context instanceof VectorStoreObservationContext store) {
            vectorStore(store, content);
        }
        return null;
    }

    private void modelCall(ChatModelObservationContext context, ObservationNode node, Content content,
            boolean followsEarlierRound) {
        Prompt prompt = context.getRequest();
        ChatResponse response = context.getResponse();
        content.input(() -> SpringAiPayloads.messages(prompt.getInstructions()));
        content.parameters(SpringAiPayloads.parameters(prompt.getOptions()));
        content.metadata("provider", context.getOperationMetadata().provider());
        String requestedModel = prompt.getOptions() == null ? null : prompt.getOptions().getModel();
        String respondedModel = response == null || response.getMetadata() == null ? null
                : response.getMetadata().getModel();
        content.model = respondedModel != null && !respondedModel.isBlank() ? respondedModel : requestedModel;
        Prompt nextRound = node.nextRoundPrompt();
        if (node.ownEndTime() != null) {
            // Streamed with tools: this observation's response also holds the later rounds; its own answer is the
            // last assistant message that the next round sends back, and Spring AI reports no usage of its own.
            AssistantMessage own = nextRound == null ? null : lastToolCallingAnswer(nextRound.getInstructions());
            if (own != null) {
                content.output(() -> SpringAiPayloads.message(own));
                content.metadata("finish_reason", "tool_calls");
            } else if (response != null) {
                content.output(() -> SpringAiPayloads.answer(response));
            }
            content.metadata("usage.in_last_round", true);
            return;
        }
        if (response == null) {
            return;
        }
        content.output(() -> SpringAiPayloads.answer(response));
        String finishReason = SpringAiPayloads.finishReason(response);
        if (finishReason != null) {
            content.metadata("finish_reason", finishReason);
        }
        if (response.getMetadata() != null && response.getMetadata().getId() != null
                && !response.getMetadata().getId().isBlank()) {
            content.metadata("response.id", response.getMetadata().getId());
        }
        org.springframework.ai.chat.metadata.Usage reported = response.getMetadata() == null ? null
                : response.getMetadata().getUsage();
        Usage cumulative = SpringAiPayloads.usage(reported);
        if (followsEarlierRound) {
            // The last round of a streamed call with tools: Spring AI reports the sum of all its rounds here.
            content.usage = cumulative;
            content.metadata("usage.includes_earlier_rounds", true);
            return;
        }
        Usage own = cumulative;
        if (!SpringAiPayloads.isSingleCall(reported)) {
            AssistantMessage previous = lastToolCallingAnswer(prompt.getInstructions());
            Usage before = previous == null ? null : usageBeforeNextRound.remove(previous);
            own = SpringAiPayloads.minus(cumulative, before);
        }
        content.usage = own;
        if (cumulative != null && response.getResult() != null && response.getResult().getOutput() != null
                && response.getResult().getOutput().hasToolCalls()) {
            usageBeforeNextRound.put(response.getResult().getOutput(), cumulative);
        }
    }

    /** Returns the last assistant message that asked for tool calls, when the tool results follow it. */
    private static AssistantMessage lastToolCallingAnswer(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof AssistantMessage assistant) {
                return assistant.hasToolCalls() ? assistant : null;
            }
        }
        return null;
    }

    private void chatClient(ChatClientObservationContext context, Content content) {
        content.input(() -> SpringAiPayloads.messages(context.getRequest().prompt().getInstructions()));
        ChatClientResponse response = context.getResponse();
        if (response != null && response.chatResponse() != null) {
            ChatResponse chatResponse = response.chatResponse();
            content.output(() -> SpringAiPayloads.answer(chatResponse));
        }
        if (context.isStream()) {
            content.metadata("stream", true);
        }
        String format = context.getFormat();
        if (format != null) {
            content.metadata("output_format", format);
        }
    }

    private void embedding(EmbeddingModelObservationContext context, Content content) {
        List<String> texts = context.getRequest().getInstructions();
        content.input(() -> List.copyOf(texts));
        EmbeddingResponse response = context.getResponse();
        String requestedModel = context.getRequest().getOptions() == null ? null
                : context.getRequest().getOptions().getModel();
        content.model = requestedModel;
        content.metadata("provider", context.getOperationMetadata().provider());
        if (response == null) {
            return;
        }
        if (response.getMetadata() != null) {
            String model = response.getMetadata().getModel();
            if (model != null && !model.isBlank()) {
                content.model = model;
            }
            Usage usage = SpringAiPayloads.usage(response.getMetadata().getUsage());
            content.usage = usage == null ? null : Usage.of(usage.input(), 0, usage.input());
        }
        int dimensions = response.getResults().isEmpty() || response.getResult().getOutput() == null ? 0
                : response.getResult().getOutput().length;
        content.output(() -> Map.of("embeddings", response.getResults().size(), "dimensions", dimensions));
    }

    private void vectorStore(VectorStoreObservationContext context, Content content) {
        content.metadata("db.system", context.getDatabaseSystem());
        if (context.getCollectionName() != null) {
            content.metadata("db.collection", context.getCollectionName());
        }
        SearchRequest request = context.getQueryRequest();
        if (request != null) {
            content.input(() -> {
                Map<String, Object> query = new LinkedHashMap<>();
                query.put("query", request.getQuery());
                query.put("top_k", request.getTopK());
                query.put("similarity_threshold", request.getSimilarityThreshold());
                if (request.getFilterExpression() != null) {
                    query.put("filter", request.getFilterExpression().toString());
                }
                return query;
            });
        }
        List<Document> documents = context.getQueryResponse();
        if (documents != null) {
            content.output(() -> documents.stream().map(LoupeObservationHandler::document).toList());
        }
    }

    private static Map<String, Object> document(Document document) {
        Map<String, Object> shaped = new LinkedHashMap<>();
        shaped.put("id", document.getId());
        shaped.put("text", document.getText());
        shaped.put("score", document.getScore());
        shaped.put("metadata", document.getMetadata());
        return shaped;
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Instant now(Tracer tracer) {
        Engine engine = tracer.engine();
        return (engine == null ? Instant.now() : engine.clock().instant()).truncatedTo(ChronoUnit.MICROS);
    }

    private void failed(Observation.Context context, String what, Throwable failure) {
        String message = "Loupe could not record Spring AI observation '" + context.getName() + "' while " + what;
        try {
            ObservationNode node = context.get(ObservationNode.class);
            Engine engine = node != null ? node.tracer.engine() : null;
            if (engine == null) {
                Tracer global = tracer.get();
                engine = global == null ? null : global.engine();
            }
            if (engine != null) {
                engine.internalError(message, failure);
                return;
            }
        } catch (RuntimeException | LinkageError another) {
            failure.addSuppressed(another);
        }
        LOG.warn("{}: {}", message, failure.toString(), failure);
    }

    /** Marks the model call of a later round of a streamed call with tools. */
    private enum FollowsEarlierRound {
        YES
    }

    /** What one observation holds, captured through the engine as the content settings allow. */
    private final class Content {
        private final Engine engine;
        Object input;
        Object output;
        private Map<String, Object> metadata;
        String model;
        Object parameters;
        Usage usage;

        Content(Engine engine) {
            this.engine = engine;
        }

        void input(Supplier<Object> value) {
            if (captureInput) {
                input = engine.capture(value.get());
            }
        }

        void output(Supplier<Object> value) {
            if (captureOutput) {
                output = engine.capture(value.get());
            }
        }

        void parameters(Map<String, Object> value) {
            parameters = value.isEmpty() ? null : engine.capture(value);
        }

        void metadata(String key, Object value) {
            if (value == null) {
                return;
            }
            if (metadata == null) {
                metadata = new LinkedHashMap<>();
            }
            metadata.put(key, engine.capture(value));
        }

        Map<String, Object> metadata() {
            return metadata == null ? Map.of() : Collections.unmodifiableMap(metadata);
        }
    }

    /** Configures a {@link LoupeObservationHandler}. */
    public static final class Builder {

        private Supplier<Tracer> tracer = Loupe::tracer;
        private boolean captureInput = true;
        private boolean captureOutput = true;

        private Builder() {
        }

        /** Records with this tracer instead of the global one. */
        public Builder tracer(Tracer value) {
            Objects.requireNonNull(value, "tracer");
            this.tracer = () -> value;
            return this;
        }

        /**
         * Records with the tracer this supplier returns when a trace begins; the default is {@link Loupe#tracer()},
         * looked up each time so that a tracer replaced later (by a test harness, say) is used.
         */
        public Builder tracer(Supplier<Tracer> value) {
            this.tracer = Objects.requireNonNull(value, "tracer");
            return this;
        }

        /** Sets whether prompts, tool arguments, embedded texts and queries are kept (default true). */
        public Builder captureInput(boolean value) {
            this.captureInput = value;
            return this;
        }

        /** Sets whether answers, tool results and retrieved documents are kept (default true). */
        public Builder captureOutput(boolean value) {
            this.captureOutput = value;
            return this;
        }

        /** Returns the handler. */
        public LoupeObservationHandler build() {
            return new LoupeObservationHandler(this);
        }
    }
}
