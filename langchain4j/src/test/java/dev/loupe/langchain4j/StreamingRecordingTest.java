package dev.loupe.langchain4j;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.LoupeAssertions.assertThatThrownBy;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.AiServices;
import dev.loupe.Loupe;
import dev.loupe.fakellm.FakeLlm;
import dev.loupe.fakellm.ToolCall;
import dev.loupe.junit.CapturedTraces;
import dev.loupe.junit.TraceCapture;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.TraceContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TraceCapture.class)
class StreamingRecordingTest {

    private final FakeLlm llm = FakeLlm.start();
    private final LoupeLangChain4j loupe = LoupeLangChain4j.create();

    @AfterEach
    void stop() {
        llm.close();
    }

    private Weather.StreamingAssistant assistant() {
        return AiServices.builder(Weather.StreamingAssistant.class)
                .streamingChatModel(Weather.streamingModel(llm))
                .tools(new Weather.Tools())
                .registerListeners(loupe.aiServiceListeners())
                .build();
    }

    private static ChatResponse stream(Weather.StreamingAssistant assistant, String message, StringBuilder text)
            throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        assistant.chat(message)
                .onPartialResponse(text::append)
                .onCompleteResponse(done::complete)
                .onError(done::completeExceptionally)
                .start();
        return done.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aStreamedInvocationWithToolsIsTheSameTreeAsAPlainOneWithUsageFromTheLastChunk(CapturedTraces traces)
            throws Exception {
        llm.replyWithToolCalls(ToolCall.of("weather", "{\"city\":\"Paris\"}"));
        llm.reply("It is sunny in Paris today.").usage(40, 6).cachedTokens(32);
        StringBuilder text = new StringBuilder();

        stream(assistant(), "Weather in Paris?", text);

        List<TraceTree> all = traces.awaitCompleted(Duration.ofSeconds(10));
        assertThat(all).hasSize(1);
        TraceTree trace = all.get(0);
        assertThat(text).hasToString("It is sunny in Paris today.");
        assertThat(trace).hasNoErrors().hasInput("Weather in Paris?").hasOutput("It is sunny in Paris today.")
                .hasShape("""
                        AGENT Assistant.chat
                          GENERATION chat gpt-4o-mini
                          TOOL weather
                          GENERATION chat gpt-4o-mini
                        """.replace("Assistant.chat", "StreamingAssistant.chat"));
        assertThat(trace).toolCall("weather").hasArgument("city", "Paris").hasResult("sunny, 21 C in Paris");
        assertThat(llm.chatRequests()).allSatisfy(request -> assertThat(
                request.stream()).isTrue());
        assertThat(trace).hasObservationCount(ObservationType.GENERATION, 2);
        assertThat(trace.observations().stream()
                .filter(observation -> observation.usage() != null && observation.usage().output() == 6)
                .toList()).singleElement()
                .satisfies(generation -> assertThat(
                        generation.usage().detail("cached_input")).isEqualTo(32L));
    }

    @Test
    void aStreamStartedInsideAnObservationNestsUnderItThoughItEndsOnAnotherThread(CapturedTraces traces)
            throws Exception {
        llm.reply("Hello there.");

        Loupe.tracer().trace("handle-request", root -> {
            stream(assistant(), "Hi", new StringBuilder());
            return null;
        });

        TraceTree trace = traces.awaitCompleted(Duration.ofSeconds(10)).get(0);
        assertThat(trace).hasShape("""
                handle-request
                  AGENT StreamingAssistant.chat
                    GENERATION chat gpt-4o-mini
                """);
    }

    @Test
    void aStreamedInvocationLeavesNothingCurrentOnTheCallersThread(CapturedTraces traces) throws Exception {
        llm.reply("Hello there.");
        String before = TraceContext.current().observationId();

        stream(assistant(), "Hi", new StringBuilder());

        assertThat(TraceContext.current().observationId()).isEqualTo(before);
        assertThat(traces.awaitCompleted(Duration.ofSeconds(10))).hasSize(1);
    }

    @Test
    void aStreamThatFailsIsAnErrorOnTheGenerationAndTheAgent(CapturedTraces traces) {
        llm.fail(500);

        assertThatThrownBy(() -> stream(assistant(), "Hi", new StringBuilder()))
                .isInstanceOf(ExecutionException.class);

        TraceTree trace = traces.awaitCompleted(Duration.ofSeconds(10)).get(0);
        assertThat(trace).hasFirstErrorIn("chat gpt-4o-mini");
        assertThat(trace).root().isError();
    }

    @Test
    void aStreamingModelCalledDirectlyIsOneGenerationEndedOnLangChain4jsThread(CapturedTraces traces)
            throws Exception {
        llm.reply("Direct answer.").usage(3, 2);
        StreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(llm.baseUrl()).apiKey("test-key")
                .modelName("gpt-4o-mini").listeners(List.of(loupe.chatModelListener())).build();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        model.chat("Hi", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
            }

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                done.complete(completeResponse);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        done.get(20, TimeUnit.SECONDS);

        TraceTree trace = traces.awaitCompleted(Duration.ofSeconds(10)).get(0);
        assertThat(trace).hasName("chat gpt-4o-mini").hasShape("GENERATION chat gpt-4o-mini");
        assertThat(trace).generation("chat gpt-4o-mini").hasUsage(3, 2).hasOutputAtPath("content", "Direct answer.")
                .hasMetadataEntry("provider", "openai");
    }
}
