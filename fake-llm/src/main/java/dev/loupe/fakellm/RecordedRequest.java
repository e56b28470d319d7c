package dev.loupe.fakellm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request the server received, in the order it arrived: the raw method, path, headers and body, and the parts
 * of an OpenAI request that tests check most (model, streaming, messages, tools, embedding inputs).
 */
public final class RecordedRequest {

    private final String method;
    private final String path;
    private final Map<String, List<String>> headers;
    private final String body;
    private final String model;
    private final boolean stream;
    private final List<RecordedMessage> messages;
    private final List<String> toolNames;
    private final List<String> inputs;

    RecordedRequest(String method, String path, Map<String, List<String>> headers, String body, JsonNode json) {
        this.method = method;
        this.path = path;
        this.headers = Map.copyOf(headers);
        this.body = body;
        JsonNode root = json == null ? Wire.MAPPER.missingNode() : json;
        this.model = root.path("model").isTextual() ? root.path("model").asText() : null;
        this.stream = root.path("stream").asBoolean(false);
        this.messages = messagesOf(root.path("messages"));
        List<String> names = new ArrayList<>();
        for (JsonNode tool : root.path("tools")) {
            names.add(tool.path("function").path("name").asText());
        }
        this.toolNames = List.copyOf(names);
        this.inputs = Wire.embeddingInputs(root.path("input"));
    }

    private static List<RecordedMessage> messagesOf(JsonNode array) {
        List<RecordedMessage> result = new ArrayList<>();
        for (JsonNode message : array) {
            List<ToolCall> calls = new ArrayList<>();
            for (JsonNode call : message.path("tool_calls")) {
                JsonNode function = call.path("function");
                calls.add(new ToolCall(call.path("id").asText(null), function.path("name").asText("?"),
                        function.path("arguments").asText("{}")));
            }
            result.add(new RecordedMessage(message.path("role").asText(null), Wire.textOf(message.path("content")),
                    message.path("tool_call_id").asText(null), calls));
        }
        return List.copyOf(result);
    }

    /** Returns the HTTP method, such as {@code POST}. */
    public String method() {
        return method;
    }

    /** Returns the request's path, such as {@code /v1/chat/completions}. */
    public String path() {
        return path;
    }

    /** Returns the headers by lower-case name. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** Returns the first value of the named header (any case), or null when the request had none. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Returns the body as it was sent, for checks the other accessors do not cover. */
    public String body() {
        return body;
    }

    /** Returns the {@code model} the request asked for, or null when it named none. */
    public String model() {
        return model;
    }

    /** Returns whether the request asked for a streamed (SSE) answer. */
    public boolean stream() {
        return stream;
    }

    /** Returns the chat messages of a chat-completions request, in order; empty for other requests. */
    public List<RecordedMessage> messages() {
        return messages;
    }

    /** Returns the names of the functions the request offered as tools, in order. */
    public List<String> toolNames() {
        return toolNames;
    }

    /** Returns the texts of an embeddings request, in order; empty for other requests. */
    public List<String> inputs() {
        return inputs;
    }

    /** Returns whether this was a chat-completions request. */
    public boolean isChatCompletion() {
        return path.endsWith("/chat/completions");
    }

    /** Returns whether this was an embeddings request. */
    public boolean isEmbedding() {
        return path.endsWith("/embeddings");
    }

    @Override
    public String toString() {
        return method + " " + path + " " + body;
    }
}
