package dev.loupe.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextDelta;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import dev.loupe.trace.Tracer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Anthropic Java SDK through the proxy: Messages API calls recorded, then replayed with the provider stopped. */
class AnthropicRecordReplayTest {

    private static final String API_KEY = "sk-ant-test-secret-456";

    @TempDir
    Path directory;

    private static AnthropicClient client(LlmEndpoint endpoint) {
        return AnthropicOkHttpClient.builder().baseUrl(endpoint.baseUrl().toString()).apiKey(API_KEY).maxRetries(0)
                .build();
    }

    private static MessageCreateParams question(String text) {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(256).addUserMessage(text).build();
    }

    private <T> List<T> recordThenReplay(String answer, Function<AnthropicClient, T> call) throws IOException {
        return recordThenReplay(anthropic -> anthropic.reply(answer), call);
    }

    private <T> List<T> recordThenReplay(Consumer<FakeAnthropic> script, Function<AnthropicClient, T> call)
            throws IOException {
        Path file = directory.resolve("recordings.json");
        List<T> results = new ArrayList<>();
        try (FakeAnthropic anthropic = new FakeAnthropic();
                LlmProxy proxy = LlmProxy.builder().mode(ReplayMode.RECORD).upstream(anthropic.rootUrl())
                        .recordingsFile(file).tracer(Tracer.noop()).start();
                LlmProxy.Session session = proxy.openSession("test", null, null)) {
            script.accept(anthropic);
            results.add(call.apply(client(session)));
        }
        assertThat(Files.readString(file)).doesNotContain(API_KEY).doesNotContainIgnoringCase("x-api-key");
        try (LlmProxy proxy = LlmProxy.builder().mode(ReplayMode.REPLAY).recordingsFile(file).tracer(Tracer.noop())
                .start(); LlmProxy.Session session = proxy.openSession("test", null, null)) {
            results.add(call.apply(client(session)));
            assertThat(session.misses()).isEmpty();
        }
        return results;
    }

    @Test
    void aMessagesCallIsRecordedThenReplayed() throws IOException {
        List<Message> messages = recordThenReplay("Hello from Claude.",
                client -> client.messages().create(question("Say hello")));

        assertThat(messages.get(1).content().get(0).text().orElseThrow().text()).isEqualTo("Hello from Claude.");
        assertThat(messages.get(1).usage().cacheReadInputTokens()).hasValue(6L);
    }

    @Test
    void aToolUseRoundTripIsReplayed() throws IOException {
        List<String> answers = recordThenReplay(
                anthropic -> anthropic.replyWithToolUse("weather", "{\"city\":\"Oslo\"}").reply("Cold in Oslo."),
                client -> {
                    Tool weather = Tool.builder().name("weather").description("Weather in a city")
                            .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
                                    .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                                    .build()).required(List.of("city")).build())
                            .build();
                    MessageCreateParams.Builder params = MessageCreateParams.builder().model("claude-sonnet-4-5")
                            .maxTokens(256).addTool(weather).addUserMessage("Weather in Oslo?");
                    Message first = client.messages().create(params.build());
                    ToolUseBlock toolUse = first.content().get(0).toolUse().orElseThrow();
                    assertThat(toolUse.name()).isEqualTo("weather");
                    params.addMessage(first).addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                            ToolResultBlockParam.builder().toolUseId(toolUse.id()).content("-3 degrees").build())));
                    return client.messages().create(params.build()).content().get(0).text().orElseThrow().text();
                });

        assertThat(answers).containsExactly("Cold in Oslo.", "Cold in Oslo.");
    }

    @Test
    void aStreamedMessagesCallIsReplayedInItsNamedEvents() throws IOException {
        List<List<String>> deltas = recordThenReplay("Streaming from Claude.", client -> {
            try (StreamResponse<RawMessageStreamEvent> stream = client.messages()
                    .createStreaming(question("Stream a hello"))) {
                return stream.stream().flatMap(event -> event.contentBlockDelta().stream())
                        .flatMap(delta -> delta.delta().text().stream()).map(TextDelta::text).toList();
            }
        });

        assertThat(deltas.get(0)).containsExactly("Streaming ", "from ", "Claude.");
        assertThat(deltas.get(1)).isEqualTo(deltas.get(0));
    }
}
