package dev.loupe.fakellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible model server on loopback for tests: real HTTP, real JSON in the shapes of OpenAI's
 * chat-completions and embeddings API, answers scripted by the test. Point a framework's real OpenAI client at
 * {@link #baseUrl()}, script what the "model" says, run the code under test, then check {@link #requests()}.
 *
 * <pre>{@code
 * try (FakeLlm llm = FakeLlm.start()) {
 *     llm.replyWithToolCalls(ToolCall.of("weather", "{\"city\":\"Paris\"}"));
 *     llm.reply("It is sunny in Paris.").usage(120, 8).cachedTokens(64);
 *     // ... the application calls llm.baseUrl() twice ...
 *     assertThat(llm.chatRequests().get(1).messages()).extracting(RecordedMessage::role).contains("tool");
 * }
 * }</pre>
 *
 * <p>Chat-completions requests ({@code POST .../chat/completions}) take the scripted entries in order: replies
 * ({@link #reply(String)}, {@link #replyWithToolCalls(ToolCall...)}), errors ({@link #fail(int)}) and hangs
 * ({@link #hang()}). A request that asks for {@code "stream": true} gets the same reply as server-sent
 * {@code chat.completion.chunk} events, with the usage in a last chunk when {@code stream_options.include_usage} is
 * set. A request with nothing left to answer it gets a 400 whose message says so. Embeddings requests
 * ({@code POST .../embeddings}) need no script: each text gets a deterministic vector. The server is safe to use from
 * many threads, but its script is one queue: give each test its own server.
 */
public final class FakeLlm implements AutoCloseable {

    private static final int DEFAULT_DIMENSIONS = 32;

    private final HttpServer server;
    private final ExecutorService executor;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Deque<Step> script = new ArrayDeque<>();
    private final AtomicInteger served = new AtomicInteger();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final AtomicInteger completionIds = new AtomicInteger();
    private final AtomicInteger toolCallIds = new AtomicInteger();
    private final AtomicInteger unscripted = new AtomicInteger();

    private FakeLlm(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts a server on a free port of the loopback interface.
     *
     * @throws UncheckedIOException when no port could be bound
     */
    public static FakeLlm start() {
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-llm");
            thread.setDaemon(true);
            return thread;
        });
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeLlm llm = new FakeLlm(server, executor);
            server.createContext("/", llm::handle);
            server.setExecutor(executor);
            server.start();
            return llm;
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("Could not start the fake LLM server on the loopback interface", e);
        }
    }

    /** Returns the port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Returns the base URL in OpenAI's convention, ending in {@code /v1} (for LangChain4j's {@code baseUrl} and the
     * OpenAI SDKs).
     */
    public String baseUrl() {
        return rootUrl() + "/v1";
    }

    /** Returns the URL without {@code /v1}, for clients that add it themselves (Spring AI's {@code base-url}). */
    public String rootUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    /** Queues a plain text answer and returns it for refinement (usage, model, finish reason, delay, ...). */
    public ScriptedReply reply(String content) {
        if (content == null) {
            throw new IllegalArgumentException("A reply needs its text, but it was null: pass \"\" for an empty one");
        }
        return enqueue(new ScriptedReply(content, List.of()));
    }

    /**
     * Queues an answer in which the model calls the given tools (finish reason {@code tool_calls}) and returns it for
     * refinement; calls without an id are numbered {@code call_1}, {@code call_2}, ... in the order they are served.
     *
     * @throws IllegalArgumentException when no call is given
     */
    public ScriptedReply replyWithToolCalls(ToolCall... calls) {
        if (calls == null || calls.length == 0) {
            throw new IllegalArgumentException("replyWithToolCalls needs at least one ToolCall, but got none: "
                    + "use reply(text) for an answer without tool calls");
        }
        return enqueue(new ScriptedReply(null, Arrays.asList(calls)));
    }

    /**
     * Queues an error answer with the given HTTP status, with a body in OpenAI's error shape, and returns it for
     * refinement (message, {@code Retry-After}, repeats).
     *
     * @throws IllegalArgumentException when the status is not a 4xx or 5xx status
     */
    public ScriptedError fail(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("fail(status) takes an HTTP error status from 400 to 599, but got "
                    + status + ": use reply(text) for a successful answer");
        }
        return enqueue(new ScriptedError(status));
    }

    /** Queues a request that never gets an answer, so that the client's timeout fires. */
    public ScriptedHang hang() {
        return enqueue(new ScriptedHang());
    }

    /** Returns every request received so far, in the order they arrived. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Returns the chat-completions requests received so far, in order. */
    public List<RecordedRequest> chatRequests() {
        return requests().stream().filter(RecordedRequest::isChatCompletion).toList();
    }

    /** Returns the embeddings requests received so far, in order. */
    public List<RecordedRequest> embeddingRequests() {
        return requests().stream().filter(RecordedRequest::isEmbedding).toList();
    }

    /** Returns how many chat requests the script has not answered yet (a repeated entry counts each repeat). */
    public synchronized int pendingReplies() {
        int pending = 0;
        for (Step step : script) {
            pending += step.times();
        }
        return pending - served.get();
    }

    /** Returns how many chat requests arrived when the script was empty (each got a 400). */
    public int unscriptedRequests() {
        return unscripted.get();
    }

    /** Stops the server and releases the requests it holds (hangs, delays). */
    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private synchronized <T extends Step> T enqueue(T step) {
        script.addLast(step);
        return step;
    }

    private synchronized Step next() {
        Step step = script.peekFirst();
        if (step == null) {
            return null;
        }
        if (served.incrementAndGet() >= step.times()) {
            script.removeFirst();
            served.set(0);
        }
        return step;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonNode json = parse(body);
            String path = exchange.getRequestURI().getPath();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), path, headers, body, json);
            synchronized (requests) {
                requests.add(request);
            }
            boolean post = "POST".equals(exchange.getRequestMethod());
            if (post && json == null) {
                sendJson(exchange, 400, Wire.error("FakeLlm could not read the request body as a JSON object: "
                        + abbreviate(body), "invalid_request_error", null));
            } else if (post && request.isChatCompletion()) {
                chat(exchange, json);
            } else if (post && request.isEmbedding()) {
                embeddings(exchange, json, request.inputs());
            } else {
                sendJson(exchange, 404, Wire.error("FakeLlm serves POST .../chat/completions and POST .../embeddings,"
                        + " not " + exchange.getRequestMethod() + " " + path, "invalid_request_error", null));
            }
        } catch (IOException e) {
            // The client went away (a timeout, a cancelled stream): nothing to answer.
        }
    }

    private void chat(HttpExchange exchange, JsonNode request) throws IOException {
        Step step = next();
        if (step == null) {
            unscripted.incrementAndGet();
            sendJson(exchange, 400, Wire.error("FakeLlm has no scripted answer left for this chat request; script one"
                    + " with reply(...), replyWithToolCalls(...), fail(...) or hang() before the application calls"
                    + " the model", "invalid_request_error", "fake_llm_unscripted"));
        } else if (step instanceof ScriptedReply reply) {
            if (!reply.delay().isZero() && await(reply.delay())) {
                return;
            }
            answer(exchange, request, reply);
        } else if (step instanceof ScriptedError error) {
            if (error.retryAfter() != null) {
                long seconds = (error.retryAfter().toMillis() + 999) / 1000;
                exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
            }
            sendJson(exchange, error.status(), Wire.error(error.message(), error.type(), error.code()));
        } else {
            await(Duration.ofDays(1));
        }
    }

    private void answer(HttpExchange exchange, JsonNode request, ScriptedReply reply) throws IOException {
        String id = "chatcmpl-fake" + completionIds.incrementAndGet();
        long created = System.currentTimeMillis() / 1000;
        String model = reply.model() != null ? reply.model() : request.path("model").asText("gpt-4o-mini");
        List<ToolCall> calls = new ArrayList<>();
        for (ToolCall call : reply.toolCalls()) {
            String callId = call.id() != null ? call.id() : "call_" + toolCallIds.incrementAndGet();
            calls.add(new ToolCall(callId, call.name(), call.arguments()));
        }
        ObjectNode usage = usage(request, reply, calls);
        if (!request.path("stream").asBoolean(false)) {
            sendJson(exchange, 200, Wire.completion(id, created, model, reply.content(), calls, reply.finishReason(),
                    usage));
            return;
        }
        boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        ObjectNode first = Wire.delta();
        first.put("role", "assistant");
        first.put("content", reply.content() == null ? null : "");
        first.putNull("refusal");
        event(out, Wire.chunk(id, created, model, first, null, includeUsage));
        if (reply.content() != null) {
            for (String piece : reply.chunks() != null ? reply.chunks() : words(reply.content())) {
                ObjectNode delta = Wire.delta();
                delta.put("content", piece);
                event(out, Wire.chunk(id, created, model, delta, null, includeUsage));
            }
        }
        for (int index = 0; index < calls.size(); index++) {
            ToolCall call = calls.get(index);
            ObjectNode start = Wire.delta();
            ObjectNode callNode = start.putArray("tool_calls").addObject();
            callNode.put("index", index);
            callNode.put("id", call.id());
            callNode.put("type", "function");
            callNode.putObject("function").put("name", call.name()).put("arguments", "");
            event(out, Wire.chunk(id, created, model, start, null, includeUsage));
            String arguments = call.arguments();
            for (int from = 0; from < arguments.length(); from += 8) {
                ObjectNode delta = Wire.delta();
                ObjectNode part = delta.putArray("tool_calls").addObject();
                part.put("index", index);
                part.putObject("function").put("arguments",
                        arguments.substring(from, Math.min(arguments.length(), from + 8)));
                event(out, Wire.chunk(id, created, model, delta, null, includeUsage));
            }
        }
        event(out, Wire.chunk(id, created, model, Wire.delta(), reply.finishReason(), includeUsage));
        if (includeUsage) {
            event(out, Wire.usageChunk(id, created, model, usage));
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static ObjectNode usage(JsonNode request, ScriptedReply reply, List<ToolCall> calls) {
        int prompt;
        if (reply.promptTokens() != null) {
            prompt = reply.promptTokens();
        } else {
            prompt = 0;
            for (JsonNode message : request.path("messages")) {
                prompt += 3 + Wire.words(Wire.textOf(message.path("content")));
            }
            prompt = Math.max(prompt, reply.cachedTokens());
        }
        int completion;
        if (reply.completionTokens() != null) {
            completion = reply.completionTokens();
        } else {
            completion = Wire.words(reply.content());
            for (ToolCall call : calls) {
                completion += 3 + Wire.words(call.arguments().replaceAll("[{}\":,]", " "));
            }
            completion += reply.reasoningTokens();
        }
        return Wire.usage(prompt, completion, reply.cachedTokens(), reply.reasoningTokens());
    }

    private void embeddings(HttpExchange exchange, JsonNode request, List<String> inputs) throws IOException {
        if (inputs.isEmpty()) {
            sendJson(exchange, 400, Wire.error("An embeddings request needs an 'input': a string or an array of"
                    + " strings", "invalid_request_error", null));
            return;
        }
        int dimensions = request.path("dimensions").asInt(DEFAULT_DIMENSIONS);
        if (dimensions < 1) {
            dimensions = DEFAULT_DIMENSIONS;
        }
        boolean base64 = "base64".equals(request.path("encoding_format").asText(""));
        sendJson(exchange, 200, Wire.embeddings(request.path("model").asText("text-embedding-3-small"), inputs,
                dimensions, base64));
    }

    private static List<String> words(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i - 1)) && !Character.isWhitespace(text.charAt(i))) {
                pieces.add(text.substring(start, i));
                start = i;
            }
        }
        if (start < text.length()) {
            pieces.add(text.substring(start));
        }
        return pieces;
    }

    /** Waits, and returns true when the server closed meanwhile. */
    private boolean await(Duration wait) {
        try {
            return closed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static void event(OutputStream out, ObjectNode chunk) throws IOException {
        out.write(("data: " + Wire.MAPPER.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = Wire.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static JsonNode parse(String body) {
        if (body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = Wire.MAPPER.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
