package dev.loupe.opentelemetry.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP server on loopback for tests: decodes every request (gunzipped when it says gzip) with the
 * opentelemetry-proto classes, keeps it with its path and headers, and answers with the statuses it is scripted to
 * give, then 200.
 */
final class LoopbackOtlpReceiver implements AutoCloseable {

    /** One request as the server saw it. */
    record Received(String path, Map<String, String> headers, ExportTraceServiceRequest request, int answeredWith) {

        List<Span> spans() {
            List<Span> spans = new ArrayList<>();
            for (ResourceSpans resource : request.getResourceSpansList()) {
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    spans.addAll(scope.getSpansList());
                }
            }
            return spans;
        }
    }

    /** A scripted answer; {@code rejected} spans are named in an OTLP partial success. */
    record Answer(int status, Map<String, String> headers, long rejected) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile Duration delay = Duration.ZERO;

    LoopbackOtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    /** Returns the base URL, such as {@code http://127.0.0.1:43121}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers the next requests with these statuses (and headers), one each, before answering 200 again. */
    LoopbackOtlpReceiver thenAnswer(int status, Map<String, String> headers) {
        script.add(new Answer(status, headers, 0));
        return this;
    }

    /** Answers the next request 200 with an OTLP partial success that rejects this many of its spans. */
    LoopbackOtlpReceiver thenRejectSpans(long rejected) {
        script.add(new Answer(200, Map.of(), rejected));
        return this;
    }

    LoopbackOtlpReceiver thenAnswer(int status) {
        return thenAnswer(status, Map.of());
    }

    /** Makes every answer wait this long, as a slow server does. */
    void delay(Duration wait) {
        this.delay = wait;
    }

    List<Received> requests() {
        return List.copyOf(received);
    }

    /** Returns the spans of the requests answered 200, in the order they came. */
    List<Span> acceptedSpans() {
        return received.stream().filter(r -> r.answeredWith() == 200).flatMap(r -> r.spans().stream()).toList();
    }

    /** Returns the span of this name among the accepted ones. */
    Span span(String name) {
        return acceptedSpans().stream().filter(span -> span.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("No span named '" + name + "' among "
                        + acceptedSpans().stream().map(Span::getName).toList()));
    }

    /** Waits until this many spans were accepted, at most the timeout; returns whether they were. */
    boolean awaitSpans(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acceptedSpans().size() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return true;
    }

    /** Returns a span's attributes as plain Java values: text, Long, Double, Boolean or List of them. */
    static Map<String, Object> attributes(Span span) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (KeyValue attribute : span.getAttributesList()) {
            values.put(attribute.getKey(), value(attribute.getValue()));
        }
        return values;
    }

    private static Object value(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> value.getIntValue();
            case DOUBLE_VALUE -> value.getDoubleValue();
            case BOOL_VALUE -> value.getBoolValue();
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(LoopbackOtlpReceiver::value)
                    .toList();
            default -> value.toString();
        };
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            boolean gzip = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"));
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(
                    gzip ? new GZIPInputStream(body).readAllBytes() : body.readAllBytes());
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            if (!delay.isZero()) {
                TimeUnit.NANOSECONDS.sleep(delay.toNanos());
            }
            Answer answer = script.poll();
            int status = answer == null ? 200 : answer.status();
            received.add(new Received(exchange.getRequestURI().getPath(), headers, request, status));
            if (answer != null) {
                answer.headers().forEach(exchange.getResponseHeaders()::add);
            }
            ExportTraceServiceResponse.Builder otlp = ExportTraceServiceResponse.newBuilder();
            if (answer != null && answer.rejected() > 0) {
                otlp.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(answer.rejected())
                        .setErrorMessage(answer.rejected() + " spans rejected"));
            }
            byte[] response = status == 200 ? otlp.build().toByteArray()
                    : ("status " + status).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type",
                    status == 200 ? "application/x-protobuf" : "text/plain");
            exchange.sendResponseHeaders(status, response.length == 0 ? -1 : response.length);
            if (response.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response);
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
