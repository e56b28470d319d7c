package dev.loupe.model;

import dev.loupe.internal.Json;
import java.io.Serializable;
import java.time.Instant;

/**
 * A judgement of a trace, of one of its observations, or of a session: numeric, boolean or categorical.
 *
 * @param id            the score id
 * @param traceId       the trace judged, or null for a score of a session alone
 * @param observationId the observation judged, or null for a score of the whole trace or session
 * @param sessionId     the session judged, or null
 * @param name          what is judged, such as {@code helpfulness}
 * @param dataType      the kind of value
 * @param value         the numeric value; for booleans 1 or 0; null for categorical scores
 * @param stringValue   the label of a categorical score; "true" or "false" for booleans; null for numeric scores
 * @param comment       why the score was given, or null
 * @param source        who gave it: {@code API} for code, {@code EVAL} for evaluators, {@code TEST} for test runs,
 *                      {@code ANNOTATION} for people
 * @param timestamp     when it was given
 * @param metadata      a JSON object of further attributes, or null
 */
public record Score(
        String id,
        String traceId,
        String observationId,
        String sessionId,
        String name,
        ScoreDataType dataType,
        Double value,
        String stringValue,
        String comment,
        String source,
        Instant timestamp,
        String metadata) implements Serializable {

    /** The source of scores given by code through the tracer. */
    public static final String SOURCE_API = "API";

    /** Checks that the score has an id, a name and a target, and that its value fits its data type. */
    public Score {
        Ids.require(id, "score id");
        Ids.check(traceId, "trace id");
        Ids.check(observationId, "observation id");
        Ids.check(sessionId, "session id");
        if (traceId == null && sessionId == null) {
            throw new IllegalArgumentException("Score '" + name + "' (" + id
                    + ") has neither a trace id nor a session id: say what it judges");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Score " + id + " has no name: name what it judges, such as 'helpfulness'");
        }
        if (dataType == null) {
            dataType = stringValue != null && value == null ? ScoreDataType.CATEGORICAL : ScoreDataType.NUMERIC;
        }
        if (dataType == ScoreDataType.NUMERIC && value != null && !Double.isFinite(value)) {
            throw new IllegalArgumentException("Score '" + name + "' has the value " + value
                    + ": numeric scores must be finite numbers");
        }
        source = source == null ? SOURCE_API : source;
    }

    /** Returns a builder for a score with this id and name. */
    public static Builder builder(String id, String name) {
        return new Builder(id, name);
    }

    /** Returns whether this boolean score is true; false for other data types. */
    public boolean isTrue() {
        return dataType == ScoreDataType.BOOLEAN && value != null && value != 0;
    }

    /** Returns the value as text: the label of a categorical score, or the number. */
    public String valueAsText() {
        if (dataType == ScoreDataType.CATEGORICAL || dataType == ScoreDataType.BOOLEAN) {
            return stringValue;
        }
        return value == null ? null : (value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString(value.longValue()) : value.toString());
    }

    /**
     * Merges a later record for the same score into this one: each field takes the later non-null value, a later
     * value replaces the earlier one together with its data type, and metadata objects are merged key by key.
     */
    public Score mergedWith(Score later) {
        if (!id.equals(later.id)) {
            throw new IllegalArgumentException("Cannot merge score '" + later.id + "' into score '" + id + "'");
        }
        // The data type, number and label are one value: a later value replaces all three, and a record without a
        // value (whose data type the constructor only guessed) keeps them.
        Score valued = later.value != null || later.stringValue != null ? later : this;
        return new Score(id,
                Trace.latest(traceId, later.traceId),
                Trace.latest(observationId, later.observationId),
                Trace.latest(sessionId, later.sessionId),
                Trace.latest(name, later.name),
                valued.dataType,
                valued.value,
                valued.stringValue,
                Trace.latest(comment, later.comment),
                Trace.latest(source, later.source),
                timestamp != null ? timestamp : later.timestamp,
                Json.mergeObjects(metadata, later.metadata));
    }

    /** Builds {@link Score} records. */
    public static final class Builder {
        private final String id;
        private final String name;
        private String traceId;
        private String observationId;
        private String sessionId;
        private ScoreDataType dataType;
        private Double value;
        private String stringValue;
        private String comment;
        private String source;
        private Instant timestamp;
        private String metadata;

        private Builder(String id, String name) {
            this.id = id;
            this.name = name;
        }

        /** Sets the trace judged. */
        public Builder traceId(String traceId) {
            this.traceId = traceId;
            return this;
        }

        /** Sets the observation judged. */
        public Builder observationId(String observationId) {
            this.observationId = observationId;
            return this;
        }

        /** Sets the session judged. */
        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        /** Makes it a numeric score with this value. */
        public Builder value(double value) {
            this.dataType = ScoreDataType.NUMERIC;
            this.value = value;
            this.stringValue = null;
            return this;
        }

        /** Makes it a boolean score with this value. */
        public Builder value(boolean value) {
            this.dataType = ScoreDataType.BOOLEAN;
            this.value = value ? 1.0 : 0.0;
            this.stringValue = Boolean.toString(value);
            return this;
        }

        /** Makes it a categorical score with this label. */
        public Builder value(String category) {
            this.dataType = ScoreDataType.CATEGORICAL;
            this.value = null;
            this.stringValue = category;
            return this;
        }

        /** Sets the comment. */
        public Builder comment(String comment) {
            this.comment = comment;
            return this;
        }

        /** Sets the source. */
        public Builder source(String source) {
            this.source = source;
            return this;
        }

        /** Sets when the score was given. */
        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        /** Sets the metadata, a JSON object. */
        public Builder metadata(String jsonObject) {
            this.metadata = jsonObject;
            return this;
        }

        /** Returns the record. */
        public Score build() {
            return new Score(id, traceId, observationId, sessionId, name, dataType, value, stringValue, comment,
                    source, timestamp, metadata);
        }
    }
}
