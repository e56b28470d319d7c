package dev.loupe.model;

import dev.loupe.internal.Json;
import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One agent execution: its name, when it began, its input and output, who it ran for and how it is labelled.
 * Its observations and scores are held by {@link TraceTree}.
 *
 * <p>The same type describes an update: a record whose fields are null changes nothing when
 * {@linkplain #mergedWith merged} into the stored one.
 *
 * @param id          the trace id, at most 800 characters; the tracer makes 32 hex digits (W3C trace id)
 * @param name        the trace's name, usually that of its root observation
 * @param timestamp   when the trace began
 * @param input       the input as a JSON document, or null
 * @param output      the output as a JSON document, or null
 * @param userId      the user the trace ran for, or null
 * @param sessionId   the session (conversation) the trace belongs to, or null
 * @param metadata    a JSON object of further attributes, or null
 * @param tags        labels for filtering, a set kept in alphabetical order; never null
 * @param release     the release of the application, or null
 * @param version     the version of the traced code, or null
 * @param environment the environment, such as {@code production} or {@code test}, or null
 */
public record Trace(
        String id,
        String name,
        Instant timestamp,
        String input,
        String output,
        String userId,
        String sessionId,
        String metadata,
        List<String> tags,
        String release,
        String version,
        String environment) implements Serializable {

    /** Checks the ids and keeps the tags as a sorted set, the order the store returns them in. */
    public Trace {
        Ids.require(id, "trace id");
        Ids.check(sessionId, "session id");
        tags = tags == null ? List.of() : List.copyOf(new TreeSet<>(tags));
    }

    /** Returns a builder for a trace record with this id. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** Returns a builder that starts from this record's values. */
    public Builder toBuilder() {
        return new Builder(id).name(name).timestamp(timestamp).input(input).output(output).userId(userId)
                .sessionId(sessionId).metadata(metadata).tags(tags).release(release).version(version)
                .environment(environment);
    }

    /**
     * Merges a later record for the same trace into this one, following Langfuse's rules: each field takes the later
     * non-null value, metadata objects are merged key by key, tags are united, the environment stays as first
     * written, and the timestamp is the earliest seen (observations may arrive before the trace record that names
     * their start).
     *
     * @throws IllegalArgumentException when the later record is for another trace
     */
    public Trace mergedWith(Trace later) {
        if (!id.equals(later.id)) {
            throw new IllegalArgumentException("Cannot merge trace '" + later.id + "' into trace '" + id + "'");
        }
        Set<String> allTags = new LinkedHashSet<>(tags);
        allTags.addAll(later.tags);
        return new Trace(id,
                latest(name, later.name),
                timestamp == null ? later.timestamp
                        : later.timestamp == null || timestamp.isBefore(later.timestamp) ? timestamp : later.timestamp,
                latest(input, later.input),
                latest(output, later.output),
                latest(userId, later.userId),
                latest(sessionId, later.sessionId),
                Json.mergeObjects(metadata, later.metadata),
                List.copyOf(allTags),
                latest(release, later.release),
                latest(version, later.version),
                environment != null ? environment : later.environment);
    }

    static <T> T latest(T earlier, T later) {
        return later != null ? later : earlier;
    }

    /** Builds {@link Trace} records; every field but the id is optional. */
    public static final class Builder {
        private final String id;
        private String name;
        private Instant timestamp;
        private String input;
        private String output;
        private String userId;
        private String sessionId;
        private String metadata;
        private List<String> tags = List.of();
        private String release;
        private String version;
        private String environment;

        private Builder(String id) {
            this.id = id;
        }

        /** Sets the name. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Sets when the trace began. */
        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        /** Sets the input, a JSON document. */
        public Builder input(String json) {
            this.input = json;
            return this;
        }

        /** Sets the output, a JSON document. */
        public Builder output(String json) {
            this.output = json;
            return this;
        }

        /** Sets the user id. */
        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        /** Sets the session id. */
        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        /** Sets the metadata, a JSON object. */
        public Builder metadata(String jsonObject) {
            this.metadata = jsonObject;
            return this;
        }

        /** Sets the tags. */
        public Builder tags(List<String> tags) {
            this.tags = tags;
            return this;
        }

        /** Sets the release. */
        public Builder release(String release) {
            this.release = release;
            return this;
        }

        /** Sets the version. */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** Sets the environment. */
        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        /** Returns the record. */
        public Trace build() {
            return new Trace(id, name, timestamp, input, output, userId, sessionId, metadata, tags, release, version,
                    environment);
        }
    }
}
