package dev.loupe.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.loupe.trace.Generation;
import dev.loupe.trace.Usage;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** Fills a GENERATION from a LangChain4j chat request and its response, whichever listener heard of them. */
final class ModelCalls {

    private ModelCalls() {
    }

    /** Returns the generation's name, {@code chat <model>} as OpenTelemetry's GenAI conventions name the span. */
    static String name(ChatRequestParameters parameters) {
        String model = parameters == null ? null : parameters.modelName();
        return model == null ? "chat" : "chat " + model;
    }

    /**
     * Records the provider under {@code provider}, named as OpenTelemetry's GenAI conventions name the system
     * ({@code openai}; other providers by LangChain4j's name in lower case).
     */
    static void provider(Generation generation, ModelProvider provider) {
        if (provider != null) {
            generation.metadata("provider", provider == ModelProvider.OPEN_AI ? "openai"
                    : provider.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Records what the request asks: model, parameters, input messages and the tools offered. */
    static void request(Generation generation, List<ChatMessage> messages, ChatRequestParameters parameters) {
        if (parameters != null) {
            generation.model(parameters.modelName()).modelParameters(Map.copyOf(Payloads.parameters(parameters)));
            List<String> tools = Payloads.toolNames(parameters);
            if (tools != null) {
                generation.metadata("tools", List.copyOf(tools));
            }
        }
        generation.input(Payloads.messages(messages));
    }

    /** Records what the model answered (message, usage, finish reason) and ends the generation. */
    static void response(Generation generation, ChatResponse response, ChatRequestParameters parameters) {
        if (response != null) {
            if (response.aiMessage() != null) {
                generation.output(Payloads.immutable(Payloads.assistant(response.aiMessage())));
            }
            ChatResponseMetadata metadata = response.metadata();
            if (metadata != null) {
                Usage usage = Payloads.usage(metadata.tokenUsage());
                if (usage != null) {
                    generation.usage(usage);
                }
                String finishReason = Payloads.finishReason(metadata.finishReason());
                if (finishReason != null) {
                    generation.metadata("finish_reason", finishReason);
                }
                if (metadata.id() != null) {
                    generation.metadata("response_id", metadata.id());
                }
                String requested = parameters == null ? null : parameters.modelName();
                if (metadata.modelName() != null && !Objects.equals(metadata.modelName(), requested)) {
                    if (requested == null) {
                        generation.model(metadata.modelName()).name("chat " + metadata.modelName());
                    }
                    generation.metadata("response_model", metadata.modelName());
                }
            }
        }
        generation.end();
    }

    /** Records the failure and ends the generation. */
    static void failure(Generation generation, Throwable error) {
        generation.error(error).end();
    }
}
