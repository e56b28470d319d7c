package dev.loupe.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.fakellm.FakeLlm;
import dev.loupe.fakellm.ToolCall;
import dev.loupe.trace.Tracer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.ai.tool.function.FunctionToolCallback;

/** Spring AI's real OpenAI client through the proxy: recorded from a fake provider, replayed with it stopped. */
class SpringAiRecordReplayTest {

    @TempDir
    Path directory;

    /** The weather tool's input. */
    record City(String city) {
    }

    private <T> List<T> recordThenReplay(Consumer<FakeLlm> script, Function<OpenAiChatModel, T> call) {
        Path file = directory.resolve("recordings.json");
        List<T> results = new ArrayList<>();
        try (FakeLlm llm = FakeLlm.start(); LlmProxy proxy = LlmProxy.builder().mode(ReplayMode.RECORD)
                .upstream(llm.rootUrl()).recordingsFile(file).tracer(Tracer.noop()).start();
                LlmProxy.Session session = proxy.openSession("test", null, null)) {
            script.accept(llm);
            results.add(call.apply(model(session)));
        }
        try (LlmProxy proxy = LlmProxy.builder().mode(ReplayMode.REPLAY).recordingsFile(file).tracer(Tracer.noop())
                .start(); LlmProxy.Session session = proxy.openSession("test", null, null)) {
            results.add(call.apply(model(session)));
            assertThat(session.misses()).isEmpty();
        }
        return results;
    }

    /** Spring AI's base URL is the provider's root: it adds {@code /v1/chat/completions} itself. */
    private static OpenAiChatModel model(LlmEndpoint endpoint) {
        OpenAiApi api = OpenAiApi.builder().baseUrl(endpoint.baseUrl().toString()).apiKey("sk-test").build();
        return OpenAiChatModel.builder().openAiApi(api)
                .defaultOptions(OpenAiChatOptions.builder().model("gpt-4o-mini").build()).build();
    }

    @Test
    void aChatCallIsReplayed() {
        List<String> answers = recordThenReplay(llm -> llm.reply("Hallo!").usage(7, 2),
                model -> model.call("Say hello in German"));

        assertThat(answers).containsExactly("Hallo!", "Hallo!");
    }

    @Test
    void aStreamedCallIsReplayed() {
        List<String> answers = recordThenReplay(llm -> llm.reply("eins zwei drei").chunks("eins ", "zwei ", "drei"),
                model -> String.join("", Objects.requireNonNull(model.stream(new Prompt("Count in German"))
                        .map(response -> response.getResult() == null || response.getResult().getOutput().getText()
                                == null ? "" : response.getResult().getOutput().getText())
                        .collectList().block(Duration.ofSeconds(20)))));

        assertThat(answers).containsExactly("eins zwei drei", "eins zwei drei");
    }

    @Test
    void aToolCallRoundTripRunByTheFrameworkIsReplayed() {
        List<String> answers = recordThenReplay(
                llm -> {
                    llm.replyWithToolCalls(ToolCall.of("weather", "{\"city\":\"Bern\"}"));
                    llm.reply("Snowing in Bern.");
                },
                model -> {
                    FunctionToolCallback<City, String> weather = FunctionToolCallback
                            .builder("weather", (City city) -> "snow in " + city.city())
                            .description("Weather in a city").inputType(City.class).build();
                    ChatResponse response = model.call(new Prompt("Weather in Bern?",
                            OpenAiChatOptions.builder().model("gpt-4o-mini").toolCallbacks(List.of(weather)).build()));
                    return response.getResult().getOutput().getText();
                });

        assertThat(answers).containsExactly("Snowing in Bern.", "Snowing in Bern.");
    }
}
