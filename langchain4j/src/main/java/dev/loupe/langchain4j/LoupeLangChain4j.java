package dev.loupe.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import dev.langchain4j.rag.content.retriever.listener.ContentRetrieverListener;
import dev.loupe.Loupe;
import dev.loupe.trace.Tracer;
import java.util.List;
import java.util.function.Supplier;

/**
 * Records what a LangChain4j application does as Loupe observations, through LangChain4j's own listeners: register
 * {@link #aiServiceListeners()} on {@code AiServices.builder(...)} and each invocation of the AI service becomes an
 * AGENT (method name, user message, answer) with a GENERATION per model request (model, parameters, input messages
 * with tool calls, output, usage with cached and reasoning tokens, finish reason), a TOOL per tool execution
 * (arguments, result) and a GUARDRAIL per guardrail. Register {@link #chatModelListener()} on a chat model's builder
 * to record model calls made outside AI services too; a request an AI service recorded is not recorded twice.
 *
 * <pre>{@code
 * LoupeLangChain4j loupe = LoupeLangChain4j.create();
 * Assistant assistant = AiServices.builder(Assistant.class)
 *         .chatModel(model)
 *         .registerListeners(loupe.aiServiceListeners())
 *         .build();
 * }</pre>
 *
 * <p>The invocation nests under the observation current where the AI service method is called, or begins a trace;
 * streamed answers and tools that LangChain4j runs on its own threads nest under it all the same, so
 * {@code TraceCapture} gives each test its own traces. Nothing here throws into LangChain4j: a failure inside Loupe
 * is logged and counted in the tracer's stats.
 */
public final class LoupeLangChain4j {

    private final Supplier<Tracer> tracers;
    private final AiServiceRecorder aiServices;
    private final ChatModelRecorder chatModels;
    private final RetrieverRecorder retrievers;
    private final EmbeddingRecorder embeddings;

    private LoupeLangChain4j(Supplier<Tracer> tracers) {
        this.tracers = tracers;
        this.aiServices = new AiServiceRecorder(tracers);
        this.chatModels = new ChatModelRecorder(tracers);
        this.retrievers = new RetrieverRecorder(tracers);
        this.embeddings = new EmbeddingRecorder(tracers);
    }

    /**
     * Returns listeners that record with the global tracer ({@link Loupe#tracer()}), looked up at each event so that a
     * tracer set later (by {@code TraceCapture}, say) is the one used.
     */
    public static LoupeLangChain4j create() {
        return new LoupeLangChain4j(Loupe::tracer);
    }

    /**
     * Returns listeners that record with this tracer.
     *
     * @throws IllegalArgumentException when the tracer is null
     */
    public static LoupeLangChain4j create(Tracer tracer) {
        if (tracer == null) {
            throw new IllegalArgumentException("LoupeLangChain4j.create(tracer) needs a tracer, but got null: pass "
                    + "Loupe.tracer(), or call create() to use the global tracer");
        }
        return new LoupeLangChain4j(() -> tracer);
    }

    /**
     * Returns the listeners that record AI service invocations, one per LangChain4j observability event, for
     * {@code AiServices.builder(...).registerListeners(...)}.
     */
    public List<AiServiceListener<?>> aiServiceListeners() {
        return aiServices.listeners();
    }

    /**
     * Returns the listener that records the requests of a chat model, plain or streaming, for the model builder's
     * {@code listeners(...)}; needed only for model calls made outside AI services.
     */
    public ChatModelListener chatModelListener() {
        return chatModels;
    }

    /**
     * Returns the listener that records each retrieval of a content retriever as a RETRIEVER observation, for
     * {@code retriever.addListener(...)}.
     */
    public ContentRetrieverListener contentRetrieverListener() {
        return retrievers;
    }

    /**
     * Returns the listener that records each call of an embedding model as an EMBEDDING observation, for
     * {@code embeddingModel.addListener(...)} or the model builder's {@code listeners(...)}.
     */
    public EmbeddingModelListener embeddingModelListener() {
        return embeddings;
    }

    /** Returns the tracer the listeners record with now. */
    Tracer tracer() {
        return tracers.get();
    }
}
