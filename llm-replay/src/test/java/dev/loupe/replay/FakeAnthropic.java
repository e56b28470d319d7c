package dev.loupe.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A fake Anthropic provider on loopback for the proxy's tests: it answers {@code POST /v1/messages} with the next
 * scripted text in the Messages API's wire shapes, as one JSON message or, for {@code "stream": true}, as the
 * named server-sent events Anthropic sends (message_start, content_block_start, content_block_delta per word,
 * content_block_stop, message_delta, message_stop).
 */
final class FakeAnthropic implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Deque<String> answers = new ArrayDeque<>();

    FakeAnthropic() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/messages", this::answer);
        server.start();
    }

    String rootUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized FakeAnthropic reply(String text) {
        answers.add(text);
        return this;
    }

    /** Queues an answer in which the model asks for a tool, with its input as JSON. */
    synchronized FakeAnthropic replyWithToolUse(String tool, String inputJson) {
        answers.add(TOOL_USE + tool + "\n" + inputJson);
        return this;
    }

    private static final String TOOL_USE = "\u0000tool_use:";

    private void answer(HttpExchange http) throws IOException {
        try (http) {
            JsonNode request = JSON.readTree(http.getRequestBody());
            String text;
            synchronized (this) {
                text = answers.poll();
            }
            if (text == null) {
                byte[] error = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"nothing scripted\"}}"
                        .getBytes(StandardCharsets.UTF_8);
                http.sendResponseHeaders(400, error.length);
                http.getResponseBody().write(error);
                return;
            }
            String model = request.path("model").asText();
            if (text.startsWith(TOOL_USE)) {
                String[] tool = text.substring(TOOL_USE.length()).split("\n", 2);
                byte[] body = JSON.writeValueAsBytes(JSON.readTree("""
                        {"id":"msg_03","type":"message","role":"assistant","model":"%s","content":[{"type":"tool_use",
                        "id":"toolu_01","name":"%s","input":%s}],"stop_reason":"tool_use","stop_sequence":null,
                        "usage":{"input_tokens":30,"output_tokens":12}}"""
                        .formatted(model, tool[0], tool[1])));
                http.getResponseHeaders().set("Content-Type", "application/json");
                http.sendResponseHeaders(200, body.length);
                http.getResponseBody().write(body);
                return;
            }
            if (!request.path("stream").asBoolean()) {
                byte[] body = JSON.writeValueAsBytes(JSON.readTree("""
                        {"id":"msg_01","type":"message","role":"assistant","model":"%s","content":[{"type":"text",
                        "text":%s}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":14,
                        "cache_read_input_tokens":6,"cache_creation_input_tokens":0,"output_tokens":5}}"""
                        .formatted(model, JSON.writeValueAsString(text))));
                http.getResponseHeaders().set("Content-Type", "application/json");
                http.sendResponseHeaders(200, body.length);
                http.getResponseBody().write(body);
                return;
            }
            http.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            http.sendResponseHeaders(200, 0);
            OutputStream out = http.getResponseBody();
            send(out, "message_start", """
                    {"type":"message_start","message":{"id":"msg_02","type":"message","role":"assistant","model":"%s",
                    "content":[],"stop_reason":null,"usage":{"input_tokens":14,"output_tokens":1}}}"""
                    .formatted(model));
            send(out, "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            for (String word : text.split("(?<= )")) {
                send(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                        + "\"text_delta\",\"text\":" + JSON.writeValueAsString(word) + "}}");
            }
            send(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            send(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                    + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}");
            send(out, "message_stop", "{\"type\":\"message_stop\"}");
        }
    }

    private static void send(OutputStream out, String event, String data) throws IOException {
        out.write(("event: " + event + "\ndata: " + data.replace("\n", "") + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
