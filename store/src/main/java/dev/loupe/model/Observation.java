package dev.loupe.model;

import dev.loupe.internal.Json;
import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * One step of a trace: a span, a generation, a tool call, an event or another {@link ObservationType}.
 *
 * <p>The same type describes an update: a record whose fields are null changes nothing when
 * {@linkplain #mergedWith merged} into the stored one.
 *
 * @param id                  the observation id, at most 800 characters; the tracer makes 16 hex digits (W3C span id)
 * @param traceId             the trace it belongs to
 * @param parentObservationId the observation it is nested in, or null at the top of the trace
 * @param type                what kind of work it records ({@link ObservationType#SPAN} when not given)
 * @param name                its name
 * @param startTime           when it began
 * @param endTime             when it ended, or null while it is still open
 * @param completionStartTime for model calls, when the first token arrived, or null
 * @param input               the input as a JSON document, or null
 * @param output              the output as a JSON document, or null
 * @param metadata            a JSON object of further attributes, or null
 * @param level               its level ({@link ObservationLevel#DEFAULT} when not given)
 * @param statusMessage       what went wrong or what else to know about its outcome, or null
 * @param version             the version of the traced code, or null
 * @param model               for model calls, the model name, or null
 * @param modelParameters     for model calls, a JSON object of parameters such as temperature, or null
 * @param usage               for model calls, the units consumed, or null
 * @param cost                for model calls, the cost in US dollars, or null
 * @param promptName          for model calls, the name of the prompt template used, or null
 * @param promptVersion       for model calls, the version of the prompt template used, or null
 */
public record Observation(
        String id,
        String traceId,
        String parentObservationId,
        ObservationType type,
        String name,
        Instant startTime,
        Instant endTime,
        Instant completionStartTime,
        String input,
        String output,
        String metadata,
        ObservationLevel level,
        String statusMessage,
        String version,
        String model,
        String modelParameters,
        Usage usage,
        Cost cost,
        String promptName,
        Integer promptVersion) implements Serializable {

    /** Checks the ids. */
    public Observation {
        Ids.require(id, "observation id");
        Ids.require(traceId, "trace id of observation '" + id + "'");
        Ids.check(parentObservationId, "parent observation id");
    }

    /** Returns a builder for an observation record with this id in this trace. */
    public static Builder builder(String id, String traceId) {
        return new Builder(id, traceId);
    }

    /** Returns a builder that starts from this record's values. */
    public Builder toBuilder() {
        Builder builder = new Builder(id, traceId);
        builder.parentObservationId = parentObservationId;
        builder.type = type;
        builder.name = name;
        builder.startTime = startTime;
        builder.endTime = endTime;
        builder.completionStartTime = completionStartTime;
        builder.input = input;
        builder.output = output;
        builder.metadata = metadata;
        builder.level = level;
        builder.statusMessage = statusMessage;
        builder.version = version;
        builder.model = model;
        builder.modelParameters = modelParameters;
        builder.usage = usage;
        builder.cost = cost;
        builder.promptName = promptName;
        builder.promptVersion = promptVersion;
        return builder;
    }

    /** Returns the type, {@link ObservationType#SPAN} when none was given. */
    @Override
    public ObservationType type() {
        return type == null ? ObservationType.SPAN : type;
    }

    /** Returns the level, {@link ObservationLevel#DEFAULT} when none was given. */
    @Override
    public ObservationLevel level() {
        return level == null ? ObservationLevel.DEFAULT : level;
    }

    /** Returns whether the observation has not ended yet. */
    public boolean isOpen() {
        return endTime == null;
    }

    /** Returns whether the observation failed, that is, has level {@link ObservationLevel#ERROR}. */
    public boolean isError() {
        return level == ObservationLevel.ERROR;
    }

    /** Returns how long it took, or null while it is open or when its start is unknown. */
    public Duration duration() {
        return startTime == null || endTime == null ? null : Duration.between(startTime, endTime);
    }

    /** Returns the time from its start to the first token of a model's answer, or null when unknown. */
    public Duration timeToFirstToken() {
        return startTime == null || completionStartTime == null ? null
                : Duration.between(startTime, completionStartTime);
    }

    /**
     * Merges a later record for the same observation into this one, following Langfuse's rules: each field takes the
     * later non-null value, metadata objects are merged key by key, and id, trace id and start time stay as first
     * written.
     *
     * @throws IllegalArgumentException when the later record is for another observation
     */
    public Observation mergedWith(Observation later) {
        if (!id.equals(later.id)) {
            throw new IllegalArgumentException(
                    "Cannot merge observation '" + later.id + "' into observation '" + id + "'");
        }
        return new Observation(id, traceId,
                Trace.latest(parentObservationId, later.parentObservationId),
                Trace.latest(type, later.type),
                Trace.latest(name, later.name),
                startTime != null ? startTime : later.startTime,
                Trace.latest(endTime, later.endTime),
                Trace.latest(completionStartTime, later.completionStartTime),
                Trace.latest(input, later.input),
                Trace.latest(output, later.output),
                Json.mergeObjects(metadata, later.metadata),
                Trace.latest(level, later.level),
                Trace.latest(statusMessage, later.statusMessage),
                Trace.latest(version, later.version),
                Trace.latest(model, later.model),
                Trace.latest(modelParameters, later.modelParameters),
                Trace.latest(usage, later.usage),
                Trace.latest(cost, later.cost),
                Trace.latest(promptName, later.promptName),
                Trace.latest(promptVersion, later.promptVersion));
    }

    /** Builds {@link Observation} records; every field but the ids is optional. */
    public static final class Builder {
        private final String id;
        private final String traceId;
        private String parentObservationId;
        private ObservationType type;
        private String name;
        private Instant startTime;
        private Instant endTime;
        private Instant completionStartTime;
        private String input;
        private String output;
        private String metadata;
        private ObservationLevel level;
        private String statusMessage;
        private String version;
        private String model;
        private String modelParameters;
        private Usage usage;
        private Cost cost;
        private String promptName;
        private Integer promptVersion;

        private Builder(String id, String traceId) {
            this.id = id;
            this.traceId = traceId;
        }

        /** Sets the parent observation id. */
        public Builder parentObservationId(String parentObservationId) {
            this.parentObservationId = parentObservationId;
            return this;
        }

        /** Sets the type. */
        public Builder type(ObservationType type) {
            this.type = type;
            return this;
        }

        /** Sets the name. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Sets the start time. */
        public Builder startTime(Instant startTime) {
            this.startTime = startTime;
            return this;
        }

        /** Sets the end time. */
        public Builder endTime(Instant endTime) {
            this.endTime = endTime;
            return this;
        }

        /** Sets when the first token arrived. */
        public Builder completionStartTime(Instant completionStartTime) {
            this.completionStartTime = completionStartTime;
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

        /** Sets the metadata, a JSON object. */
        public Builder metadata(String jsonObject) {
            this.metadata = jsonObject;
            return this;
        }

        /** Sets the level. */
        public Builder level(ObservationLevel level) {
            this.level = level;
            return this;
        }

        /** Sets the status message. */
        public Builder statusMessage(String statusMessage) {
            this.statusMessage = statusMessage;
            return this;
        }

        /** Sets the version. */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** Sets the model name. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Sets the model parameters, a JSON object. */
        public Builder modelParameters(String jsonObject) {
            this.modelParameters = jsonObject;
            return this;
        }

        /** Sets the usage. */
        public Builder usage(Usage usage) {
            this.usage = usage;
            return this;
        }

        /** Sets the cost. */
        public Builder cost(Cost cost) {
            this.cost = cost;
            return this;
        }

        /** Sets the prompt template's name and version. */
        public Builder prompt(String name, Integer version) {
            this.promptName = name;
            this.promptVersion = version;
            return this;
        }

        /** Returns the record. */
        public Observation build() {
            return new Observation(id, traceId, parentObservationId, type, name, startTime, endTime,
                    completionStartTime, input, output, metadata, level, statusMessage, version, model,
                    modelParameters, usage, cost, promptName, promptVersion);
        }
    }
}
