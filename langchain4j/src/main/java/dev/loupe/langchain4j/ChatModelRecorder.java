package dev.loupe.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.loupe.trace.Generation;
import dev.loupe.trace.TraceContext;
import dev.loupe.trace.Tracer;
import java.util.function.Supplier;

/**
 * Records each request of a chat model (plain or streaming) as a GENERATION nested under what is current where the
 * request is sent. The generation travels in the request's listener attributes, so a streaming response that arrives
 * on LangChain4j's threads ends the right one. A request that an AI service recorded already (this thread just
 * announced it) is left to the AI service listener.
 */
final class ChatModelRecorder implements ChatModelListener {

    /** Key of the generation in the listener attributes of one request. */
    private static final Object GENERATION = new Object() {
        @Override
        public String toString() {
            return "loupe.generation";
        }
    };

    private final Supplier<Tracer> tracers;

    ChatModelRecorder(Supplier<Tracer> tracers) {
        this.tracers = tracers;
    }

    @Override
    public void onRequest(ChatModelRequestContext context) {
        try {
            ChatRequest request = context.chatRequest();
            if (request == null || Invocations.claimAnnounced(request)) {
                return;
            }
            Tracer tracer = tracers.get();
            if (!tracer.isEnabled()) {
                return;
            }
            Generation generation = Contexts.startUnder(TraceContext.current(),
                    () -> tracer.startGeneration(ModelCalls.name(request.parameters())));
            ModelCalls.request(generation, request.messages(), request.parameters());
            ModelCalls.provider(generation, context.modelProvider());
            context.attributes().put(GENERATION, generation);
        } catch (RuntimeException | LinkageError failure) {
            Failures.report(tracers, "recording a chat model request", failure);
        }
    }

    @Override
    public void onResponse(ChatModelResponseContext context) {
        try {
            if (context.attributes().remove(GENERATION) instanceof Generation generation) {
                ChatRequest request = context.chatRequest();
                ModelCalls.response(generation, context.chatResponse(), request == null ? null : request.parameters());
            }
        } catch (RuntimeException | LinkageError failure) {
            Failures.report(tracers, "recording a chat model response", failure);
        }
    }

    @Override
    public void onError(ChatModelErrorContext context) {
        try {
            if (context.attributes().remove(GENERATION) instanceof Generation generation) {
                ModelCalls.failure(generation, context.error());
            }
        } catch (RuntimeException | LinkageError failure) {
            Failures.report(tracers, "recording a chat model error", failure);
        }
    }

    @Override
    public String toString() {
        return "Loupe chat model listener";
    }
}
