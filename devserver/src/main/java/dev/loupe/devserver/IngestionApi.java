package dev.loupe.devserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.model.Observation;
import dev.loupe.model.ScoreDataType;
import dev.loupe.store.ObservationQuery;
import dev.loupe.store.Page;
import dev.loupe.store.PageRequest;
import dev.loupe.store.ScoreQuery;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.spi.PipelineRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Langfuse's SDKs call beside the read API: the ingestion endpoint {@code POST /api/public/ingestion}, which
 * turns each event of a batch into pipeline records for the {@link RecordIntake}, and the few reads they make of
 * their own: {@code /api/public/projects} (their auth check), {@code /api/public/health}, and the cursor-paged
 * {@code /api/public/v2/observations} and {@code /api/public/v2/scores}.
 */
final class IngestionApi {

    /** The largest request body the ingestion endpoint takes; a larger one is answered 413. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    /** The one project a devserver has, as {@code /api/public/projects} lists it. */
    static final String PROJECT_ID = "loupe";

    private static final Logger LOG = LoggerFactory.getLogger(IngestionApi.class);

    /** How much of a refused body is read and thrown away, so that the client reads the 413 rather than a reset. */
    private static final long MAX_DRAINED_BYTES = 1L << 30;
    private static final Pattern CURSOR = Pattern.compile("page=([1-9][0-9]{0,8})");
    private static final String VERSION = version();

    /** Amounts are read as decimals, so that a cost keeps the digits the client sent. */
    private static final ObjectReader READER = ApiJson.MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final TraceStore store;
    private final RecordIntake intake;

    IngestionApi(TraceStore store, RecordIntake intake) {
        this.store = store;
        this.intake = intake;
    }

    /** Adds the endpoints' routes. */
    void addRoutes(RoutesConfig routes) {
        routes.post("/api/public/ingestion", this::ingest);
        read(routes, "/api/public/projects", this::projects);
        read(routes, "/api/public/health", this::health);
        read(routes, "/api/public/v2/observations", this::observations);
        read(routes, "/api/public/v2/scores", this::scores);
    }

    private static void read(RoutesConfig routes, String path, Handler handler) {
        routes.get(path, handler);
        routes.head(path, handler);
    }

    /**
     * Stores a batch: answers 207 with a success or an error for each event, 400 for a body that is not a batch and
     * 413 for a body over {@link #MAX_BODY_BYTES}.
     */
    private void ingest(Context ctx) {
        JsonNode batch = batchOf(parse(body(ctx)));
        IngestionEvents reader = new IngestionEvents(id -> store.observation(id).map(Observation::traceId));
        List<IngestionEvents.Event> events = new ArrayList<>(batch.size());
        List<ObjectNode> errors = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            try {
                events.add(IngestionEvents.envelope(i, batch.get(i)));
            } catch (InvalidEvent invalid) {
                errors.add(error(idOf(batch.get(i)), 400, invalid.getMessage()));
            }
        }
        // Langfuse applies a batch's events in the order they were made, a create before an update made at the same
        // time: the JS SDK sends an update before its create when both are queued together.
        events.sort(Comparator.comparing((IngestionEvents.Event event) -> event.timestamp() == null ? Instant.MIN
                : event.timestamp()).thenComparing(event -> !event.creates()));
        List<PipelineRecord> records = new ArrayList<>(events.size() + 1);
        List<IngestionEvents.Event> accepted = new ArrayList<>(events.size());
        for (IngestionEvents.Event event : events) {
            try {
                records.addAll(reader.records(event));
                accepted.add(event);
            } catch (InvalidEvent invalid) {
                errors.add(error(event.id(), 400, invalid.getMessage()));
            }
        }
        RecordIntake.Outcome outcome = records.isEmpty() ? new RecordIntake.Outcome(true, 0, 0)
                : intake.write(records);
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        ArrayNode successes = answer.putArray("successes");
        accepted.sort(Comparator.comparingInt(IngestionEvents.Event::index));
        if (outcome.complete()) {
            accepted.forEach(event -> successes.addObject().put("id", event.id()).put("status", 201));
        } else {
            LOG.error("An ingestion batch of {} events was not fully written: {} records dropped, {} failed{}",
                    accepted.size(), outcome.dropped(), outcome.failed(),
                    outcome.written() ? "" : ", the write timed out");
            String message = "The devserver could not write this event (" + outcome.dropped() + " records dropped, "
                    + outcome.failed() + " failed" + (outcome.written() ? "" : ", the write timed out")
                    + "); its log says why. Send the batch again.";
            accepted.forEach(event -> errors.add(error(event.id(), 500, message)));
        }
        answer.putArray("errors").addAll(errors);
        ctx.status(207).json(answer);
    }

    /** Reads the request body, refusing one over {@link #MAX_BODY_BYTES} without keeping it. */
    private static byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > MAX_BODY_BYTES) {
                drain(in);
                throw tooLarge(declared + " bytes");
            }
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                drain(in);
                throw tooLarge("more than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        } catch (IOException unreadable) {
            throw new UncheckedIOException("Cannot read the request body", unreadable);
        }
    }

    private static ApiError tooLarge(String size) {
        return ApiError.payloadTooLarge("The request body has " + size + "; the ingestion endpoint takes at most "
                + MAX_BODY_BYTES + " bytes (16 MiB) per request: send the events in smaller batches. Nothing of "
                + "this request was stored.");
    }

    private static void drain(InputStream in) throws IOException {
        long skipped = 0;
        byte[] buffer = new byte[64 * 1024];
        int read;
        while (skipped < MAX_DRAINED_BYTES && (read = in.read(buffer)) >= 0) {
            skipped += read;
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ApiError.badRequest("The request body is empty: send a batch, {\"batch\": [events]}");
        }
        try {
            return READER.readTree(body);
        } catch (JsonProcessingException notJson) {
            throw ApiError.badRequest("The request body is not JSON (" + notJson.getOriginalMessage()
                    + " at line " + notJson.getLocation().getLineNr() + ", column "
                    + notJson.getLocation().getColumnNr() + "): send a batch, {\"batch\": [events]}");
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    private static JsonNode batchOf(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("The request body is " + EventFields.describe(body)
                    + ", not a batch: send {\"batch\": [events]}");
        }
        JsonNode batch = body.get("batch");
        if (batch == null || !batch.isArray()) {
            throw ApiError.badRequest("The request body's batch is " + EventFields.describe(batch)
                    + ": send {\"batch\": [events]}, an array of events such as {\"id\": \"...\", \"type\": "
                    + "\"trace-create\", \"timestamp\": \"...\", \"body\": {...}}");
        }
        return batch;
    }

    /** Returns the id of an event whose envelope could not be read, or null when it has none to report. */
    private static String idOf(JsonNode event) {
        JsonNode id = event == null ? null : event.get("id");
        return id != null && id.isValueNode() && !id.isNull() ? id.asText() : null;
    }

    private static ObjectNode error(String id, int status, String message) {
        ObjectNode error = ApiJson.MAPPER.createObjectNode();
        error.put("id", id);
        error.put("status", status);
        error.put("message", message);
        error.put("error", status == 400 ? "Invalid request data" : "Internal Server Error");
        return error;
    }

    /** Lists the devserver's one project, which the SDKs read to check their keys. */
    private void projects(Context ctx) {
        QueryParameters.of(ctx.queryString(), Set.of());
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        ObjectNode project = body.putArray("data").addObject();
        project.put("id", PROJECT_ID);
        project.put("name", "Loupe devserver");
        project.putObject("organization").put("id", PROJECT_ID).put("name", "Loupe");
        project.putObject("metadata");
        project.putNull("retentionDays");
        ctx.json(body);
    }

    private void health(Context ctx) {
        QueryParameters.of(ctx.queryString(), Set.of());
        ctx.json(ApiJson.MAPPER.createObjectNode().put("status", "OK").put("version", VERSION));
    }

    /**
     * Lists observations as Langfuse's v2 endpoint does: {@code {data, meta: {cursor}}}, the cursor naming the next
     * page while there is one. Every field is returned whatever {@code fields} asks for.
     */
    private void observations(Context ctx) {
        QueryParameters query = QueryParameters.of(ctx.queryString(), Set.of("fields", "expandMetadata", "limit",
                "cursor", "parseIoAsJson", "name", "userId", "sessionId", "type", "traceId", "level",
                "parentObservationId", "isRootObservation", "environment", "fromStartTime", "toStartTime", "version",
                "filter"));
        unsupported(query, "observations", "userId", "sessionId", "isRootObservation", "environment", "version",
                "filter");
        Instant from = query.instant("fromStartTime");
        Instant to = query.instant("toStartTime");
        int page = cursorPage(query.string("cursor"));
        int limit = query.integer("limit", PageRequest.DEFAULT_LIMIT);
        ObservationQuery observations = build(() -> ObservationQuery.builder()
                .page(PageRequest.of(page, limit))
                .traceId(query.string("traceId"))
                .type(query.parsed("type", ObservationType::parse))
                .name(query.string("name"))
                .parentObservationId(query.string("parentObservationId"))
                .level(query.parsed("level", ObservationLevel::parse))
                .from(from)
                .to(to)
                .build());
        Page<Observation> found = store.observations(observations);
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        ArrayNode data = body.putArray("data");
        found.items().forEach(observation -> data.add(ApiJson.observation(observation)));
        ObjectNode meta = body.putObject("meta");
        if (found.totalPages() > page) {
            meta.put("cursor", Base64.getEncoder().encodeToString(("page=" + (page + 1))
                    .getBytes(StandardCharsets.UTF_8)));
        }
        ctx.json(body);
    }

    /** Lists scores as Langfuse's v2 endpoint does, a page at a time. */
    private void scores(Context ctx) {
        QueryParameters query = QueryParameters.of(ctx.queryString(), Set.of("page", "limit", "userId", "name",
                "fromTimestamp", "toTimestamp", "environment", "source", "operator", "value", "scoreIds", "configId",
                "sessionId", "datasetRunId", "traceId", "observationId", "queueId", "dataType", "traceTags", "fields",
                "filter"));
        unsupported(query, "scores", "userId", "environment", "scoreIds", "configId", "datasetRunId", "queueId",
                "traceTags", "filter");
        int page = query.integer("page", 1);
        int limit = query.integer("limit", PageRequest.DEFAULT_LIMIT);
        ScoreQuery.Builder builder = ScoreQuery.builder()
                .name(query.string("name"))
                .traceId(query.string("traceId"))
                .observationId(query.string("observationId"))
                .sessionId(query.string("sessionId"))
                .dataType(query.parsed("dataType", ScoreDataType::parse))
                .source(query.string("source"))
                .from(query.instant("fromTimestamp"))
                .to(query.instant("toTimestamp"));
        valueFilter(query, builder);
        ScoreQuery scores = build(() -> builder.page(PageRequest.of(page, limit)).build());
        ctx.json(ApiJson.page(store.scores(scores), ApiJson::score));
    }

    private static void valueFilter(QueryParameters query, ScoreQuery.Builder builder) {
        Double value = query.number("value");
        String operator = query.string("operator");
        if (value == null) {
            if (operator != null) {
                throw ApiError.badRequest("operator was given without value: give the value to compare with");
            }
            return;
        }
        switch (operator == null ? "=" : operator) {
            case "=" -> builder.value(value, value);
            case ">=" -> builder.value(value, Double.MAX_VALUE);
            case "<=" -> builder.value(-Double.MAX_VALUE, value);
            case ">" -> builder.value(Math.nextUp(value), Double.MAX_VALUE);
            case "<" -> builder.value(-Double.MAX_VALUE, Math.nextDown(value));
            default -> throw ApiError.badRequest("operator is '" + operator + "': use one of =, >=, <=, >, <");
        }
    }

    /** Refuses filters Loupe cannot apply, rather than answering as if they matched everything. */
    private static void unsupported(QueryParameters query, String what, String... names) {
        Set<String> given = new TreeSet<>();
        for (String name : names) {
            if (!query.strings(name).isEmpty()) {
                given.add(name);
            }
        }
        if (!given.isEmpty()) {
            throw ApiError.badRequest("The devserver cannot filter " + what + " by " + String.join(", ", given)
                    + ": leave " + (given.size() == 1 ? "it" : "them") + " out and filter the answer yourself");
        }
    }

    /** Returns the page a cursor this endpoint gave names; the first page without one. */
    private static int cursorPage(String cursor) {
        if (cursor == null) {
            return 1;
        }
        try {
            Matcher page = CURSOR.matcher(new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8));
            if (page.matches()) {
                return Integer.parseInt(page.group(1));
            }
        } catch (IllegalArgumentException notBase64) {
            // explained below
        }
        throw ApiError.badRequest("cursor '" + cursor + "' is not a cursor this devserver gave: pass meta.cursor "
                + "of the previous answer unchanged, or leave it out for the first page");
    }

    private static <T> T build(Supplier<T> query) {
        try {
            return query.get();
        } catch (IllegalArgumentException invalid) {
            throw ApiError.badRequest(invalid.getMessage());
        }
    }

    private static String version() {
        String version = IngestionApi.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
