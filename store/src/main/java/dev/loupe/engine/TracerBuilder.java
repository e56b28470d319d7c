package dev.loupe.engine;

import dev.loupe.store.TraceStore;
import dev.loupe.trace.Tracer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Configures a {@link Tracer} recorded by Loupe's engine, the {@link Exporter}: {@code TracerBuilder.create()
 * .storePath(dir).build()}. Every setter checks its value at once and throws {@link IllegalArgumentException}
 * naming the parameter; {@link #fromEnvironment()} reads the same settings from system properties and environment
 * variables, as the global tracer does.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>System property</th><th>Environment variable</th><th>Meaning</th><th>Default</th></tr>
 * <tr><td>loupe.enabled</td><td>LOUPE_ENABLED</td><td>record traces at all</td><td>true</td></tr>
 * <tr><td>loupe.store</td><td>LOUPE_STORE</td><td>store directory, {@code memory}, or {@code none}</td>
 *     <td>{@code ~/.loupe/store}</td></tr>
 * <tr><td>loupe.queue.capacity</td><td>LOUPE_QUEUE_CAPACITY</td><td>records the export queue holds</td>
 *     <td>16384</td></tr>
 * <tr><td>loupe.queue.maxBytes</td><td>LOUPE_QUEUE_MAX_BYTES</td><td>estimated bytes the export queue holds</td>
 *     <td>1/16 of the maximum heap, at most 64 MiB</td></tr>
 * <tr><td>loupe.queue.offerTimeoutMillis</td><td>LOUPE_QUEUE_OFFER_TIMEOUT_MILLIS</td>
 *     <td>how long a thread waits for room in a full queue before the record is dropped; 0 drops at once</td>
 *     <td>1000</td></tr>
 * <tr><td>loupe.payload.maxChars</td><td>LOUPE_PAYLOAD_MAX_CHARS</td>
 *     <td>longest JSON kept for one input, output or metadata value</td><td>262144</td></tr>
 * <tr><td>loupe.environment</td><td>LOUPE_ENVIRONMENT</td><td>environment of every trace</td><td>none</td></tr>
 * <tr><td>loupe.release</td><td>LOUPE_RELEASE</td><td>release of every trace</td><td>none</td></tr>
 * <tr><td>loupe.retention</td><td>LOUPE_RETENTION</td><td>how long traces are kept in the store the tracer opens
 *     ({@code 30d}, {@code 12h}, {@code 90m}) or {@code forever}; traces older are deleted when the tracer closes</td>
 *     <td>{@code 30d} for the default store, {@code forever} for a store named with loupe.store</td></tr>
 * <tr><td>loupe.export</td><td>LOUPE_EXPORT</td><td>where else to send traces, alongside the store (or instead
 *     of it with loupe.store {@code none}): {@code langfuse} or {@code otlp} with {@code loupe-opentelemetry} on the
 *     class path, which then reads its own settings ({@code LANGFUSE_BASE_URL}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}
 *     and others); credentials alone switch nothing on</td><td>{@code none}</td></tr>
 * </table>
 */
public final class TracerBuilder {

    /** The store directory used when none is configured: {@code ~/.loupe/store}. */
    public static final Path DEFAULT_STORE = Paths.get(System.getProperty("user.home"), ".loupe", "store");

    static final int DEFAULT_QUEUE_CAPACITY = 16_384;
    /**
     * Long enough that a loop recording as fast as it can is slowed to the writer's pace instead of losing records;
     * a writer that is stuck makes the tracer drop at once until it moves again (see {@link #offerTimeout}).
     */
    static final Duration DEFAULT_OFFER_TIMEOUT = Duration.ofSeconds(1);
    /** A sixteenth of the heap, at most 64 MiB: payloads cannot crowd the application out of a small heap. */
    static final long DEFAULT_QUEUE_MAX_BYTES = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16);
    /** A writer batch holds its records twice (captured, then as JSON): a 64th of the heap, at most 8 MiB. */
    static final long DEFAULT_MAX_BATCH_BYTES = Math.min(8L << 20, Runtime.getRuntime().maxMemory() / 64);
    static final int DEFAULT_MAX_PAYLOAD_CHARS = 256 * 1024;
    static final int DEFAULT_MAX_BATCH_SIZE = 2_048;
    /** How long the default store keeps traces: it lives in the home directory and nobody else empties it. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    boolean enabled = true;
    TraceStore store;
    Path storePath;
    boolean inMemoryStore;
    int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    Duration offerTimeout = DEFAULT_OFFER_TIMEOUT;
    int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    long queueMaxBytes = DEFAULT_QUEUE_MAX_BYTES;
    long maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
    int maxPayloadChars = DEFAULT_MAX_PAYLOAD_CHARS;
    Clock clock = Clock.systemUTC();
    ModelPrices modelPrices = ModelPrices.defaults();
    String environment;
    String release;
    boolean shutdownHook = true;
    /** How long the store keeps traces; null keeps them forever. Only meaningful when {@link #retentionSet}. */
    Duration retention;
    boolean retentionSet;
    final List<ExportListener> listeners = new ArrayList<>();
    final List<RecordSink> sinks = new ArrayList<>();

    private TracerBuilder() {
    }

    /**
     * Returns a builder with the default queue and payload limits and no store yet: choose one with
     * {@link #storePath}, {@link #inMemoryStore()} or {@link #store}, or leave it to listeners only.
     */
    public static TracerBuilder create() {
        return new TracerBuilder();
    }

    /**
     * Returns a builder with the settings of the system properties and environment variables (a system property
     * wins). Invalid values are rejected with a message naming the setting.
     */
    public static TracerBuilder fromEnvironment() {
        return fromSettings(key -> {
            String property = System.getProperty(key);
            return property != null ? property : System.getenv(environmentName(key));
        });
    }

    /** Returns a builder with the settings looked up by name (the system property names), for tests. */
    static TracerBuilder fromSettings(Function<String, String> settings) {
        TracerBuilder builder = new TracerBuilder().storePath(DEFAULT_STORE);
        Map.<String, java.util.function.BiConsumer<TracerBuilder, String>>of(
                "loupe.enabled", (b, v) -> b.enabled(parseBoolean(v)),
                "loupe.store", (b, v) -> {
                    switch (v.toLowerCase(Locale.ROOT)) {
                        case "memory" -> b.inMemoryStore();
                        case "none" -> b.withoutStore();
                        default -> b.storePath(Paths.get(v));
                    }
                },
                "loupe.queue.capacity", (b, v) -> b.queueCapacity(parseInt("loupe.queue.capacity", v)),
                "loupe.queue.maxBytes", (b, v) -> b.queueMaxBytes(parseLong(v)),
                "loupe.queue.offerTimeoutMillis", (b, v) -> b.offerTimeout(
                        Duration.ofMillis(parseInt("loupe.queue.offerTimeoutMillis", v))),
                "loupe.payload.maxChars", (b, v) -> b.maxPayloadChars(parseInt("loupe.payload.maxChars", v)),
                "loupe.environment", TracerBuilder::environment,
                "loupe.release", TracerBuilder::release,
                "loupe.retention", (b, v) -> {
                    if (v.equalsIgnoreCase("forever")) {
                        b.retainForever();
                    } else {
                        b.retention(parseAge(v));
                    }
                },
                "loupe.export", (b, v) -> {
                    for (String name : v.split(",")) {
                        String wanted = name.trim().toLowerCase(Locale.ROOT);
                        if (!wanted.isEmpty() && !wanted.equals("none")) {
                            b.sink(exportSink(wanted, settings));
                        }
                    }
                }
        ).forEach((key, apply) -> {
            String value = settings.apply(key);
            if (value != null && !value.isBlank()) {
                try {
                    apply.accept(builder, value.trim());
                } catch (IllegalArgumentException invalid) {
                    throw new IllegalArgumentException("Setting " + key + " (environment variable "
                            + environmentName(key) + ") is '" + value.trim() + "': " + invalid.getMessage(),
                            invalid);
                }
            }
        });
        return builder;
    }

    /**
     * Returns the sink that the provider of this name on the class path makes from the settings. Export is switched on
     * only by naming it: credentials in the environment alone (LANGFUSE_SECRET_KEY, OTEL_EXPORTER_OTLP_ENDPOINT) do
     * not send anything, so that a developer's test runs do not land in the company's backend.
     */
    private static RecordSink exportSink(String name, Function<String, String> settings) {
        List<String> known = new ArrayList<>();
        for (RecordSinkProvider provider : ServiceLoader.load(RecordSinkProvider.class,
                TracerBuilder.class.getClassLoader())) {
            if (provider.names().contains(name)) {
                return provider.create(name, settings);
            }
            known.addAll(provider.names());
        }
        throw new IllegalArgumentException(known.isEmpty()
                ? "no export is on the class path: add dev.loupe:loupe-opentelemetry for otlp or langfuse"
                : "no export is called '" + name + "'; use one of " + known + " or none");
    }

    /** Returns the environment variable for a setting: {@code loupe.queue.capacity} → {@code LOUPE_QUEUE_CAPACITY}. */
    static String environmentName(String key) {
        return key.replaceAll("([a-z])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private static boolean parseBoolean(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("use true or false");
        };
    }

    /**
     * Parses an age such as {@code 30d}, {@code 12h} or {@code 90m} (days, hours, minutes), as the setting
     * {@code loupe.retention} and the devserver's {@code --prune-older-than} take it.
     *
     * @throws IllegalArgumentException saying what to write instead
     */
    public static Duration parseAge(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (!value.matches("[0-9]{1,6}[dhm]")) {
            throw new IllegalArgumentException("'" + text + "' is not an age: use a whole number of days, hours or "
                    + "minutes such as 30d, 12h or 90m");
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (value.charAt(value.length() - 1)) {
            case 'd' -> Duration.ofDays(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> Duration.ofMinutes(amount);
        };
    }

    private static long parseLong(String value) {
        if (!value.trim().matches("[0-9]{1,18}")) {
            throw new IllegalArgumentException("use a whole number of bytes, such as 33554432 for 32 MiB");
        }
        return Long.parseLong(value.trim());
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException("use a whole number", notANumber);
        }
    }

    /** Switches recording on or off; a disabled tracer records nothing and opens no store. */
    public TracerBuilder enabled(boolean on) {
        this.enabled = on;
        return this;
    }

    /** Writes to this store; the tracer does not close it. */
    public TracerBuilder store(TraceStore traceStore) {
        this.store = Objects.requireNonNull(traceStore, "store");
        this.storePath = null;
        this.inMemoryStore = false;
        return this;
    }

    /** Writes to the file store in this directory, opened by the tracer and closed with it. */
    public TracerBuilder storePath(Path directory) {
        this.storePath = Objects.requireNonNull(directory, "storePath");
        this.store = null;
        this.inMemoryStore = false;
        return this;
    }

    /** Writes to a new in-memory store, closed with the tracer. */
    public TracerBuilder inMemoryStore() {
        this.inMemoryStore = true;
        this.store = null;
        this.storePath = null;
        return this;
    }

    /** Writes to no store: only listeners see the records (as the JUnit extension does with persistence off). */
    public TracerBuilder withoutStore() {
        this.store = null;
        this.storePath = null;
        this.inMemoryStore = false;
        return this;
    }

    /** Sets how many records the export queue holds, 1 to 10,000,000. */
    public TracerBuilder queueCapacity(int capacity) {
        if (capacity < 1 || capacity > 10_000_000) {
            throw new IllegalArgumentException("queueCapacity is " + capacity + ": use 1 to 10,000,000");
        }
        this.queueCapacity = capacity;
        return this;
    }

    /**
     * Sets how long an application thread waits for room in a full queue before the record is dropped (and
     * counted). The default, one second, slows a loop that records faster than the writer stores down to the
     * writer's pace, so that a burst loses nothing. A thread waits only while the writer is moving: when it has taken
     * no record for as long as the timeout, the store is stuck and records are dropped at once, so a stuck store
     * cannot hold the application up record after record. Zero drops at once and never slows the application: the
     * policy for production, where losing a trace under overload is better than waiting.
     */
    public TracerBuilder offerTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("offerTimeout is " + timeout + ": use zero to one minute");
        }
        this.offerTimeout = timeout;
        return this;
    }

    /**
     * Sets how many bytes of records (as estimated when they are recorded) the export queue holds, 1 MiB or more:
     * large payloads make it full before its record capacity is reached, so that tracing cannot run the application
     * out of memory.
     */
    public TracerBuilder queueMaxBytes(long bytes) {
        if (bytes < (1L << 20)) {
            throw new IllegalArgumentException("queueMaxBytes is " + bytes + ": use 1 MiB (1048576) or more");
        }
        this.queueMaxBytes = bytes;
        return this;
    }

    /** Sets how many bytes of records (estimated) the writer takes into one batch, 64 KiB or more. */
    public TracerBuilder maxBatchBytes(long bytes) {
        if (bytes < (64L << 10)) {
            throw new IllegalArgumentException("maxBatchBytes is " + bytes + ": use 64 KiB (65536) or more");
        }
        this.maxBatchBytes = bytes;
        return this;
    }

    /** Sets how many records the writer stores in one transaction, 1 to 100,000. */
    public TracerBuilder maxBatchSize(int size) {
        if (size < 1 || size > 100_000) {
            throw new IllegalArgumentException("maxBatchSize is " + size + ": use 1 to 100,000");
        }
        this.maxBatchSize = size;
        return this;
    }

    /** Sets the longest JSON kept for one input, output or metadata value; longer ones are cut with a marker. */
    public TracerBuilder maxPayloadChars(int chars) {
        if (chars < 256 || chars > 100_000_000) {
            throw new IllegalArgumentException("maxPayloadChars is " + chars + ": use 256 to 100,000,000");
        }
        this.maxPayloadChars = chars;
        return this;
    }

    /** Sets the clock that timestamps observations. */
    public TracerBuilder clock(Clock source) {
        this.clock = Objects.requireNonNull(source, "clock");
        return this;
    }

    /** Sets the price table used to compute costs from usage. */
    public TracerBuilder modelPrices(ModelPrices prices) {
        this.modelPrices = Objects.requireNonNull(prices, "modelPrices");
        return this;
    }

    /** Sets the environment recorded on every trace, such as {@code production}. */
    public TracerBuilder environment(String name) {
        this.environment = name;
        return this;
    }

    /** Sets the release recorded on every trace. */
    public TracerBuilder release(String name) {
        this.release = name;
        return this;
    }

    /**
     * Keeps traces in the store the tracer opens (with {@link #storePath}) for this long: when the tracer closes,
     * older traces are deleted with their observations and scores, and so are older test runs. At least one minute.
     * Without this call, the default store ({@link #DEFAULT_STORE}) keeps traces for {@link #DEFAULT_RETENTION} and
     * any other store keeps them forever.
     */
    public TracerBuilder retention(Duration maxAge) {
        if (maxAge == null || maxAge.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("retention is " + maxAge + ": use one minute or more, or "
                    + "retainForever()");
        }
        this.retention = maxAge;
        this.retentionSet = true;
        return this;
    }

    /** Keeps every trace in the store the tracer opens, the default store included. */
    public TracerBuilder retainForever() {
        this.retention = null;
        this.retentionSet = true;
        return this;
    }

    /** How long the store opened at {@link #storePath} keeps traces; null for forever. */
    Duration effectiveRetention() {
        if (retentionSet) {
            return retention;
        }
        return storePath != null && storePath.toAbsolutePath().normalize().equals(DEFAULT_STORE.toAbsolutePath()
                .normalize()) ? DEFAULT_RETENTION : null;
    }

    /** Adds a listener from the start, so it sees every record. */
    public TracerBuilder listener(ExportListener listener) {
        this.listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Adds a sink that the writer gives every record to, alongside the store, or instead of it after
     * {@link #withoutStore()}: for example the OTLP export of {@code loupe-opentelemetry}, so that production exports
     * to Langfuse or a collector while tests keep the local store. The tracer closes the sink when it closes.
     */
    public TracerBuilder sink(RecordSink sink) {
        this.sinks.add(Objects.requireNonNull(sink, "sink"));
        return this;
    }

    /** Sets whether a JVM shutdown hook writes what is queued and closes the tracer (default on). */
    public TracerBuilder shutdownHook(boolean install) {
        this.shutdownHook = install;
        return this;
    }

    /**
     * Returns the tracer, opening its store if it has to.
     *
     * @throws IllegalStateException when the store cannot be opened, saying why
     */
    public Tracer build() {
        if (!enabled) {
            return Tracer.noop();
        }
        TraceStore target = store;
        boolean owned = false;
        Duration keep = null;
        if (target == null && storePath != null) {
            target = TraceStore.open(storePath);
            owned = true;
            keep = effectiveRetention();
        } else if (target == null && inMemoryStore) {
            target = TraceStore.inMemory();
            owned = true;
        }
        List<RecordSink> all = new ArrayList<>();
        if (target != null) {
            all.add(new StoreSink(target, owned, keep, clock));
        }
        all.addAll(sinks);
        return Tracer.create(new Exporter(this, all));
    }
}
