package dev.loupe.opentelemetry.export;

import dev.loupe.engine.Exporter;
import dev.loupe.engine.RecordSink;
import dev.loupe.engine.SinkUnavailableException;
import dev.loupe.model.TraceBatch;
import dev.loupe.trace.Tracer;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends Loupe's traces to a Langfuse server or any OpenTelemetry backend over OTLP/HTTP (protobuf): a
 * {@link RecordSink} for {@link dev.loupe.engine.TracerBuilder#sink}, alongside the local store or instead of it.
 *
 * <pre>{@code
 * Tracer tracer = TracerBuilder.create().withoutStore()
 *         .sink(OtlpExport.langfuseFromEnvironment())
 *         .build();
 * }</pre>
 *
 * <p>Each ended observation becomes one span with Langfuse's attributes ({@code langfuse.observation.*}, the trace's
 * {@code langfuse.trace.*}, user, session, tags, environment and release on every span) and the OpenTelemetry GenAI
 * conventions' ({@code gen_ai.operation.name}, {@code gen_ai.request.model}, {@code gen_ai.usage.input_tokens}, ...).
 * A span leaves when its observation has ended and its trace record has come (when the root ends), so that it carries
 * the trace's attributes; after {@link Builder#traceWait} it leaves without them. Scores are not sent.
 *
 * <p>The export has its own thread, a queue bounded in records and bytes, batches, and retries with exponential
 * backoff on 429, 5xx and connection failures (honouring {@code Retry-After}). It never throws into the application
 * or the engine: what it cannot send is dropped, counted in {@link #stats()} and logged. The tracer's
 * {@code flush()} waits until the spans recorded before it are sent (at most {@link Builder#flushTimeout}), and
 * reports false when some could not be; closing the tracer sends what waits, then stops.
 */
public final class OtlpExport implements RecordSink {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpExport.class);

    /** The path of Langfuse's OTLP endpoint under its base URL. */
    public static final String LANGFUSE_TRACES_PATH = "/api/public/otel/v1/traces";
    /** The base URL used when LANGFUSE_BASE_URL is not set: Langfuse Cloud (EU), as Langfuse's own SDKs do. */
    public static final String LANGFUSE_DEFAULT_BASE_URL = "https://cloud.langfuse.com";
    /** The OTLP/HTTP endpoint used when no endpoint is set: a collector on this machine. */
    public static final String OTLP_DEFAULT_ENDPOINT = "http://localhost:4318/v1/traces";

    private final Settings settings;
    private final LongAdder retries = new LongAdder();
    private volatile ExportLoop loop;
    private volatile boolean closed;

    private OtlpExport(Settings settings) {
        this.settings = settings;
    }

    /**
     * Returns the export a tracer writes to, if it has one: for the global tracer configured by {@code LOUPE_EXPORT},
     * {@code OtlpExport.of(Loupe.tracer()).map(OtlpExport::stats)} says what it sent and dropped.
     */
    public static Optional<OtlpExport> of(Tracer tracer) {
        return Exporter.of(tracer).stream().flatMap(exporter -> exporter.sinks().stream())
                .filter(OtlpExport.class::isInstance).map(OtlpExport.class::cast).findFirst();
    }

    /** Returns a builder: set an {@link Builder#endpoint} or {@link Builder#langfuse} server, then build. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the export to the Langfuse server that {@code LANGFUSE_BASE_URL} (default Langfuse Cloud),
     * {@code LANGFUSE_PUBLIC_KEY} and {@code LANGFUSE_SECRET_KEY} name; a system property such as
     * {@code langfuse.public.key} wins over the variable.
     *
     * @throws IllegalArgumentException naming the variable when a key is missing or a value invalid
     */
    public static OtlpExport langfuseFromEnvironment() {
        return fromSettings("langfuse", OtlpExport::setting).build();
    }

    /**
     * Returns the export to the OTLP endpoint that {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} or
     * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (plus {@code /v1/traces}) names, with the headers of
     * {@code OTEL_EXPORTER_OTLP_HEADERS}, as OpenTelemetry's SDKs read them; a system property such as
     * {@code otel.exporter.otlp.endpoint} wins over the variable.
     *
     * @throws IllegalArgumentException naming the variable when a value is invalid
     */
    public static OtlpExport fromEnvironment() {
        return fromSettings("otlp", OtlpExport::setting).build();
    }

    private static String setting(String key) {
        String property = System.getProperty(key);
        return property != null ? property : System.getenv(variable(key));
    }

    /** Returns the environment variable of a setting: {@code langfuse.base.url} → {@code LANGFUSE_BASE_URL}. */
    static String variable(String key) {
        return key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** Returns a builder configured from settings looked up by property name, for {@code otlp} or {@code langfuse}. */
    static Builder fromSettings(String kind, Function<String, String> settings) {
        Function<String, String> lookup = key -> {
            String value = settings.apply(key);
            return value == null || value.isBlank() ? null : value.trim();
        };
        Builder builder = new Builder();
        String serviceName = lookup.apply("otel.service.name");
        if (serviceName != null) {
            builder.serviceName(serviceName);
        }
        if (kind.equals("langfuse")) {
            String baseUrl = lookup.apply("langfuse.base.url");
            if (baseUrl == null) {
                baseUrl = lookup.apply("langfuse.host"); // the name older SDKs read
            }
            String publicKey = lookup.apply("langfuse.public.key");
            String secretKey = lookup.apply("langfuse.secret.key");
            if (publicKey == null || secretKey == null) {
                throw new IllegalArgumentException((publicKey == null ? "LANGFUSE_PUBLIC_KEY" : "LANGFUSE_SECRET_KEY")
                        + " is not set: export to Langfuse needs the project's public and secret keys (Settings > "
                        + "API keys in Langfuse)");
            }
            return builder.langfuse(baseUrl != null ? baseUrl : LANGFUSE_DEFAULT_BASE_URL, publicKey, secretKey);
        }
        String protocol = lookup.apply("otel.exporter.otlp.traces.protocol");
        if (protocol == null) {
            protocol = lookup.apply("otel.exporter.otlp.protocol");
        }
        if (protocol != null && !protocol.equals("http/protobuf")) {
            throw new IllegalArgumentException("OTEL_EXPORTER_OTLP_PROTOCOL is '" + protocol + "': Loupe exports "
                    + "over http/protobuf only; point it at the collector's OTLP/HTTP port (4318)");
        }
        String tracesEndpoint = lookup.apply("otel.exporter.otlp.traces.endpoint");
        String endpoint = lookup.apply("otel.exporter.otlp.endpoint");
        if (tracesEndpoint != null) {
            builder.endpoint(tracesEndpoint);
        } else if (endpoint != null) {
            // as the OTLP exporter specification says: the signal's path is appended to the base endpoint
            builder.endpoint(endpoint.endsWith("/") ? endpoint + "v1/traces" : endpoint + "/v1/traces");
        } else {
            builder.endpoint(OTLP_DEFAULT_ENDPOINT);
        }
        headers(builder, "otel.exporter.otlp.headers", lookup.apply("otel.exporter.otlp.headers"));
        headers(builder, "otel.exporter.otlp.traces.headers", lookup.apply("otel.exporter.otlp.traces.headers"));
        String compression = lookup.apply("otel.exporter.otlp.traces.compression");
        if (compression == null) {
            compression = lookup.apply("otel.exporter.otlp.compression");
        }
        if (compression != null) {
            switch (compression.toLowerCase(Locale.ROOT)) {
                case "gzip" -> builder.gzip(true);
                case "none" -> builder.gzip(false);
                default -> throw new IllegalArgumentException("OTEL_EXPORTER_OTLP_COMPRESSION is '" + compression
                        + "': use gzip or none");
            }
        }
        String timeout = lookup.apply("otel.exporter.otlp.timeout");
        if (timeout != null) {
            if (!timeout.matches("[0-9]{1,9}")) {
                throw new IllegalArgumentException("OTEL_EXPORTER_OTLP_TIMEOUT is '" + timeout
                        + "': use a whole number of milliseconds, such as 10000");
            }
            builder.timeout(Duration.ofMillis(Long.parseLong(timeout)));
        }
        return builder;
    }

    /** Adds the headers of a {@code name=value,name=value} list, values percent-decoded, as the OTLP spec says. */
    private static void headers(Builder builder, String key, String list) {
        if (list == null) {
            return;
        }
        for (String entry : list.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(variable(key) + " has '" + entry.trim() + "', which is not "
                        + "name=value: write the headers as name=value pairs separated by commas");
            }
            builder.header(entry.substring(0, equals).trim(),
                    URLDecoder.decode(entry.substring(equals + 1).trim(), StandardCharsets.UTF_8));
        }
    }

    /** Takes a batch from the tracer's writer: never waits on the network, never throws. */
    @Override
    public void write(TraceBatch batch) {
        ExportLoop running = loop();
        if (running != null) {
            running.offer(batch);
        }
    }

    /**
     * Sends what waits and waits until it is sent, at most the flush timeout.
     *
     * @throws SinkUnavailableException when some span could not be sent, or was dropped, since the last flush
     */
    @Override
    public void sync() {
        ExportLoop running = loop;
        if (running != null && !running.flush(settings.flushTimeout().toNanos())) {
            OtlpExportStats stats = stats();
            throw new SinkUnavailableException("Loupe's OTLP export to " + settings.endpoint() + " could not send "
                    + "every span within " + settings.flushTimeout().toMillis() + " ms (" + stats.dropped()
                    + " dropped in all, " + stats.queued() + " still queued)", null);
        }
    }

    /** Sends what waits (at most the flush timeout), then stops the export's thread. */
    @Override
    public void close() {
        closed = true;
        ExportLoop running = loop;
        if (running != null) {
            running.close(settings.flushTimeout().toNanos());
            OtlpExportStats stats = stats();
            if (stats.dropped() > 0) {
                LOG.warn("Loupe's OTLP export to {} closed: {} spans sent, {} dropped", settings.endpoint(),
                        stats.exported(), stats.dropped());
            }
        }
    }

    @Override
    public String describe() {
        return "the OTLP export to " + settings.endpoint();
    }

    /** Returns what the export has done so far: spans sent, dropped, skipped, retries. */
    public OtlpExportStats stats() {
        ExportLoop running = loop;
        if (running == null) {
            return new OtlpExportStats(0, 0, 0, retries.sum(), 0, 0);
        }
        return new OtlpExportStats(running.exported.sum(), running.dropped.sum(), running.skipped.sum(),
                retries.sum(), running.requests.sum(), running.queued());
    }

    Settings settings() {
        return settings;
    }

    /** Returns the endpoint spans are posted to. */
    public URI endpoint() {
        return settings.endpoint();
    }

    /** The thread starts with the first batch, so that an export built for a disabled tracer costs nothing. */
    private ExportLoop loop() {
        ExportLoop running = loop;
        if (running == null && !closed) {
            synchronized (this) {
                running = loop;
                if (running == null && !closed) {
                    running = new ExportLoop(settings, retries);
                    loop = running;
                }
            }
        }
        return running;
    }

    /** The export's settings, checked by the builder. */
    record Settings(URI endpoint, Map<String, String> headers, boolean gzip, String serviceName, int maxQueueSize,
            long maxQueueBytes, int maxBatchSize, long maxRequestBytes, Duration scheduleDelay, Duration timeout,
            int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration traceWait,
            Duration flushTimeout) {
    }

    /**
     * Configures an {@link OtlpExport}. Every setter checks its value at once and throws
     * {@link IllegalArgumentException} naming the parameter.
     */
    public static final class Builder {
        /** Headers Java's HTTP client sets itself and refuses to take from the caller. */
        private static final Set<String> RESTRICTED_HEADERS = Set.of("connection",
                "content-length", "expect", "host", "upgrade");
        private URI endpoint;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private boolean gzip;
        private String serviceName = "unknown_service:java";
        private int maxQueueSize = 8_192;
        private long maxQueueBytes = Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 32);
        private int maxBatchSize = 512;
        private long maxRequestBytes = 4L << 20;
        private Duration scheduleDelay = Duration.ofSeconds(1);
        private Duration timeout = Duration.ofSeconds(10);
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration traceWait = Duration.ofSeconds(30);
        private Duration flushTimeout = Duration.ofSeconds(10);

        private Builder() {
            headers.put("x-langfuse-ingestion-version", "4");
        }

        /**
         * Sends to this OTLP/HTTP traces URL as it is, such as {@code http://collector:4318/v1/traces}.
         */
        public Builder endpoint(String tracesUrl) {
            this.endpoint = httpUri("endpoint", tracesUrl);
            return this;
        }

        /**
         * Sends to the OTLP endpoint of the Langfuse server at this base URL (such as
         * {@code https://cloud.langfuse.com}), authenticated with the project's keys.
         */
        public Builder langfuse(String baseUrl, String publicKey, String secretKey) {
            URI base = httpUri("baseUrl", baseUrl);
            if (publicKey == null || publicKey.isBlank() || secretKey == null || secretKey.isBlank()) {
                throw new IllegalArgumentException("publicKey and secretKey are required: use the project's API keys "
                        + "(pk-lf-... and sk-lf-...)");
            }
            String root = base.toString().replaceAll("/+$", "");
            this.endpoint = URI.create(root + LANGFUSE_TRACES_PATH);
            headers.put("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((publicKey.trim() + ":" + secretKey.trim()).getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        /** Adds a header to every request, such as an API key a collector asks for. */
        public Builder header(String name, String value) {
            if (name == null || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                throw new IllegalArgumentException("header name '" + name + "' is not a valid HTTP header name");
            }
            if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header '" + name + "' is set by the HTTP client itself: leave it "
                        + "out");
            }
            headers.put(name, Objects.requireNonNull(value, "header value"));
            return this;
        }

        /** Compresses request bodies with gzip ({@code Content-Encoding: gzip}); off by default, as in OTLP. */
        public Builder gzip(boolean compress) {
            this.gzip = compress;
            return this;
        }

        /** Sets the {@code service.name} resource attribute (default {@code unknown_service:java}). */
        public Builder serviceName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("serviceName is blank: name the service, such as support-agent");
            }
            this.serviceName = name;
            return this;
        }

        /** Sets how many records may wait to be sent, 1 to 1,000,000 (default 8192); more are dropped. */
        public Builder maxQueueSize(int records) {
            this.maxQueueSize = range("maxQueueSize", records, 1, 1_000_000);
            return this;
        }

        /** Sets how many bytes of records (estimated) may wait to be sent, 64 KiB or more. */
        public Builder maxQueueBytes(long bytes) {
            if (bytes < (64L << 10)) {
                throw new IllegalArgumentException("maxQueueBytes is " + bytes + ": use 64 KiB (65536) or more");
            }
            this.maxQueueBytes = bytes;
            return this;
        }

        /** Sets how many spans one request carries at most, 1 to 10,000 (default 512). */
        public Builder maxBatchSize(int spans) {
            this.maxBatchSize = range("maxBatchSize", spans, 1, 10_000);
            return this;
        }

        /** Sets how long a span waits for others to fill a request before it is sent alone (default 1 s). */
        public Builder scheduleDelay(Duration delay) {
            this.scheduleDelay = duration("scheduleDelay", delay, Duration.ZERO, Duration.ofMinutes(1));
            return this;
        }

        /** Sets how long one request may take (default 10 s). */
        public Builder timeout(Duration requestTimeout) {
            this.timeout = duration("timeout", requestTimeout, Duration.ofMillis(1), Duration.ofMinutes(5));
            return this;
        }

        /** Sets how many times a request is tried before its spans are dropped, 1 to 100 (default 5). */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = range("maxAttempts", attempts, 1, 100);
            return this;
        }

        /**
         * Sets the wait before the first retry, doubled at each further one up to the maximum (default 1 s, at most
         * 30 s); a {@code Retry-After} header overrides it.
         */
        public Builder backoff(Duration initial, Duration maximum) {
            this.initialBackoff = duration("initial backoff", initial, Duration.ZERO, Duration.ofMinutes(5));
            this.maxBackoff = duration("maximum backoff", maximum, initialBackoff, Duration.ofMinutes(5));
            return this;
        }

        /**
         * Sets how long an ended observation waits for its trace record (which comes when the root ends), so that
         * its span carries the trace's attributes; after that it is sent without them (default 30 s).
         */
        public Builder traceWait(Duration wait) {
            this.traceWait = duration("traceWait", wait, Duration.ZERO, Duration.ofHours(1));
            return this;
        }

        /** Sets how long the tracer's flush and close wait for the spans to be sent (default 10 s). */
        public Builder flushTimeout(Duration timeout) {
            this.flushTimeout = duration("flushTimeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(10));
            return this;
        }

        /**
         * Returns the export; its thread starts with the first record.
         *
         * @throws IllegalStateException when no endpoint was set
         */
        public OtlpExport build() {
            if (endpoint == null) {
                throw new IllegalStateException("No endpoint: call endpoint(\"http://collector:4318/v1/traces\") or "
                        + "langfuse(baseUrl, publicKey, secretKey)");
            }
            return new OtlpExport(new Settings(endpoint, headers, gzip, serviceName, maxQueueSize, maxQueueBytes,
                    maxBatchSize, maxRequestBytes, scheduleDelay, timeout, maxAttempts, initialBackoff, maxBackoff,
                    traceWait, flushTimeout));
        }

        private static URI httpUri(String parameter, String url) {
            try {
                URI uri = new URI(url == null ? "" : url.trim());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException invalid) {
                // answered below
            }
            throw new IllegalArgumentException(parameter + " is '" + url + "': use an http or https URL such as "
                    + "http://localhost:4318/v1/traces");
        }

        private static int range(String parameter, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(parameter + " is " + value + ": use " + min + " to " + max);
            }
            return value;
        }

        private static Duration duration(String parameter, Duration value, Duration min, Duration max) {
            if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(parameter + " is " + value + ": use " + min + " to " + max);
            }
            return value;
        }
    }
}
