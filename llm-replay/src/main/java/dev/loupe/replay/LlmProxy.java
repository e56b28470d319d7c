package dev.loupe.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loupe.Loupe;
import dev.loupe.replay.Exchange.RecordedResponse;
import dev.loupe.replay.Exchange.StreamEvent;
import dev.loupe.replay.RequestKeys.RequestKey;
import dev.loupe.trace.TraceContext;
import dev.loupe.trace.Tracer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recording proxy for LLM HTTP APIs: OpenAI's (chat completions, responses, embeddings, and every provider
 * compatible with them) and Anthropic's messages API, plain or streamed through server-sent events. An
 * application's client reaches it through the base URL every SDK lets you set. It records each exchange with the
 * real provider to a file, replays it from there, or does whichever applies ({@link ReplayMode}); each call is also
 * a generation in the trace of the test that made it, marked {@code recorded} or {@code replayed}.
 *
 * <p>API keys and other headers are never written; neither are body fields marked secret.
 */
public final class LlmProxy implements AutoCloseable {

    /** The metadata key of the marker on a call's generation: {@code recorded} or {@code replayed}. */
    public static final String MARKER = "loupe.llm.replay";
    /** The largest request body the proxy reads, in bytes. */
    public static final int MAX_REQUEST_BYTES = 32 * 1024 * 1024;
    /** The largest response it records, in bytes; larger ones are passed on but not recorded. */
    public static final int MAX_RECORDED_RESPONSE_BYTES = 32 * 1024 * 1024;
    /** The path prefix that gives each test its own base URL. */
    static final String TEST_PREFIX = "/t/";

    private static final Logger LOG = LoggerFactory.getLogger(LlmProxy.class);
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "accept-encoding", "keep-alive", "te", "trailer", "transfer-encoding", "http2-settings",
            "proxy-connection");
    private static final Set<String> NOT_RELAYED = Set.of("content-length", "transfer-encoding", "connection",
            "content-encoding", "keep-alive", "date");

    private final ReplayMode mode;
    private final URI upstream;
    private final Recordings recordings;
    private final RequestKeys keys;
    private final Tracer tracerOrNull;
    private final Clock clock;
    private final Duration upstreamTimeout;
    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient client;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger sessionNumbers = new AtomicInteger();
    private final Session classSession;
    private final URI baseUrl;

    private LlmProxy(Builder builder) throws IOException {
        this.mode = builder.mode;
        this.upstream = builder.upstream;
        this.keys = new RequestKeys(builder.ignoredFields, builder.secretFields);
        this.recordings = Recordings.load(builder.recordingsFile, keys);
        this.tracerOrNull = builder.tracer;
        this.clock = builder.clock;
        this.upstreamTimeout = builder.upstreamTimeout;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        AtomicInteger threadNumbers = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "loupe-llm-proxy-" + threadNumbers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpServer.create(new InetSocketAddress(builder.host, builder.port), 64);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
        String host = builder.host.contains(":") ? "[" + builder.host + "]" : builder.host;
        this.baseUrl = URI.create("http://" + host + ":" + server.getAddress().getPort());
        this.classSession = new Session(this, "(class)", null, null, baseUrl);
    }

    /** Returns a builder; {@link Builder#start()} starts the proxy. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the proxy's own base URL, for calls that belong to no test in particular. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** Returns what the proxy does with calls. */
    public ReplayMode mode() {
        return mode;
    }

    /** Returns the file the recordings are read from and written to, or null when they are kept in memory. */
    public Path recordingsFile() {
        return recordings.file();
    }

    /** Returns how many exchanges are recorded, read from the file and added since. */
    public int recordedExchanges() {
        return recordings.size();
    }

    /** Returns the calls that arrived under the proxy's own base URL, for the class as a whole. */
    public Session classSession() {
        return classSession;
    }

    /**
     * Opens a session for one test: its calls, under a base URL of its own, are matched against the test's
     * recordings and traced in its context. Calls that arrive under the proxy's own base URL are the test's too
     * while it is the only session open.
     *
     * @param test    the test's name in the recordings file
     * @param context where its calls are traced: gives the trace context that attributes work to the test when a
     *                call arrives, or null
     * @param parents finds the observation the test has open when a call arrives, so that the call is traced inside
     *                it; null to trace each call as a trace of its own
     */
    public Session openSession(String test, Supplier<TraceContext> context, OpenObservations parents) {
        String token = Integer.toString(sessionNumbers.incrementAndGet());
        Session session = new Session(this, Objects.requireNonNull(test, "test"), context, parents,
                URI.create(baseUrl + TEST_PREFIX + token));
        sessions.put(token, session);
        session.token = token;
        return session;
    }

    /**
     * Writes the recordings file if anything was recorded.
     *
     * @throws java.io.UncheckedIOException naming the file when it cannot be written
     */
    public void save() {
        recordings.save();
    }

    /** Stops serving and writes the recordings file if anything was recorded. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        save();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Serving

    private void handle(HttpExchange http) {
        try (http) {
            String rawPath = http.getRequestURI().getRawPath();
            Session session = classSessionOrOnlyTest();
            String path = rawPath;
            if (rawPath.startsWith(TEST_PREFIX)) {
                int end = rawPath.indexOf('/', TEST_PREFIX.length());
                String token = rawPath.substring(TEST_PREFIX.length(), end < 0 ? rawPath.length() : end);
                session = sessions.get(token);
                if (session == null) {
                    answerError(http, 410, "/v1", "This base URL belonged to a test that has ended (" + rawPath
                            + "); use the base URL the current test was given");
                    return;
                }
                path = end < 0 ? "/" : rawPath.substring(end);
            }
            serve(http, session, path);
        } catch (RuntimeException | IOException | Error failure) {
            LOG.warn("Loupe's LLM proxy could not answer {} {}", http.getRequestMethod(), http.getRequestURI(),
                    failure);
        }
    }

    private Session classSessionOrOnlyTest() {
        Session only = null;
        for (Session session : sessions.values()) {
            if (only != null) {
                return classSession;
            }
            only = session;
        }
        return only == null ? classSession : only;
    }

    private void serve(HttpExchange http, Session session, String path) throws IOException {
        byte[] body = readBody(http);
        if (body == null) {
            answerError(http, 413, path, "The request body is over " + MAX_REQUEST_BYTES
                    + " bytes, the most Loupe's LLM proxy reads");
            return;
        }
        String method = http.getRequestMethod();
        RequestKey key = keys.keyOf(method, path, body);
        int occurrence = session.occurrence(key);
        Instant start = clock.instant();
        CallTrace trace = session.begin(key, start);
        RecordedResponse recorded = mode == ReplayMode.RECORD ? null
                : recordings.find(session.test(), key, occurrence);
        if (recorded != null) {
            replay(http, recorded, firstByte -> trace.end(recorded, firstByte, clock.instant(), "replayed"));
            return;
        }
        if (mode == ReplayMode.REPLAY) {
            String message = missMessage(session, key, occurrence);
            session.missed(message);
            byte[] error = errorBody(path, 404, message);
            trace.end(new RecordedResponse(404, "application/json", parseBody(error), null), clock.instant(),
                    clock.instant(), "missing");
            answer(http, 404, error);
            return;
        }
        forward(http, path, body, (response, firstByte) -> {
            if (recordable(response.status())) {
                recordings.add(session.test(), new Exchange(key, response), mode == ReplayMode.RECORD);
            }
            trace.end(response, firstByte, clock.instant(), "recorded");
        });
    }

    /** What happens to a forwarded response once it is complete, before its last bytes reach the client. */
    @FunctionalInterface
    private interface Completion {
        void complete(RecordedResponse response, Instant firstByte);
    }

    /** A call's trace, begun when it arrived and ended when its response is known. */
    private static final class CallTrace {
        private final Session session;
        private final RequestKey key;
        private final ModelCallTrace.Pending pending;

        CallTrace(Session session, RequestKey key, ModelCallTrace.Pending pending) {
            this.session = session;
            this.key = key;
            this.pending = pending;
        }

        void end(RecordedResponse response, Instant firstByte, Instant end, String marker) {
            if (pending == null) {
                return;
            }
            try {
                pending.end(ModelCall.of(key.path(), key.body(), response), key.path(), response.status(), firstByte,
                        end, marker);
            } catch (RuntimeException failure) {
                LOG.warn("Loupe's LLM proxy could not trace a call of test {}", session.test(), failure);
            }
        }
    }

    /** Transient failures (rate limits, server errors) are passed on but not recorded, so a retry records anew. */
    private static boolean recordable(int status) {
        return status != 429 && status < 500;
    }

    private String missMessage(Session session, RequestKey key, int occurrence) {
        StringBuilder message = new StringBuilder("Loupe has no recording of this model call for test ")
                .append(session.test());
        if (occurrence > 0) {
            message.append(" (the ").append(occurrence + 1).append(ordinalSuffix(occurrence + 1))
                    .append(" identical call of the test)");
        }
        message.append(" in ").append(recordings.file() == null ? "memory" : recordings.file())
                .append(". Record it by running the test with -Dloupe.llm.mode=record (or auto).");
        RequestKey closest = recordings.closest(session.test(), key);
        if (closest == null) {
            message.append("\nNothing is recorded yet.");
        } else {
            message.append("\nThe closest recorded request differs (- recorded, + this call):\n")
                    .append(LineDiff.diff(closest.text(), key.text()));
        }
        return message.toString();
    }

    private static String ordinalSuffix(int number) {
        return number % 100 >= 11 && number % 100 <= 13 ? "th"
                : switch (number % 10) {
                    case 1 -> "st";
                    case 2 -> "nd";
                    case 3 -> "rd";
                    default -> "th";
                };
    }

    private static byte[] readBody(HttpExchange http) throws IOException {
        try (InputStream in = http.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
            return body.length > MAX_REQUEST_BYTES ? null : body;
        }
    }

    /**
     * Sends a recorded response, streamed in its original events. Before the last bytes go out, the call is traced,
     * with the time its first byte went out.
     */
    private void replay(HttpExchange http, RecordedResponse recorded, Consumer<Instant> beforeLast)
            throws IOException {
        if (recorded.contentType() != null) {
            http.getResponseHeaders().set("Content-Type", recorded.contentType());
        }
        if (!recorded.streamed()) {
            byte[] bytes = bodyBytes(recorded.body());
            http.sendResponseHeaders(recorded.status(), bytes.length == 0 ? -1 : bytes.length);
            beforeLast.accept(clock.instant());
            if (bytes.length > 0) {
                http.getResponseBody().write(bytes);
            }
            return;
        }
        http.sendResponseHeaders(recorded.status(), 0);
        OutputStream out = http.getResponseBody();
        Instant firstByte = null;
        List<StreamEvent> events = recorded.events();
        for (int index = 0; index < events.size(); index++) {
            if (index == events.size() - 1) {
                beforeLast.accept(firstByte == null ? clock.instant() : firstByte);
            }
            out.write(ServerSentEvents.format(events.get(index)));
            out.flush();
            if (firstByte == null) {
                firstByte = clock.instant();
            }
        }
        if (events.isEmpty()) {
            beforeLast.accept(clock.instant());
        }
    }

    private static byte[] bodyBytes(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return new byte[0];
        }
        return (body.isTextual() ? body.asText() : body.toString()).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Sends the request to the real provider and relays its answer as it arrives, chunk by chunk for a stream,
     * keeping a copy. Once the answer is complete, and before its last bytes reach the client, the completion is
     * told (unless the answer was too large to keep). When the provider cannot be reached the client gets a 502.
     */
    private void forward(HttpExchange http, String path, byte[] body, Completion completion) throws IOException {
        String query = http.getRequestURI().getRawQuery();
        URI target = URI.create(upstream.toString().replaceAll("/+$", "") + path + (query == null ? "" : "?" + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(upstreamTimeout)
                .method(http.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        http.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        request.header("Accept-Encoding", "identity");
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException | HttpTimeoutException unreachable) {
            answer(http, 502, errorBody(path, 502, "Loupe's LLM proxy (mode " + mode.name().toLowerCase(Locale.ROOT)
                    + ") could not reach the provider at " + upstream + ": " + unreachable
                    + ". Check the upstream, or replay with -Dloupe.llm.mode=replay"));
            return;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            answer(http, 502, errorBody(path, 502, "Interrupted while calling " + upstream));
            return;
        }
        Headers relayed = http.getResponseHeaders();
        response.headers().map().forEach((name, values) -> {
            if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                relayed.put(name, new ArrayList<>(values));
            }
        });
        String contentType = response.headers().firstValue("content-type").orElse(null);
        boolean stream = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        int status = response.statusCode();
        try (InputStream in = response.body()) {
            if (!stream) {
                byte[] bytes = in.readAllBytes();
                Instant firstByte = clock.instant();
                http.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length <= MAX_RECORDED_RESPONSE_BYTES) {
                    completion.complete(new RecordedResponse(status, contentType, parseBody(bytes), null), firstByte);
                } else {
                    tooLarge(target);
                }
                if (bytes.length > 0) {
                    http.getResponseBody().write(bytes);
                }
                return;
            }
            // Each read is relayed once the next one arrived, so that the last is held back until the call is
            // traced: a client that reads to the end finds its call in the trace.
            http.sendResponseHeaders(status, 0);
            OutputStream out = http.getResponseBody();
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            boolean complete = true;
            Instant firstByte = null;
            byte[] held = null;
            byte[] buffer = new byte[8192];
            for (int read; (read = in.read(buffer)) >= 0; ) {
                if (read == 0) {
                    continue;
                }
                if (held != null) {
                    out.write(held);
                    out.flush();
                }
                if (firstByte == null) {
                    firstByte = clock.instant();
                }
                held = Arrays.copyOf(buffer, read);
                if (copy.size() + read <= MAX_RECORDED_RESPONSE_BYTES) {
                    copy.write(buffer, 0, read);
                } else {
                    complete = false;
                }
            }
            if (complete) {
                completion.complete(new RecordedResponse(status, contentType, null,
                        ServerSentEvents.parse(copy.toByteArray())), firstByte == null ? clock.instant() : firstByte);
            } else {
                tooLarge(target);
            }
            if (held != null) {
                out.write(held);
                out.flush();
            }
        }
    }

    private static void tooLarge(URI target) {
        LOG.warn("Loupe's LLM proxy passed on a response of over {} bytes from {} without recording it",
                MAX_RECORDED_RESPONSE_BYTES, target);
    }

    private static JsonNode parseBody(byte[] bytes) {
        if (bytes.length == 0) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            return Recordings.MAPPER.readTree(bytes);
        } catch (IOException notJson) {
            return TextNode.valueOf(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static void answerError(HttpExchange http, int status, String path, String message) throws IOException {
        answer(http, status, errorBody(path, status, message));
    }

    /** Returns an error in the provider's own shape, so that its client shows the message. */
    private static byte[] errorBody(String path, int status, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (path.endsWith("/messages")) {
            body.put("type", "error");
            ObjectNode error = body.putObject("error");
            error.put("type", status == 404 ? "not_found_error" : "api_error");
            error.put("message", message);
        } else {
            ObjectNode error = body.putObject("error");
            error.put("message", message);
            error.put("type", "loupe_llm_proxy_error");
            error.put("code", status == 404 ? "no_recording" : "proxy_error");
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void answer(HttpExchange http, int status, byte[] json) throws IOException {
        http.getResponseHeaders().set("Content-Type", "application/json");
        http.sendResponseHeaders(status, json.length);
        http.getResponseBody().write(json);
    }

    Tracer tracer() {
        return tracerOrNull != null ? tracerOrNull : Loupe.tracer();
    }

    // ------------------------------------------------------------------------------------------------------------

    /** Finds the observation a test has open when one of its calls arrives. */
    @FunctionalInterface
    public interface OpenObservations {

        /** Returns the innermost observation open now, or null when none is. */
        OpenObservation innermost();
    }

    /**
     * An observation a test has open.
     *
     * @param traceId       its trace
     * @param observationId its id
     * @param modelCall     whether it is itself a model call (a generation or embedding an adapter recorded): the
     *                      proxy then marks it rather than adding a second generation for the same call
     */
    public record OpenObservation(String traceId, String observationId, boolean modelCall) {
    }

    /** The calls of one test: its base URL, its count of identical calls, its context, and the calls it missed. */
    public static final class Session implements LlmEndpoint, AutoCloseable {

        private final LlmProxy proxy;
        private final String test;
        private final Supplier<TraceContext> context;
        private final OpenObservations parents;
        private final URI baseUrl;
        private final Map<RequestKey, AtomicInteger> occurrences = new ConcurrentHashMap<>();
        private final Collection<String> misses = new LinkedHashSet<>();
        private String token;

        Session(LlmProxy proxy, String test, Supplier<TraceContext> context, OpenObservations parents,
                URI baseUrl) {
            this.proxy = proxy;
            this.test = test;
            this.context = context;
            this.parents = parents;
            this.baseUrl = baseUrl;
        }

        /** Returns the test's name in the recordings file. */
        public String test() {
            return test;
        }

        @Override
        public URI baseUrl() {
            return baseUrl;
        }

        @Override
        public ReplayMode mode() {
            return proxy.mode;
        }

        /** Returns, one message each, the calls that had no recording to replay; the messages show a diff. */
        public List<String> misses() {
            synchronized (misses) {
                return List.copyOf(misses);
            }
        }

        /** Ends the session: its base URL answers 410 from now on. */
        @Override
        public void close() {
            if (token != null) {
                proxy.sessions.remove(token);
            }
        }

        int occurrence(RequestKey key) {
            return occurrences.computeIfAbsent(key, any -> new AtomicInteger()).getAndIncrement();
        }

        void missed(String message) {
            synchronized (misses) {
                misses.add(message);
            }
        }

        CallTrace begin(RequestKey key, Instant start) {
            ModelCallTrace.Pending pending = null;
            try {
                pending = ModelCallTrace.begin(proxy.tracer(), context == null ? null : context.get(), parents,
                        ModelCall.nameOf(key.path(), key.body()), start);
            } catch (RuntimeException failure) {
                LOG.warn("Loupe's LLM proxy could not trace a call of test {}", test, failure);
            }
            return new CallTrace(this, key, pending);
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    /** Configures and starts a {@link LlmProxy}. */
    public static final class Builder {

        private ReplayMode mode = ReplayMode.REPLAY;
        private URI upstream = URI.create("https://api.openai.com");
        private Path recordingsFile;
        private Tracer tracer;
        private Clock clock = Clock.systemUTC();
        private Duration upstreamTimeout = Duration.ofMinutes(5);
        private String host = "127.0.0.1";
        private int port;
        private final Set<String> ignoredFields = new LinkedHashSet<>(RequestKeys.VOLATILE_FIELDS);
        private final Set<String> secretFields = new LinkedHashSet<>();

        private Builder() {
        }

        /** Sets what the proxy does with calls (default {@link ReplayMode#REPLAY}). */
        public Builder mode(ReplayMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Sets the provider's root URL that calls are recorded from (default {@code https://api.openai.com}).
         *
         * @throws IllegalArgumentException naming the value when it is not an http or https URL
         */
        public Builder upstream(String url) {
            URI uri;
            try {
                uri = URI.create(Objects.requireNonNull(url, "upstream").trim());
            } catch (IllegalArgumentException malformed) {
                throw new IllegalArgumentException("upstream is '" + url + "': use the provider's root URL, such as "
                        + "https://api.openai.com", malformed);
            }
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("upstream is '" + url + "': use the provider's root http or https "
                        + "URL, such as https://api.openai.com");
            }
            this.upstream = uri;
            return this;
        }

        /** Reads and writes recordings in this file; without one they live in memory only. */
        public Builder recordingsFile(Path file) {
            this.recordingsFile = file;
            return this;
        }

        /** Traces calls with this tracer (default: {@code Loupe.tracer()} at the time of each call). */
        public Builder tracer(Tracer tracer) {
            this.tracer = tracer;
            return this;
        }

        /** Sets the clock that times calls. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Sets how long a call to the provider may take (default 5 minutes). */
        public Builder upstreamTimeout(Duration timeout) {
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("upstreamTimeout is " + timeout + ": use a positive duration");
            }
            this.upstreamTimeout = timeout;
            return this;
        }

        /** Listens on this address and port (default 127.0.0.1 and a free port). */
        public Builder listen(String host, int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port is " + port + ": use 0 (any free port) to 65535");
            }
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            return this;
        }

        /**
         * Leaves these top-level request fields out of the key calls are matched by, in addition to the volatile ones
         * left out by default ({@code user}, {@code metadata}, {@code store}, {@code prompt_cache_key},
         * {@code safety_identifier}, {@code service_tier}).
         */
        public Builder ignoreFields(String... names) {
            ignoredFields.addAll(List.of(names));
            return this;
        }

        /** Never writes request fields with these names, at any depth, and leaves them out of the key. */
        public Builder secretFields(String... names) {
            secretFields.addAll(List.of(names));
            return this;
        }

        /**
         * Starts the proxy.
         *
         * @throws IllegalStateException when the recordings file cannot be read or the address cannot be listened on
         */
        public LlmProxy start() {
            try {
                return new LlmProxy(this);
            } catch (IOException cannotListen) {
                throw new IllegalStateException("Loupe's LLM proxy cannot listen on " + host + ":" + port + ": "
                        + cannotListen.getMessage(), cannotListen);
            }
        }
    }
}
