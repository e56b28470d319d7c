package dev.loupe.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.loupe.fakellm.FakeLlm;
import dev.loupe.fakellm.ToolCall;
import dev.loupe.trace.Tracer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LangChain4j's real OpenAI client through the proxy: recorded from a fake provider, replayed with it stopped. */
class LangChain4jRecordReplayTest {

    @TempDir
    Path directory;

    private <T> List<T> recordThenReplay(Consumer<FakeLlm> script, Function<String, T> call) {
        Path file = directory.resolve("recordings.json");
        List<T> results = new ArrayList<>();
        try (FakeLlm llm = FakeLlm.start(); LlmProxy proxy = LlmProxy.builder().mode(ReplayMode.RECORD)
                .upstream(llm.rootUrl()).recordingsFile(file).tracer(Tracer.noop()).start();
                LlmProxy.Session session = proxy.openSession("test", null, null)) {
            script.accept(llm);
            results.add(call.apply(session.openAiBaseUrl().toString()));
        }
        try (LlmProxy proxy = LlmProxy.builder().mode(ReplayMode.REPLAY).recordingsFile(file).tracer(Tracer.noop())
                .start(); LlmProxy.Session session = proxy.openSession("test", null, null)) {
            results.add(call.apply(session.openAiBaseUrl().toString()));
            assertThat(session.misses()).isEmpty();
        }
        return results;
    }

    private static OpenAiChatModel model(String baseUrl) {
        return OpenAiChatModel.builder().baseUrl(baseUrl).apiKey("sk-test").modelName("gpt-4o-mini").maxRetries(0)
                .build();
    }

    @Test
    void aChatCallIsReplayed() {
        List<String> answers = recordThenReplay(llm -> llm.reply("Bonjour!").usage(8, 2),
                baseUrl -> model(baseUrl).chat("Say hello in French"));

        assertThat(answers).containsExactly("Bonjour!", "Bonjour!");
    }

    @Test
    void aStreamedCallIsReplayedChunkByChunk() {
        List<List<String>> chunks = recordThenReplay(llm -> llm.reply("one two three").chunks("one ", "two ", "three"),
                baseUrl -> {
                    List<String> parts = new ArrayList<>();
                    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
                    OpenAiStreamingChatModel.builder().baseUrl(baseUrl).apiKey("sk-test").modelName("gpt-4o-mini")
                            .build().chat("Count to three", new StreamingChatResponseHandler() {
                                @Override
                                public void onPartialResponse(String partial) {
                                    parts.add(partial);
                                }

                                @Override
                                public void onCompleteResponse(ChatResponse response) {
                                    done.complete(response);
                                }

                                @Override
                                public void onError(Throwable error) {
                                    done.completeExceptionally(error);
                                }
                            });
                    assertThat(done).succeedsWithin(20, TimeUnit.SECONDS)
                            .extracting(response -> response.aiMessage().text()).isEqualTo("one two three");
                    return parts;
                });

        assertThat(chunks.get(0)).containsExactly("one ", "two ", "three");
        assertThat(chunks.get(1)).isEqualTo(chunks.get(0));
    }

    @Test
    void aToolCallRoundTripIsReplayed() {
        List<String> answers = recordThenReplay(
                llm -> {
                    llm.replyWithToolCalls(ToolCall.of("weather", "{\"city\":\"Lyon\"}"));
                    llm.reply("Rainy in Lyon.");
                },
                baseUrl -> {
                    OpenAiChatModel model = model(baseUrl);
                    ToolSpecification weather = ToolSpecification.builder().name("weather")
                            .description("Weather in a city")
                            .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build())
                            .build();
                    List<ChatMessage> messages = new ArrayList<>(List.of(UserMessage.from("Weather in Lyon?")));
                    AiMessage first = model.chat(ChatRequest.builder().messages(messages)
                            .toolSpecifications(weather).build()).aiMessage();
                    ToolExecutionRequest request = first.toolExecutionRequests().get(0);
                    assertThat(request.arguments()).isEqualTo("{\"city\":\"Lyon\"}");
                    messages.add(first);
                    messages.add(ToolExecutionResultMessage.from(request, "rain, 12 degrees"));
                    return model.chat(ChatRequest.builder().messages(messages).toolSpecifications(weather).build())
                            .aiMessage().text();
                });

        assertThat(answers).containsExactly("Rainy in Lyon.", "Rainy in Lyon.");
    }
}
