package dev.loupe.trace;

import dev.loupe.trace.spi.TraceRecord;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trace-level attributes of one trace while it is being recorded, shared by all its observation handles and
 * safe to update from any thread. The trace record is exported when the trace's root observation ends, and again
 * after each later update.
 */
final class TraceState {

    final String id;
    private final Tracer tracer;
    /** Written once, when the root starts; read by every observation's end without the lock. */
    private volatile String rootId;
    private boolean rootEnded;
    private Instant timestamp;
    private String name;
    private Object input;
    private Object output;
    private Object rootInput;
    private Object rootOutput;
    private String userId;
    private String sessionId;
    // Created on first use: most traces set neither.
    private Map<String, Object> metadata;
    private Set<String> tags;
    private String release;
    private String version;
    private String environment;

    /** The wall clock in microseconds, and System.nanoTime(), when the trace started (system clock only). */
    private final long anchorEpochMicros;
    private final long anchorNanos;

    TraceState(Tracer tracer, String id, boolean detached) {
        this.tracer = tracer;
        this.id = id;
        if (tracer.usesSystemClock()) {
            Instant wall = tracer.now();
            this.anchorNanos = System.nanoTime();
            this.anchorEpochMicros = wall.getEpochSecond() * 1_000_000 + wall.getNano() / 1_000;
        } else {
            this.anchorNanos = 0;
            this.anchorEpochMicros = 0;
        }
        this.rootEnded = detached;
        this.release = tracer.defaultRelease();
        this.environment = tracer.defaultEnvironment();
        if (detached) {
            this.release = null;
            this.environment = null;
        }
    }

    /** Returns the time now, measured from the trace's start; microsecond precision. */
    Instant now() {
        long micros = anchorEpochMicros + (System.nanoTime() - anchorNanos) / 1_000;
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }

    synchronized void root(String rootId, String rootName, Instant start) {
        this.rootId = rootId;
        this.timestamp = start;
        if (name == null) {
            name = rootName;
        }
    }

    boolean isRoot(String observationId) {
        return observationId.equals(rootId);
    }

    /** Called when the root observation ends, with its final name, input and output. */
    void rootEnded(String rootName, Object finalInput, Object finalOutput) {
        TraceRecord record;
        synchronized (this) {
            rootEnded = true;
            if (name == null) {
                name = rootName;
            }
            rootInput = finalInput;
            rootOutput = finalOutput;
            record = snapshot();
        }
        tracer.enqueue(record);
    }

    /** Applies an update; once the root has ended, each update is exported at once. */
    void update(java.util.function.Consumer<TraceState> change) {
        TraceRecord record = null;
        synchronized (this) {
            change.accept(this);
            if (rootEnded) {
                record = snapshot();
            }
        }
        if (record != null) {
            tracer.enqueue(record);
        }
    }

    private TraceRecord snapshot() {
        return new TraceRecord(id, name, timestamp, input != null ? input : rootInput,
                output != null ? output : rootOutput, userId, sessionId,
                metadata == null ? Map.of() : copy(metadata), tags == null ? List.of() : List.copyOf(tags),
                release, version, environment);
    }

    /** Returns an unmodifiable copy that, unlike {@code Map.copyOf}, keeps null values and the order. */
    static Map<String, Object> copy(Map<String, Object> values) {
        return values.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    // Setters used inside update(...) only, under the lock.

    void name(String value) {
        name = value;
    }

    void input(Object value) {
        input = value;
    }

    void output(Object value) {
        output = value;
    }

    void userId(String value) {
        userId = value;
    }

    void sessionId(String value) {
        sessionId = value;
    }

    void metadata(String key, Object value) {
        if (metadata == null) {
            metadata = new LinkedHashMap<>();
        }
        metadata.put(key, value);
    }

    void tags(String... values) {
        for (String tag : values) {
            if (tag != null && !tag.isBlank()) {
                if (tags == null) {
                    tags = new LinkedHashSet<>();
                }
                tags.add(tag);
            }
        }
    }

    void release(String value) {
        release = value;
    }

    void version(String value) {
        version = value;
    }

    void environment(String value) {
        environment = value;
    }

    synchronized String sessionId() {
        return sessionId;
    }
}
