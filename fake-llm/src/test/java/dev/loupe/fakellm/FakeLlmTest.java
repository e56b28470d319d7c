package dev.loupe.fakellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeLlmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ASK = """
            {"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},
             {"role":"user","content":"What is the weather in Paris?"}]%s}""";

    private final HttpClient client = HttpClient.newHttpClient();
    private final FakeLlm llm = FakeLlm.start();

    @AfterEach
    void close() {
        llm.close();
    }

    @Test
    void answersAPlainReplyAsAChatCompletionWithUsageDetails() throws Exception {
        llm.reply("It is sunny.").usage(120, 9).cachedTokens(64).reasoningTokens(4).model("gpt-4o-mini-2024-07-18");

        HttpResponse<String> response = post("/v1/chat/completions", ASK.formatted(""));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
        JsonNode choice = body.path("choices").path(0);
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("It is sunny.");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = body.path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(120);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(9);
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(129);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(64);
        assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isEqualTo(4);
    }

    @Test
    void echoesTheRequestedModelAndCountsWordsWhenNoUsageIsScripted() throws Exception {
        llm.reply("one two three");

        JsonNode body = JSON.readTree(post("/chat/completions", ASK.formatted("")).body());

        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(3 + 2 + 3 + 6);
    }

    @Test
    void servesToolCallsAndAnswersInScriptOrderAndRecordsWhatWasSent() throws Exception {
        llm.replyWithToolCalls(ToolCall.of("weather", "{\"city\":\"Paris\"}"), ToolCall.of("time", "{}"));
        llm.reply("Sunny, 3 pm.");

        JsonNode first = JSON.readTree(post("/v1/chat/completions", ASK.formatted(
                ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\"}}]")).body());
        String second = """
                {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Weather?"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                   "function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"sunny"}]}""";
        JsonNode answer = JSON.readTree(post("/v1/chat/completions", second).body());

        JsonNode calls = first.path("choices").path(0).path("message").path("tool_calls");
        assertThat(first.path("choices").path(0).path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(calls).hasSize(2);
        assertThat(calls.path(0).path("id").asText()).isEqualTo("call_1");
        assertThat(calls.path(0).path("function").path("name").asText()).isEqualTo("weather");
        assertThat(calls.path(0).path("function").path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(calls.path(1).path("id").asText()).isEqualTo("call_2");
        assertThat(answer.path("choices").path(0).path("message").path("content").asText()).isEqualTo("Sunny, 3 pm.");

        List<RecordedRequest> requests = llm.chatRequests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).toolNames()).containsExactly("weather");
        assertThat(requests.get(0).messages()).extracting(RecordedMessage::role).containsExactly("system", "user");
        RecordedMessage assistant = requests.get(1).messages().get(1);
        assertThat(assistant.toolCalls()).containsExactly(new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}"));
        assertThat(requests.get(1).messages().get(2))
                .isEqualTo(new RecordedMessage("tool", "sunny", "call_1", List.of()));
        assertThat(llm.pendingReplies()).isZero();
    }

    @Test
    void streamsTextAsChunksWithTheUsageInALastChunkWhenAsked() throws Exception {
        llm.reply("It is sunny today.").usage(20, 4).cachedTokens(8);

        HttpResponse<String> response = post("/v1/chat/completions",
                ASK.formatted(",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));

        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<JsonNode> chunks = events(response.body());
        assertThat(chunks).allSatisfy(chunk ->
                assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk"));
        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> text.append(chunk.path("choices").path(0).path("delta").path("content").asText("")));
        assertThat(text).hasToString("It is sunny today.");
        assertThat(chunks.get(0).path("choices").path(0).path("delta").path("role").asText()).isEqualTo("assistant");
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
        JsonNode last = chunks.get(chunks.size() - 1);
        assertThat(last.path("choices")).isEmpty();
        assertThat(last.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(8);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(chunk ->
                assertThat(chunk.path("usage").isNull()).isTrue());
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void streamsWithoutAUsageChunkWhenNotAsked() throws Exception {
        llm.reply("Hi there").chunks("H", "i there");

        List<JsonNode> chunks = events(post("/v1/chat/completions", ASK.formatted(",\"stream\":true")).body());

        assertThat(chunks).noneSatisfy(chunk -> assertThat(chunk.has("usage")).isTrue());
        assertThat(chunks).extracting(chunk -> chunk.path("choices").path(0).path("delta").path("content").asText())
                .containsSubsequence("H", "i there");
    }

    @Test
    void streamsToolCallArgumentsInPiecesUnderTheCallsIndex() throws Exception {
        llm.replyWithToolCalls(new ToolCall("call_w", "weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"));

        List<JsonNode> chunks = events(post("/v1/chat/completions", ASK.formatted(",\"stream\":true")).body());

        StringBuilder arguments = new StringBuilder();
        List<String> ids = new ArrayList<>();
        for (JsonNode chunk : chunks) {
            for (JsonNode call : chunk.path("choices").path(0).path("delta").path("tool_calls")) {
                assertThat(call.path("index").asInt()).isZero();
                if (call.has("id")) {
                    ids.add(call.path("id").asText());
                    assertThat(call.path("function").path("name").asText()).isEqualTo("weather");
                }
                arguments.append(call.path("function").path("arguments").asText());
            }
        }
        assertThat(ids).containsExactly("call_w");
        assertThat(arguments).hasToString("{\"city\":\"Paris\",\"unit\":\"celsius\"}");
        assertThat(chunks.get(chunks.size() - 1).path("choices").path(0).path("finish_reason").asText())
                .isEqualTo("tool_calls");
    }

    @Test
    void answersARateLimitWithRetryAfterAndOpenAisErrorShape() throws Exception {
        llm.fail(429).retryAfter(Duration.ofMillis(1500));
        llm.reply("Now it works.");

        HttpResponse<String> limited = post("/v1/chat/completions", ASK.formatted(""));
        HttpResponse<String> retried = post("/v1/chat/completions", ASK.formatted(""));

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("2");
        JsonNode error = JSON.readTree(limited.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(error.path("message").asText()).contains("Rate limit");
        assertThat(retried.statusCode()).isEqualTo(200);
    }

    @Test
    void repeatsAnEntryAsManyTimesAsScripted() throws Exception {
        llm.fail(500).times(2);
        llm.reply("ok");

        assertThat(llm.pendingReplies()).isEqualTo(3);
        assertThat(post("/v1/chat/completions", ASK.formatted("")).statusCode()).isEqualTo(500);
        assertThat(post("/v1/chat/completions", ASK.formatted("")).statusCode()).isEqualTo(500);
        assertThat(post("/v1/chat/completions", ASK.formatted("")).statusCode()).isEqualTo(200);
        assertThat(llm.pendingReplies()).isZero();
    }

    @Test
    void holdsAHungRequestUntilTheClientTimesOut() {
        llm.hang();
        HttpRequest request = HttpRequest.newBuilder(URI.create(llm.baseUrl() + "/chat/completions"))
                .timeout(Duration.ofMillis(300))
                .POST(HttpRequest.BodyPublishers.ofString(ASK.formatted(""))).build();

        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(llm.chatRequests()).hasSize(1);
    }

    @Test
    void answersAnUnscriptedRequestWithA400ThatSaysWhatToScript() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", ASK.formatted(""));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").path("message").asText())
                .contains("no scripted answer left", "reply(...)");
        assertThat(llm.unscriptedRequests()).isEqualTo(1);
    }

    @Test
    void embedsTextsDeterministicallyWithoutAScript() throws Exception {
        String request = "{\"model\":\"text-embedding-3-small\",\"input\":[\"red apple\",\"red apple\",\"blue sky\"]}";

        JsonNode body = JSON.readTree(post("/v1/embeddings", request).body());

        JsonNode data = body.path("data");
        assertThat(data).hasSize(3);
        assertThat(data.path(0).path("embedding")).hasSize(32);
        assertThat(data.path(0).path("embedding")).isEqualTo(data.path(1).path("embedding"));
        assertThat(data.path(0).path("embedding")).isNotEqualTo(data.path(2).path("embedding"));
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(6);
        assertThat(llm.embeddingRequests().get(0).inputs()).containsExactly("red apple", "red apple", "blue sky");
    }

    @Test
    void encodesEmbeddingsAsBase64FloatsWhenAsked() throws Exception {
        String request = "{\"model\":\"m\",\"input\":\"red apple\",\"dimensions\":8,\"encoding_format\":\"base64\"}";

        JsonNode body = JSON.readTree(post("/v1/embeddings", request).body());

        byte[] bytes = Base64.getDecoder().decode(body.path("data").path(0).path("embedding").asText());
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        double norm = 0;
        for (int i = 0; i < 8; i++) {
            float value = buffer.getFloat();
            norm += value * value;
        }
        assertThat(bytes).hasSize(8 * Float.BYTES);
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void rejectsScriptMistakesNamingTheValue() {
        assertThatThrownBy(() -> llm.fail(200)).hasMessageContaining("200").hasMessageContaining("reply(text)");
        assertThatThrownBy(() -> llm.replyWithToolCalls()).hasMessageContaining("at least one ToolCall");
        assertThatThrownBy(() -> llm.reply("abc").chunks("a", "b")).hasMessageContaining("'ab'");
        assertThatThrownBy(() -> llm.reply("x").times(0)).hasMessageContaining("was 0");
        assertThatThrownBy(() -> ToolCall.of(" ", "{}")).hasMessageContaining("function's name");
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(llm.rootUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> events(String stream) throws IOException {
        List<JsonNode> chunks = new ArrayList<>();
        for (String line : stream.split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                chunks.add(JSON.readTree(line.substring("data: ".length())));
            }
        }
        return chunks;
    }
}
