package dev.loupe.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.trace.Tracer;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/** Tracing never breaks the application: a failure inside the handler is counted, and the call goes on. */
class FailureIsolationTest {

    private final Prompt prompt = new Prompt(List.of(new UserMessage("Hello")),
            ChatOptions.builder().model("gpt-4o-mini").build());
    private final ChatResponse answer = new ChatResponse(List.of(new Generation(new AssistantMessage("Hi"))));

    @Test
    void aTracerThatCannotBeFoundLeavesTheModelCallUntouched() {
        ObservationRegistry registry = registryWith(LoupeObservationHandler.builder()
                .tracer(() -> {
                    throw new IllegalStateException("no tracer here");
                }).build());

        assertThat(modelCall(registry)).isSameAs(answer);
    }

    @Test
    void aResponseTheHandlerCannotReadIsCountedTheCallGoesOnAndTheGenerationStillEnds() {
        try (Tracer tracer = TracerBuilder.create().withoutStore().shutdownHook(false).build()) {
            ObservationRegistry registry = registryWith(LoupeObservationHandler.builder().tracer(tracer).build());
            AssistantMessage broken = new AssistantMessage("Hi") {
                @Override
                public String getText() {
                    throw new IllegalStateException("a message that cannot be read");
                }
            };
            ChatResponse unreadable = new ChatResponse(List.of(new Generation(broken)));

            ChatModelObservationContext context = ChatModelObservationContext.builder().prompt(prompt)
                    .provider("openai").build();
            ChatResponse returned = ChatModelObservationDocumentation.CHAT_MODEL_OPERATION
                    .observation(null, new DefaultChatModelObservationConvention(), () -> context, registry)
                    .observe(() -> {
                        context.setResponse(unreadable);
                        return unreadable;
                    });

            assertThat(returned).isSameAs(unreadable);
            assertThat(tracer.stats().internalErrors()).isEqualTo(1);
            // The generation still ended, without its content: its record and its trace's were handed over.
            assertThat(tracer.flush()).isTrue();
            assertThat(tracer.stats().enqueued()).isEqualTo(2);
        }
    }

    private ChatResponse modelCall(ObservationRegistry registry) {
        ChatModelObservationContext context = ChatModelObservationContext.builder().prompt(prompt).provider("openai")
                .build();
        return ChatModelObservationDocumentation.CHAT_MODEL_OPERATION
                .observation(null, new DefaultChatModelObservationConvention(), () -> context, registry)
                .observe(() -> {
                    context.setResponse(answer);
                    return answer;
                });
    }

    private static ObservationRegistry registryWith(LoupeObservationHandler handler) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(handler);
        return registry;
    }
}
