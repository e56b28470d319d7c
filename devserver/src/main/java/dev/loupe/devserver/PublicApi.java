package dev.loupe.devserver;

import dev.loupe.model.ScoreDataType;
import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TraceSummary;
import dev.loupe.store.MetadataFilter;
import dev.loupe.store.ObservationQuery;
import dev.loupe.store.PageRequest;
import dev.loupe.store.ScoreQuery;
import dev.loupe.store.SessionQuery;
import dev.loupe.store.TraceOrder;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The read-only REST API under {@code /api/public}, shaped like Langfuse's public API: lists answer
 * {@code {data, meta: {page, limit, totalItems, totalPages}}}, single resources answer the resource itself.
 */
final class PublicApi {

    private static final Set<String> PAGING = Set.of("page", "limit");
    /** The string columns that the trace list's {@code filter} parameter may compare. */
    private static final Set<String> TRACE_FILTER_COLUMNS = Set.of("name", "userId", "sessionId", "release",
            "version", "environment");
    /** The string columns that the observation list's {@code filter} parameter may compare. */
    private static final Set<String> OBSERVATION_FILTER_COLUMNS = Set.of("name", "traceId", "parentObservationId",
            "model");
    private static final Map<String, TraceOrder> TRACE_ORDERS = Map.of(
            "timestamp.desc", TraceOrder.TIMESTAMP_DESC,
            "timestamp.asc", TraceOrder.TIMESTAMP_ASC,
            "latency.desc", TraceOrder.LATENCY_DESC,
            "latency.asc", TraceOrder.LATENCY_ASC);

    /** Trace ids looked up in one query: the store's largest page. */
    private static final int TRACES_PER_LOOKUP = 1_000;

    private final TraceStore store;

    PublicApi(TraceStore store) {
        this.store = store;
    }

    /** Adds the API's routes. */
    void addRoutes(RoutesConfig routes) {
        read(routes, "/api/public/traces", this::traces);
        read(routes, "/api/public/traces/{traceId}", this::trace);
        read(routes, "/api/public/observations", this::observations);
        read(routes, "/api/public/observations/{observationId}", this::observation);
        read(routes, "/api/public/sessions", this::sessions);
        read(routes, "/api/public/sessions/{sessionId}", this::session);
        read(routes, "/api/public/scores", this::scores);
        read(routes, "/api/public/test-runs", this::testRuns);
        read(routes, "/api/public/test-runs/{testRunId}", this::testRun);
    }

    /**
     * Answers GET, and HEAD with the same status and headers (Jetty sends no body for HEAD): left to itself,
     * Javalin answers HEAD 200 without running the handler, even for an id that names nothing.
     */
    private static void read(RoutesConfig routes, String path, Handler handler) {
        routes.get(path, handler);
        routes.head(path, handler);
    }

    private void traces(Context ctx) {
        QueryParameters query = QueryParameters.of(ctx.queryString(), with(PAGING, "name", "userId", "sessionId",
                "tags", "fromTimestamp", "toTimestamp", "release", "version", "environment", "hasError",
                "scoreName", "scoreMin", "scoreMax", "search", "metadata", "filter", "orderBy", "fields"));
        TraceQuery.Builder builder = TraceQuery.builder()
                .page(page(query))
                .name(query.string("name"))
                .userId(query.string("userId"))
                .sessionId(query.string("sessionId"))
                .tags(query.strings("tags").toArray(String[]::new))
                .release(query.string("release"))
                .version(query.string("version"))
                .environment(query.string("environment"))
                .search(query.string("search"))
                .order(query.parsed("orderBy", PublicApi::traceOrder));
        FilterParameter.Conditions filter = FilterParameter.read(query, TRACE_FILTER_COLUMNS);
        builder.metadata(filter.metadata().toArray(MetadataFilter[]::new));
        // As in Langfuse, a column named in filter takes precedence over its plain parameter.
        filter.columns().forEach((column, value) -> {
            switch (column) {
                case "name" -> builder.name(value);
                case "userId" -> builder.userId(value);
                case "sessionId" -> builder.sessionId(value);
                case "release" -> builder.release(value);
                case "version" -> builder.version(value);
                default -> builder.environment(value);
            }
        });
        Instant from = query.instant("fromTimestamp");
        Instant to = query.instant("toTimestamp");
        checkRange("fromTimestamp", from, "toTimestamp", to);
        builder.from(from).to(to);
        Boolean hasError = query.bool("hasError");
        if (hasError != null) {
            builder.hasError(hasError);
        }
        String scoreName = query.string("scoreName");
        Double scoreMin = query.number("scoreMin");
        Double scoreMax = query.number("scoreMax");
        if (scoreName == null && (scoreMin != null || scoreMax != null)) {
            throw ApiError.badRequest((scoreMin != null ? "scoreMin" : "scoreMax")
                    + " was given without scoreName: say which score the range applies to");
        }
        checkRange("scoreMin", scoreMin, "scoreMax", scoreMax);
        if (scoreMin != null || scoreMax != null) {
            builder.score(scoreName, scoreMin == null ? -Double.MAX_VALUE : scoreMin,
                    scoreMax == null ? Double.MAX_VALUE : scoreMax);
        } else if (scoreName != null) {
            builder.score(scoreName);
        }
        Set<String> fields = fieldGroups(query.strings("fields"));
        boolean searched = query.string("search") != null;
        ctx.json(ApiJson.page(store.traces(build(builder::build)),
                summary -> ApiJson.traceListItem(summary, fields, searched)));
    }

    private void trace(Context ctx) {
        String id = ctx.pathParam("traceId");
        ctx.json(ApiJson.traceWithDetails(store.trace(id)
                .orElseThrow(() -> ApiError.notFound("No trace with id '" + id + "' in the store"))));
    }

    private void observations(Context ctx) {
        QueryParameters query = QueryParameters.of(ctx.queryString(), with(PAGING, "traceId", "type", "name",
                "parentObservationId", "level", "model", "fromStartTime", "toStartTime", "metadata", "filter",
                "search"));
        Instant from = query.instant("fromStartTime");
        Instant to = query.instant("toStartTime");
        checkRange("fromStartTime", from, "toStartTime", to);
        ObservationQuery.Builder builder = ObservationQuery.builder()
                .page(page(query))
                .traceId(query.string("traceId"))
                .type(query.parsed("type", ObservationType::parse))
                .name(query.string("name"))
                .parentObservationId(query.string("parentObservationId"))
                .level(query.parsed("level", ObservationLevel::parse))
                .model(query.string("model"))
                .from(from)
                .to(to)
                .search(query.string("search"));
        FilterParameter.Conditions filter = FilterParameter.read(query, OBSERVATION_FILTER_COLUMNS);
        builder.metadata(filter.metadata().toArray(MetadataFilter[]::new));
        filter.columns().forEach((column, value) -> {
            switch (column) {
                case "name" -> builder.name(value);
                case "traceId" -> builder.traceId(value);
                case "parentObservationId" -> builder.parentObservationId(value);
                default -> builder.model(value);
            }
        });
        ctx.json(ApiJson.page(store.observations(build(builder::build)), ApiJson::observation));
    }

    private void observation(Context ctx) {
        String id = ctx.pathParam("observationId");
        ctx.json(ApiJson.observation(store.observation(id)
                .orElseThrow(() -> ApiError.notFound("No observation with id '" + id + "' in the store"))));
    }

    private void sessions(Context ctx) {
        QueryParameters query = QueryParameters.of(ctx.queryString(),
                with(PAGING, "userId", "fromTimestamp", "toTimestamp"));
        Instant from = query.instant("fromTimestamp");
        Instant to = query.instant("toTimestamp");
        checkRange("fromTimestamp", from, "toTimestamp", to);
        PageRequest page = page(query);
        String userId = query.string("userId");
        SessionQuery sessions = build(() -> SessionQuery.all().page(page).userId(userId).between(from, to));
        ctx.json(ApiJson.page(store.sessions(sessions), ApiJson::session));
    }

    private void session(Context ctx) {
        String id = ctx.pathParam("sessionId");
        ctx.json(ApiJson.sessionWithTraces(store.session(id)
                .orElseThrow(() -> ApiError.notFound("No session with id '" + id + "' in the store"))));
    }

    private void scores(Context ctx) {
        QueryParameters query = QueryParameters.of(ctx.queryString(), with(PAGING, "name", "traceId",
                "observationId", "sessionId", "dataType", "source", "minValue", "maxValue", "fromTimestamp",
                "toTimestamp"));
        Instant from = query.instant("fromTimestamp");
        Instant to = query.instant("toTimestamp");
        checkRange("fromTimestamp", from, "toTimestamp", to);
        Double minValue = query.number("minValue");
        Double maxValue = query.number("maxValue");
        checkRange("minValue", minValue, "maxValue", maxValue);
        ScoreQuery.Builder builder = ScoreQuery.builder()
                .page(page(query))
                .name(query.string("name"))
                .traceId(query.string("traceId"))
                .observationId(query.string("observationId"))
                .sessionId(query.string("sessionId"))
                .dataType(query.parsed("dataType", ScoreDataType::parse))
                .source(query.string("source"))
                .from(from)
                .to(to);
        if (minValue != null || maxValue != null) {
            builder.value(minValue == null ? -Double.MAX_VALUE : minValue,
                    maxValue == null ? Double.MAX_VALUE : maxValue);
        }
        ctx.json(ApiJson.page(store.scores(build(builder::build)), ApiJson::score));
    }

    private void testRuns(Context ctx) {
        QueryParameters query = QueryParameters.of(ctx.queryString(), PAGING);
        ctx.json(ApiJson.page(store.testRuns().runs(page(query)), ApiJson::testRun));
    }

    private void testRun(Context ctx) {
        String id = ctx.pathParam("testRunId");
        TestRun run = store.testRuns().run(id)
                .orElseThrow(() -> ApiError.notFound("No test run with id '" + id + "' in the store"));
        List<TestResult> results = store.testRuns().results(id);
        ctx.json(ApiJson.testRunWithResults(run, TestClassResults.of(results), tracesOf(results)));
    }

    /** Returns the stored traces that the results name, by id, reading them a page of ids at a time. */
    private Map<String, TraceSummary> tracesOf(List<TestResult> results) {
        List<String> ids = results.stream().flatMap(result -> result.traceIds().stream()).distinct().toList();
        Map<String, TraceSummary> traces = new HashMap<>();
        for (int from = 0; from < ids.size(); from += TRACES_PER_LOOKUP) {
            List<String> some = ids.subList(from, Math.min(ids.size(), from + TRACES_PER_LOOKUP));
            store.traces(TraceQuery.builder().ids(some).page(PageRequest.first(TRACES_PER_LOOKUP)).build()).items()
                    .forEach(summary -> traces.put(summary.trace().id(), summary));
        }
        return traces;
    }

    private static TraceOrder traceOrder(String value) {
        TraceOrder order = TRACE_ORDERS.get(value);
        if (order == null) {
            throw new IllegalArgumentException("'" + value + "' is not a sort order: use one of "
                    + String.join(", ", TRACE_ORDERS.keySet().stream().sorted().toList()));
        }
        return order;
    }

    private static Set<String> fieldGroups(List<String> asked) {
        if (asked.isEmpty()) {
            return ApiJson.TRACE_FIELD_GROUPS;
        }
        for (String group : asked) {
            if (!ApiJson.TRACE_FIELD_GROUPS.contains(group)) {
                throw ApiError.badRequest("fields names '" + group + "': use a comma-separated list of "
                        + String.join(", ", ApiJson.TRACE_FIELD_GROUPS.stream().sorted().toList()));
            }
        }
        return Set.copyOf(asked);
    }

    private static <T extends Comparable<T>> void checkRange(String fromName, T from, String toName, T to) {
        if (from != null && to != null && from.compareTo(to) > 0) {
            throw ApiError.badRequest(fromName + " " + from + " is after " + toName + " " + to
                    + ": the range is empty");
        }
    }

    /** Returns the page the {@code page} and {@code limit} parameters ask for (the first 50 by default), or a 400. */
    private static PageRequest page(QueryParameters query) {
        int page = query.integer("page", 1);
        int limit = query.integer("limit", PageRequest.DEFAULT_LIMIT);
        return build(() -> PageRequest.of(page, limit));
    }

    /** Builds a store query; the checks the store makes itself (such as the page size) become 400s. */
    private static <T> T build(Supplier<T> query) {
        try {
            return query.get();
        } catch (IllegalArgumentException invalid) {
            throw ApiError.badRequest(invalid.getMessage());
        }
    }

    private static Set<String> with(Set<String> base, String... more) {
        Set<String> names = new LinkedHashSet<>(base);
        names.addAll(List.of(more));
        return names;
    }
}
