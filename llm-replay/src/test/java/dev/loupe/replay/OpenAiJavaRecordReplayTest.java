package dev.loupe.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionTool;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.loupe.fakellm.FakeLlm;
import dev.loupe.fakellm.ToolCall;
import dev.loupe.trace.Tracer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real openai-java SDK through the proxy: each call is recorded from a fake provider on loopback, then replayed
 * with that provider stopped, and the client sees the same answer.
 */
class OpenAiJavaRecordReplayTest {

    private static final String API_KEY = "sk-test-very-secret-key-123";

    @TempDir
    Path directory;

    private Path recordings() {
        return directory.resolve("OpenAiJavaRecordReplayTest.json");
    }

    private static OpenAIClient client(LlmEndpoint endpoint) {
        return OpenAIOkHttpClient.builder().baseUrl(endpoint.openAiBaseUrl().toString()).apiKey(API_KEY)
                .maxRetries(0).build();
    }

    private static ChatCompletionCreateParams question(String text) {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage(text).temperature(0.0)
                .build();
    }

    /** A proxy that traces nothing: the traces of calls are the JUnit extension's tests' subject. */
    private LlmProxy proxy(ReplayMode mode, String upstream) {
        return LlmProxy.builder().mode(mode).upstream(upstream).recordingsFile(recordings()).tracer(Tracer.noop())
                .start();
    }

    /** Runs the body in record mode against a fresh fake provider, then in replay mode with the provider stopped. */
    private <T> List<T> recordThenReplay(java.util.function.Consumer<FakeLlm> script,
            java.util.function.Function<OpenAIClient, T> call) {
        T recorded;
        try (FakeLlm llm = FakeLlm.start(); LlmProxy proxy = proxy(ReplayMode.RECORD, llm.rootUrl())) {
            script.accept(llm);
            try (LlmProxy.Session session = proxy.openSession("test", null, null)) {
                recorded = call.apply(client(session));
            }
        }
        T replayed;
        try (LlmProxy proxy = proxy(ReplayMode.REPLAY, "http://127.0.0.1:9")) {
            try (LlmProxy.Session session = proxy.openSession("test", null, null)) {
                replayed = call.apply(client(session));
                assertThat(session.misses()).isEmpty();
            }
        }
        return List.of(recorded, replayed);
    }

    @Test
    void aChatCallIsRecordedThenReplayedWithTheProviderStopped() {
        List<ChatCompletion> answers = recordThenReplay(
                llm -> llm.reply("Paris is the capital of France.").usage(20, 7).cachedTokens(8),
                client -> client.chat().completions().create(question("What is the capital of France?")));

        assertThat(answers.get(1).choices().get(0).message().content()).hasValue("Paris is the capital of France.");
        assertThat(answers.get(1).usage().orElseThrow().promptTokens()).isEqualTo(20);
        assertThat(answers.get(1).id()).isEqualTo(answers.get(0).id());
    }

    @Test
    void aStreamedCallIsReplayedInTheChunksItWasRecordedIn() {
        List<List<String>> chunks = recordThenReplay(
                llm -> llm.reply("Bonjour tout le monde").chunks("Bon", "jour ", "tout le ", "monde").usage(5, 4),
                client -> {
                    ChatCompletionCreateParams params = question("Say hello in French");
                    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                            .createStreaming(params)) {
                        return stream.stream().flatMap(chunk -> chunk.choices().stream())
                                .map(choice -> choice.delta().content().orElse(""))
                                .filter(text -> !text.isEmpty()).toList();
                    }
                });

        assertThat(chunks.get(0)).containsExactly("Bon", "jour ", "tout le ", "monde");
        assertThat(chunks.get(1)).isEqualTo(chunks.get(0));
    }

    @Test
    void aToolCallRoundTripIsReplayedCallByCall() {
        List<String> answers = recordThenReplay(
                llm -> {
                    llm.replyWithToolCalls(ToolCall.of("weather", "{\"city\":\"Paris\"}")).usage(30, 10);
                    llm.reply("It is sunny in Paris.").usage(45, 6);
                },
                OpenAiJavaRecordReplayTest::askWithTool);

        assertThat(answers).containsOnly("It is sunny in Paris.");
    }

    static String askWithTool(OpenAIClient client) {
        ChatCompletionTool weather = ChatCompletionTool.ofFunction(ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder().name("weather").description("Weather in a city")
                        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city",
                                        Map.of("type", "string")))).build())
                        .build())
                .build());
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                .addUserMessage("What is the weather in Paris?").tools(List.of(weather));
        ChatCompletionMessage first = client.chat().completions().create(params.build()).choices().get(0).message();
        ChatCompletionMessageToolCall call = first.toolCalls().orElseThrow().get(0);
        params.addMessage(first).addMessage(ChatCompletionToolMessageParam.builder()
                .toolCallId(call.asFunction().id()).content("sunny, 24 degrees").build());
        return client.chat().completions().create(params.build()).choices().get(0).message().content().orElse("");
    }

    @Test
    void identicalCallsInOneTestAreToldApartByTheirOrder() {
        List<String> answers = recordThenReplay(
                llm -> {
                    llm.reply("first");
                    llm.reply("second");
                },
                client -> client.chat().completions().create(question("Again?")).choices().get(0).message()
                        .content().orElse("") + "," + client.chat().completions().create(question("Again?"))
                        .choices().get(0).message().content().orElse(""));

        assertThat(answers).containsOnly("first,second");
    }

    @Test
    void aDriftedPromptFailsInReplayWithTheClosestRecordingAndADiff() {
        recordThenReplay(llm -> llm.reply("Paris."),
                client -> client.chat().completions().create(question("What is the capital of France?")));

        try (LlmProxy proxy = proxy(ReplayMode.REPLAY, "http://127.0.0.1:9");
                LlmProxy.Session session = proxy.openSession("test", null, null)) {
            assertThatThrownBy(() -> client(session).chat().completions()
                    .create(question("What is the capital of Spain?")))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("Loupe has no recording of this model call for test test");
            assertThat(session.misses()).singleElement().asString()
                    .contains("Record it by running the test with -Dloupe.llm.mode=record (or auto).")
                    .contains("The closest recorded request differs (- recorded, + this call):\n  ...\n  {\n")
                    .contains("-       \"content\" : \"What is the capital of France?\",\n"
                            + "+       \"content\" : \"What is the capital of Spain?\",\n");
        }
    }

    @Test
    void autoModeReplaysWhatIsRecordedAndRecordsWhatIsNot() {
        try (FakeLlm llm = FakeLlm.start()) {
            llm.reply("one");
            llm.reply("two");
            try (LlmProxy proxy = proxy(ReplayMode.AUTO, llm.rootUrl());
                    LlmProxy.Session session = proxy.openSession("test", null, null)) {
                assertThat(client(session).chat().completions().create(question("1?")).choices().get(0).message()
                        .content()).hasValue("one");
            }
            try (LlmProxy proxy = proxy(ReplayMode.AUTO, llm.rootUrl());
                    LlmProxy.Session session = proxy.openSession("test", null, null)) {
                OpenAIClient client = client(session);
                assertThat(client.chat().completions().create(question("1?")).choices().get(0).message().content())
                        .hasValue("one");
                assertThat(client.chat().completions().create(question("2?")).choices().get(0).message().content())
                        .hasValue("two");
            }
            assertThat(llm.chatRequests()).hasSize(2);
        }
    }

    @Test
    void apiKeysHeadersAndSecretFieldsAreNeverWritten() throws IOException {
        try (FakeLlm llm = FakeLlm.start()) {
            llm.reply("ok");
            try (LlmProxy proxy = LlmProxy.builder().mode(ReplayMode.RECORD).upstream(llm.rootUrl())
                    .recordingsFile(recordings()).secretFields("user_secret").tracer(Tracer.noop()).start();
                    LlmProxy.Session session = proxy.openSession("test", null, null)) {
                client(session).chat().completions().create(ChatCompletionCreateParams.builder()
                        .model("gpt-4o-mini").addUserMessage("hi")
                        .putAdditionalBodyProperty("user_secret", JsonValue.from("hunter2-password"))
                        .build());
            }
            assertThat(llm.chatRequests().get(0).header("Authorization")).isEqualTo("Bearer " + API_KEY);
            assertThat(llm.chatRequests().get(0).body()).contains("hunter2-password");
        }

        String written = Files.readString(recordings());
        assertThat(written).contains("\"content\" : \"hi\"")
                .doesNotContain(API_KEY, "Bearer", "hunter2-password", "user_secret")
                .doesNotContainIgnoringCase("authorization");
    }

    @Test
    void theRecordingsFileIsPrettyPrintedAndUnchangedByAReplay() throws IOException {
        recordThenReplay(llm -> llm.reply("Paris."),
                client -> client.chat().completions().create(question("What is the capital of France?")));
        String afterRecording = Files.readString(recordings());

        recordThenReplayOnly();

        assertThat(Files.readString(recordings())).isEqualTo(afterRecording);
        assertThat(afterRecording.lines().collect(Collectors.toList()))
                .contains("{", "  \"format\" : 1,", "  \"tests\" : {", "    \"test\" : [");
    }

    private void recordThenReplayOnly() {
        try (LlmProxy proxy = proxy(ReplayMode.REPLAY, "http://127.0.0.1:9");
                LlmProxy.Session session = proxy.openSession("test", null, null)) {
            client(session).chat().completions().create(question("What is the capital of France?"));
        }
    }
}
