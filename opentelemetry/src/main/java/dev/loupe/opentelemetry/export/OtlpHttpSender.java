package dev.loupe.opentelemetry.export;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts OTLP requests over HTTP and retries what the OTLP specification calls retryable (429, 5xx, connection
 * failures) with exponential backoff, waiting as long as a {@code Retry-After} header asks (at most a minute).
 */
final class OtlpHttpSender {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpSender.class);
    /** The longest wait a Retry-After header can ask for; a server asking more is answered after a minute. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(1);

    /** What became of a request. */
    enum Result {
        /** The server took it; {@link Outcome#rejected} spans of it it refused (OTLP partial success). */
        SENT,
        /** The server refused it for good (a 4xx other than 429), or the retries ran out: its spans are lost. */
        LOST,
        /** The deadline came before the server took it: the caller may try again later. */
        OUT_OF_TIME
    }

    /** What became of a request, and why when it was not sent. */
    record Outcome(Result result, long rejected, String reason) {
    }

    private final URI endpoint;
    private final Map<String, String> headers;
    private final boolean gzip;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final HttpClient client;
    private final LongAdder retries;

    OtlpHttpSender(URI endpoint, Map<String, String> headers, boolean gzip, Duration timeout, int maxAttempts,
            Duration initialBackoff, Duration maxBackoff, LongAdder retries) {
        this.endpoint = endpoint;
        this.headers = Map.copyOf(headers);
        this.gzip = gzip;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.retries = retries;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** Sends the request, retrying until it is taken, refused, out of attempts, or the deadline (nanoTime) comes. */
    Outcome send(ExportTraceServiceRequest request, long deadlineNanos) {
        byte[] body = gzip ? gzipped(request) : request.toByteArray();
        String lastFailure = null;
        for (int attempt = 1; ; attempt++) {
            Duration retryAfter = null;
            try {
                HttpRequest.Builder post = HttpRequest.newBuilder(endpoint).timeout(timeout)
                        .header("Content-Type", "application/x-protobuf")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                headers.forEach(post::header);
                if (gzip) {
                    post.header("Content-Encoding", "gzip");
                }
                HttpResponse<byte[]> response = client.send(post.build(), HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return new Outcome(Result.SENT, rejectedSpans(response), null);
                }
                lastFailure = "HTTP " + status + describeBody(response.body());
                if (status != 429 && status < 500) {
                    String hint = status == 401 || status == 403 ? "; check the credentials (LANGFUSE_PUBLIC_KEY and "
                            + "LANGFUSE_SECRET_KEY, or OTEL_EXPORTER_OTLP_HEADERS)" : "";
                    return new Outcome(Result.LOST, 0, endpoint + " refused the spans with " + lastFailure + hint);
                }
                retryAfter = retryAfter(response).orElse(null);
            } catch (IOException unreachable) {
                lastFailure = unreachable.toString();
            } catch (RuntimeException refused) {
                // the client refused the request itself (a header it does not take, for one): retrying cannot help
                return new Outcome(Result.LOST, 0, "the request to " + endpoint + " could not be made: " + refused);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return new Outcome(Result.OUT_OF_TIME, 0, "interrupted");
            }
            if (attempt >= maxAttempts) {
                return new Outcome(Result.LOST, 0, endpoint + " did not take the spans in " + attempt
                        + " attempts; the last answer was " + lastFailure);
            }
            Duration wait = backoff(attempt, retryAfter);
            if (System.nanoTime() + wait.toNanos() - deadlineNanos > 0) {
                return new Outcome(Result.OUT_OF_TIME, 0, endpoint + " answered " + lastFailure);
            }
            LOG.debug("Loupe's OTLP export retries in {} ms after {}", wait.toMillis(), lastFailure);
            retries.increment();
            try {
                TimeUnit.NANOSECONDS.sleep(wait.toNanos());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return new Outcome(Result.OUT_OF_TIME, 0, "interrupted");
            }
        }
    }

    private static byte[] gzipped(ExportTraceServiceRequest request) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(request.getSerializedSize() / 4 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            request.writeTo(out);
        } catch (IOException impossible) {
            throw new UncheckedIOException("gzip into memory failed", impossible);
        }
        return bytes.toByteArray();
    }

    /** Returns the wait before the next attempt: doubling from the initial backoff, jittered, or the server's ask. */
    Duration backoff(int attempt, Duration retryAfter) {
        long base = initialBackoff.toNanos() << Math.min(attempt - 1, 20);
        long capped = Math.min(Math.max(base, 0), maxBackoff.toNanos());
        long jittered = (long) (capped * ThreadLocalRandom.current().nextDouble(0.8, 1.0));
        if (retryAfter != null) {
            return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
        }
        return Duration.ofNanos(jittered);
    }

    /** Reads a Retry-After header: seconds, or an HTTP date. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(String::trim).flatMap(value -> {
            if (value.matches("[0-9]{1,9}")) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            }
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        });
    }

    private static long rejectedSpans(HttpResponse<byte[]> response) {
        boolean protobuf = response.headers().firstValue("Content-Type")
                .map(type -> type.startsWith("application/x-protobuf")).orElse(false);
        if (!protobuf || response.body().length == 0) {
            return 0;
        }
        try {
            return ExportTraceServiceResponse.parseFrom(response.body()).getPartialSuccess().getRejectedSpans();
        } catch (IOException notOtlp) {
            return 0;
        }
    }

    private static String describeBody(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, 300), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").trim();
        return text.isEmpty() ? "" : " (" + text + ")";
    }

    /** Returns where the spans go, for messages. */
    URI endpoint() {
        return endpoint;
    }
}
