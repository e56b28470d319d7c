package dev.loupe.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.spi.ObservationRecord;
import dev.loupe.trace.spi.PipelineRecord;
import dev.loupe.trace.spi.ScoreRecord;
import dev.loupe.trace.spi.TraceRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the events of one batch sent to Langfuse's ingestion endpoint into Loupe's pipeline records: what each
 * event type means, field by field. Merging is not done here: records for the same id are handed to the pipeline in
 * the order Langfuse applies them, and the store merges them as it merges every record.
 */
final class IngestionEvents {

    /** The event type that SDKs send their own log lines with; accepted and dropped, as Langfuse does. */
    static final String SDK_LOG = "sdk-log";

    /** The environment of an event that names none, as Langfuse calls it. */
    static final String DEFAULT_ENVIRONMENT = "default";

    private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9_-]{1,40}");

    /** The observation type each observation event type creates or updates; null keeps the stored type. */
    private static final Map<String, ObservationType> OBSERVATION_EVENTS = observationEvents();

    private static final Set<String> EVENT_TYPES = eventTypes();

    /** Looks up the trace a stored observation belongs to, for updates that do not name it. */
    private final Function<String, Optional<String>> storedTraceOf;
    /** Traces given in this batch to observations created without one, by observation id. */
    private final Map<String, String> assignedTraces = new HashMap<>();

    IngestionEvents(Function<String, Optional<String>> storedTraceOf) {
        this.storedTraceOf = storedTraceOf;
    }

    /**
     * One event of the batch: its envelope read, its body not yet.
     *
     * @param index     its place in the batch
     * @param id        the event id the answer reports on
     * @param type      the event type, such as {@code span-create}
     * @param timestamp when the SDK made the event, or null when it did not say
     * @param body      the event's body
     */
    record Event(int index, String id, String type, Instant timestamp, JsonNode body) {

        /** Returns whether the event creates its entity (rather than updating it), which Langfuse applies first. */
        boolean creates() {
            return !type.endsWith("-update");
        }
    }

    /**
     * Reads the envelope {@code {id, timestamp, type, body, metadata}} of one event.
     *
     * @throws InvalidEvent naming what is missing or of the wrong type
     */
    static Event envelope(int index, JsonNode node) {
        EventFields envelope = EventFields.of(node, "batch[" + index + "]");
        String id = envelope.id("id");
        if (id == null) {
            throw new InvalidEvent(envelope.name("id") + " is missing: give every event an id, such as a UUID");
        }
        String type = envelope.text("type");
        if (type == null) {
            throw new InvalidEvent(envelope.name("type") + " is missing: use one of " + String.join(", ",
                    EVENT_TYPES));
        }
        if (!EVENT_TYPES.contains(type)) {
            throw new InvalidEvent("Unknown event type '" + type + "': use one of " + String.join(", ",
                    EVENT_TYPES));
        }
        Instant timestamp = envelope.instant("timestamp");
        JsonNode body = envelope.value("body");
        if (body == null) {
            throw new InvalidEvent(envelope.name("body") + " is missing: send the event's fields in body");
        }
        EventFields.of(body, "body");
        return new Event(index, id, type, timestamp, body);
    }

    /**
     * Returns the records an event stands for: none for an SDK log line.
     *
     * @throws InvalidEvent naming the field that cannot be stored and saying what to send
     */
    List<PipelineRecord> records(Event event) {
        EventFields body = EventFields.of(event.body(), "body");
        if (event.type().equals(SDK_LOG)) {
            return List.of();
        }
        if (event.type().equals("trace-create")) {
            return List.of(trace(body, event));
        }
        if (event.type().equals("score-create")) {
            return List.of(score(body, event));
        }
        return observation(body, event);
    }

    private static TraceRecord trace(EventFields body, Event event) {
        String id = body.id("id");
        Instant timestamp = body.instant("timestamp");
        return new TraceRecord(
                id != null ? id : UUID.randomUUID().toString(),
                body.text("name"),
                timestamp != null ? timestamp : event.timestamp(),
                body.payload("input"),
                body.payload("output"),
                body.id("userId"),
                body.id("sessionId"),
                body.metadata("metadata"),
                body.texts("tags"),
                body.text("release"),
                body.text("version"),
                environment(body));
    }

    private List<PipelineRecord> observation(EventFields body, Event event) {
        boolean creates = event.creates();
        String id = body.id("id");
        if (id == null) {
            if (!creates) {
                throw new InvalidEvent("body.id is missing: an update names the observation it updates");
            }
            id = UUID.randomUUID().toString();
        }
        ObservationType type = event.type().startsWith("observation-")
                ? body.parsed("type", ObservationType::parse)
                : OBSERVATION_EVENTS.get(event.type());
        Instant startTime = body.instant("startTime");
        if (startTime == null && creates) {
            startTime = event.timestamp();
        }
        Instant endTime = body.instant("endTime");
        if (endTime == null && type == ObservationType.EVENT && creates) {
            // An event is a point in time, as Loupe's own tracer records it.
            endTime = startTime;
        }
        List<PipelineRecord> records = new ArrayList<>(2);
        String traceId = traceOf(id, body, creates, records, startTime);
        records.add(new ObservationRecord(
                id,
                traceId,
                body.id("parentObservationId"),
                type,
                body.text("name"),
                startTime,
                endTime,
                body.instant("completionStartTime"),
                body.payload("input"),
                body.payload("output"),
                body.metadata("metadata"),
                body.parsed("level", ObservationLevel::parse),
                body.text("statusMessage"),
                body.text("version"),
                body.text("model"),
                body.payload("modelParameters"),
                IngestionUsage.usage(body),
                IngestionUsage.cost(body),
                body.text("promptName"),
                body.integer("promptVersion")));
        if (body.has("environment")) {
            // Loupe keeps the environment on the trace; the first one given stays.
            records.add(0, new TraceRecord(traceId, null, null, null, null, null, null, null, null, null, null,
                    environment(body)));
        }
        return records;
    }

    /**
     * Returns the trace an observation event belongs to: the one it names; for an update that names none, the trace
     * its observation is in; for a create that names none, a new trace, as Langfuse makes one.
     */
    private String traceOf(String observationId, EventFields body, boolean creates, List<PipelineRecord> records,
            Instant startTime) {
        String traceId = body.id("traceId");
        if (traceId != null) {
            return traceId;
        }
        String assigned = assignedTraces.get(observationId);
        if (assigned != null) {
            return assigned;
        }
        if (!creates) {
            return storedTraceOf.apply(observationId).orElseThrow(() -> new InvalidEvent("body.traceId is missing "
                    + "and no observation '" + observationId + "' is stored: name the trace the update belongs to"));
        }
        String newTrace = UUID.randomUUID().toString();
        assignedTraces.put(observationId, newTrace);
        records.add(new TraceRecord(newTrace, body.text("name"), startTime, null, null, null, null, null, null, null,
                null, null));
        return newTrace;
    }

    private ScoreRecord score(EventFields body, Event event) {
        String id = body.id("id");
        String name = body.text("name");
        if (name == null || name.isBlank()) {
            throw new InvalidEvent("body.name is " + (name == null ? "missing" : "blank")
                    + ": name what the score judges, such as \"helpfulness\"");
        }
        String traceId = body.id("traceId");
        String sessionId = body.id("sessionId");
        String observationId = body.id("observationId");
        if (traceId == null && observationId != null) {
            // Langfuse takes a score of an observation without its trace: the observation's trace is the one.
            traceId = assignedTraces.containsKey(observationId) ? assignedTraces.get(observationId)
                    : storedTraceOf.apply(observationId).orElseThrow(() -> new InvalidEvent("body.traceId is "
                            + "missing and no observation '" + observationId + "' is stored: name the trace the "
                            + "scored observation belongs to"));
        }
        if (traceId == null && sessionId == null) {
            throw new InvalidEvent("Score '" + name + "' names neither body.traceId nor body.sessionId: Loupe keeps "
                    + "scores of traces, their observations and sessions; say which one it judges");
        }
        Instant timestamp = body.instant("timestamp");
        return new ScoreRecord(
                id != null ? id : UUID.randomUUID().toString(),
                traceId,
                observationId,
                sessionId,
                name,
                scoreValue(body),
                body.text("comment"),
                timestamp != null ? timestamp : event.timestamp() != null ? event.timestamp() : Instant.now());
    }

    /** Reads a score's value as its data type says: a number, a boolean (sent as 1 or 0) or a category. */
    private static Object scoreValue(EventFields body) {
        String dataType = body.text("dataType");
        JsonNode value = body.value("value");
        if (value == null) {
            throw new InvalidEvent("body.value is missing: send the score's value, a number or a category");
        }
        String type = dataType == null ? (value.isTextual() ? "CATEGORICAL" : "NUMERIC")
                : dataType.trim().toUpperCase(Locale.ROOT);
        return switch (type) {
            case "NUMERIC" -> {
                if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                    throw body.wrongType("value", value, "a number for a NUMERIC score");
                }
                yield value.doubleValue();
            }
            case "BOOLEAN" -> {
                if (value.isBoolean()) {
                    yield value.booleanValue();
                }
                if (!value.isNumber() || value.doubleValue() != 0 && value.doubleValue() != 1) {
                    throw body.wrongType("value", value, "1 or 0 for a BOOLEAN score");
                }
                yield value.doubleValue() == 1;
            }
            case "CATEGORICAL" -> {
                if (!value.isTextual() && !value.isNumber()) {
                    throw body.wrongType("value", value, "a string (the category) for a CATEGORICAL score");
                }
                yield value.asText();
            }
            default -> throw new InvalidEvent("body.dataType is '" + dataType
                    + "': use NUMERIC, BOOLEAN or CATEGORICAL");
        };
    }

    /**
     * Returns an event's environment as Langfuse normalises it: {@value #DEFAULT_ENVIRONMENT} when it names none,
     * otherwise trimmed and in lower case, at most 40 letters, digits, hyphens and underscores, not starting with
     * {@code langfuse}.
     */
    static String environment(EventFields body) {
        String given = body.text("environment");
        if (given == null || given.isBlank()) {
            return DEFAULT_ENVIRONMENT;
        }
        String environment = given.trim().toLowerCase(Locale.ROOT);
        if (!ENVIRONMENT.matcher(environment).matches() || environment.startsWith("langfuse")) {
            throw new InvalidEvent("body.environment '" + given + "' is not an environment name: use at most 40 "
                    + "lower-case letters, digits, hyphens and underscores, not starting with 'langfuse', such as "
                    + "\"production\"");
        }
        return environment;
    }

    private static Map<String, ObservationType> observationEvents() {
        Map<String, ObservationType> events = new HashMap<>();
        events.put("span-create", ObservationType.SPAN);
        events.put("span-update", null);
        events.put("generation-create", ObservationType.GENERATION);
        events.put("generation-update", ObservationType.GENERATION);
        events.put("event-create", ObservationType.EVENT);
        for (ObservationType type : List.of(ObservationType.AGENT, ObservationType.TOOL, ObservationType.CHAIN,
                ObservationType.RETRIEVER, ObservationType.EVALUATOR, ObservationType.EMBEDDING,
                ObservationType.GUARDRAIL)) {
            events.put(type.name().toLowerCase(Locale.ROOT) + "-create", type);
        }
        events.put("observation-create", null);
        events.put("observation-update", null);
        return events;
    }

    private static Set<String> eventTypes() {
        Set<String> types = new TreeSet<>(OBSERVATION_EVENTS.keySet());
        types.add("trace-create");
        types.add("score-create");
        types.add(SDK_LOG);
        return types;
    }
}
