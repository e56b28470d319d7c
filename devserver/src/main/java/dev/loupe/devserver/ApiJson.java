package dev.loupe.devserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Session;
import dev.loupe.model.SessionSummary;
import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TestStatus;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceStats;
import dev.loupe.model.TraceSummary;
import dev.loupe.model.TraceTree;
import dev.loupe.store.Page;
import dev.loupe.trace.Cost;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes the read model as the JSON of Langfuse's public API: the field names and types Langfuse uses, and a few
 * fields of Loupe's own (named in the comments below) that Langfuse clients ignore.
 *
 * <p>Stored payloads (input, output, metadata, model parameters) are JSON documents; they are embedded as JSON,
 * not as strings holding JSON.
 */
final class ApiJson {

    /** Field groups of a trace list item, as Langfuse's {@code fields} parameter names them. */
    static final Set<String> TRACE_FIELD_GROUPS = Set.of("core", "io", "scores", "metrics");

    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private ApiJson() {
    }

    /** Returns {@code {"message": ...}}, the body of every error response. */
    static ObjectNode error(String message) {
        return MAPPER.createObjectNode().put("message", message);
    }

    /** Returns {@code {data, meta: {page, limit, totalItems, totalPages}}} for one page of results. */
    static <T> ObjectNode page(Page<T> page, Function<? super T, ? extends JsonNode> item) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode data = body.putArray("data");
        page.items().forEach(each -> data.add(item.apply(each)));
        body.putObject("meta")
                .put("page", page.page())
                .put("limit", page.limit())
                .put("totalItems", page.totalItems())
                .put("totalPages", page.totalPages());
        return body;
    }

    /** Returns a trace as Langfuse's trace list shows it, with the field groups asked for. */
    static ObjectNode traceListItem(TraceSummary summary, Set<String> fieldGroups) {
        return traceListItem(summary, fieldGroups, false);
    }

    /**
     * Returns a trace as the list shows it; after a full-text search, with Loupe's own {@code matchingObservations}:
     * the id, name and type of each observation the text was found in.
     */
    static ObjectNode traceListItem(TraceSummary summary, Set<String> fieldGroups, boolean searched) {
        ObjectNode node = traceCore(summary.trace());
        if (searched) {
            ArrayNode matches = node.putArray("matchingObservations");
            summary.matches().forEach(match -> matches.addObject().put("id", match.id()).put("name", match.name())
                    .put("type", match.type().name()));
        }
        if (fieldGroups.contains("io")) {
            putPayload(node, "input", summary.trace().input());
            putPayload(node, "output", summary.trace().output());
            putPayload(node, "metadata", summary.trace().metadata());
        }
        if (fieldGroups.contains("scores")) {
            ArrayNode ids = node.putArray("scores");
            summary.scores().forEach(score -> ids.add(score.id()));
            // Loupe's own: the scores themselves, so a list can show their values without a request per trace.
            node.set("scoreDetails", scores(summary.scores()));
        }
        if (fieldGroups.contains("metrics")) {
            putMetrics(node, summary.stats());
        }
        return node;
    }

    /**
     * Returns one trace with its observations and scores, as Langfuse's trace detail shows it, and Loupe's own
     * {@code tree}: the observation tree as {@link TraceTree} built it.
     */
    static ObjectNode traceWithDetails(TraceTree tree) {
        ObjectNode node = traceCore(tree.trace());
        putPayload(node, "input", tree.trace().input());
        putPayload(node, "output", tree.trace().output());
        putPayload(node, "metadata", tree.trace().metadata());
        putMetrics(node, tree.stats());
        ArrayNode observations = node.putArray("observations");
        tree.observations().forEach(observation -> observations.add(observation(observation)));
        node.set("tree", treeWalk(tree));
        node.set("scores", scores(tree.scores()));
        return node;
    }

    /**
     * Returns the tree depth first ({@link TraceTree#walk()}): each observation once, followed by its children in
     * start order, as {@code {id, parentId, depth, childIds}}. The web UI renders this rather than linking
     * {@code parentObservationId}s itself, so it shows the tree the assertions check: an observation whose stored
     * parent is missing, or closes a cycle of parents, is at the top ({@code parentId} null, {@code depth} 0).
     */
    private static ArrayNode treeWalk(TraceTree tree) {
        ArrayNode walk = MAPPER.createArrayNode();
        // A parent comes before its children in the walk, so each depth is its parent's plus one: the depth that
        // TraceTree.depth() gives, counted in one pass rather than by climbing to the top from every observation.
        Map<String, Integer> depths = new HashMap<>();
        for (Observation observation : tree.walk()) {
            String parentId = tree.parent(observation).map(Observation::id).orElse(null);
            int depth = parentId == null ? 0 : depths.get(parentId) + 1;
            depths.put(observation.id(), depth);
            ObjectNode entry = walk.addObject();
            entry.put("id", observation.id());
            entry.put("parentId", parentId);
            entry.put("depth", depth);
            ArrayNode childIds = entry.putArray("childIds");
            tree.children(observation).forEach(child -> childIds.add(child.id()));
        }
        return walk;
    }

    private static ObjectNode traceCore(Trace trace) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", trace.id());
        putInstant(node, "timestamp", trace.timestamp());
        node.put("name", trace.name());
        node.put("userId", trace.userId());
        node.put("sessionId", trace.sessionId());
        ArrayNode tags = node.putArray("tags");
        trace.tags().forEach(tags::add);
        node.put("release", trace.release());
        node.put("version", trace.version());
        node.put("environment", trace.environment());
        node.put("public", false);
        node.put("htmlPath", "/#/traces/" + URLEncoder.encode(trace.id(), StandardCharsets.UTF_8));
        return node;
    }

    private static void putMetrics(ObjectNode node, TraceStats stats) {
        putSeconds(node, "latency", stats.latency());
        putDecimal(node, "totalCost", stats.totalCost());
        // Loupe's own: the figures the trace list shows.
        putInstant(node, "endTime", stats.endTime());
        node.put("observationCount", stats.observationCount());
        node.put("errorCount", stats.errorCount());
        node.putObject("usage")
                .put("input", stats.inputTokens())
                .put("output", stats.outputTokens())
                .put("total", stats.totalTokens());
    }

    /** Returns an observation with Langfuse's observation fields. */
    static ObjectNode observation(Observation observation) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", observation.id());
        node.put("traceId", observation.traceId());
        node.put("parentObservationId", observation.parentObservationId());
        node.put("type", observation.type().name());
        node.put("name", observation.name());
        putInstant(node, "startTime", observation.startTime());
        putInstant(node, "endTime", observation.endTime());
        putInstant(node, "completionStartTime", observation.completionStartTime());
        putSeconds(node, "latency", observation.duration());
        putSeconds(node, "timeToFirstToken", observation.timeToFirstToken());
        node.put("level", observation.level().name());
        node.put("statusMessage", observation.statusMessage());
        node.put("version", observation.version());
        putPayload(node, "input", observation.input());
        putPayload(node, "output", observation.output());
        putPayload(node, "metadata", observation.metadata());
        node.put("model", observation.model());
        putPayload(node, "modelParameters", observation.modelParameters());
        putUsage(node, observation.usage());
        putCost(node, observation.cost());
        node.put("promptName", observation.promptName());
        if (observation.promptVersion() == null) {
            node.putNull("promptVersion");
        } else {
            node.put("promptVersion", observation.promptVersion());
        }
        return node;
    }

    private static void putUsage(ObjectNode node, Usage usage) {
        if (usage == null) {
            node.putNull("usage");
            node.putNull("usageDetails");
            return;
        }
        ObjectNode legacy = node.putObject("usage");
        putLong(legacy, "input", usage.input());
        putLong(legacy, "output", usage.output());
        putLong(legacy, "total", usage.total());
        legacy.put("unit", "TOKENS");
        ObjectNode details = node.putObject("usageDetails");
        usage.details().forEach(details::put);
        if (!details.has(Usage.TOTAL) && usage.total() != null) {
            details.put(Usage.TOTAL, usage.total());
        }
    }

    private static void putCost(ObjectNode node, Cost cost) {
        if (cost == null) {
            node.putNull("costDetails");
            node.putNull("calculatedInputCost");
            node.putNull("calculatedOutputCost");
            node.putNull("calculatedTotalCost");
            return;
        }
        ObjectNode details = node.putObject("costDetails");
        cost.details().forEach(details::put);
        putDecimal(node, "calculatedInputCost", cost.input());
        putDecimal(node, "calculatedOutputCost", cost.output());
        putDecimal(node, "calculatedTotalCost", cost.total());
    }

    /** Returns scores as an array. */
    static ArrayNode scores(Collection<Score> scores) {
        ArrayNode array = MAPPER.createArrayNode();
        scores.forEach(score -> array.add(score(score)));
        return array;
    }

    /** Returns a score with Langfuse's score fields. */
    static ObjectNode score(Score score) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", score.id());
        node.put("traceId", score.traceId());
        node.put("observationId", score.observationId());
        node.put("sessionId", score.sessionId());
        node.put("name", score.name());
        node.put("dataType", score.dataType().name());
        if (score.value() == null) {
            node.putNull("value");
        } else {
            node.put("value", score.value());
        }
        node.put("stringValue", score.stringValue());
        node.put("source", score.source());
        node.put("comment", score.comment());
        putInstant(node, "timestamp", score.timestamp());
        putPayload(node, "metadata", score.metadata());
        return node;
    }

    /** Returns a session as Langfuse's session list shows it, with Loupe's figures. */
    static ObjectNode session(SessionSummary session) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", session.id());
        putInstant(node, "createdAt", session.firstTrace());
        // Loupe's own: what a session list shows.
        putInstant(node, "lastTraceAt", session.lastTrace());
        node.put("traceCount", session.traceCount());
        ArrayNode users = node.putArray("userIds");
        session.userIds().forEach(users::add);
        return node;
    }

    /** Returns one session with its traces in the order they began and the scores of the session itself. */
    static ObjectNode sessionWithTraces(Session session) {
        ObjectNode node = session(session.summary());
        ArrayNode traces = node.putArray("traces");
        session.traces().forEach(trace -> traces.add(traceListItem(trace, TRACE_FIELD_GROUPS)));
        node.set("scores", scores(session.scores()));
        return node;
    }

    /** Returns a test run as the run list shows it: when, on which commit, and how many tests ended how. */
    static ObjectNode testRun(TestRun run) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", run.id());
        putInstant(node, "startTime", run.startTime());
        putInstant(node, "endTime", run.endTime());
        putMillis(node, "durationMs", run.endTime() == null ? null : Duration.between(run.startTime(), run.endTime()));
        node.put("gitCommit", run.gitCommit());
        node.put("gitBranch", run.gitBranch());
        putCounts(node, run.passed(), run.failed(), run.skipped(), run.aborted());
        node.put("htmlPath", "/#/test-runs/" + URLEncoder.encode(run.id(), StandardCharsets.UTF_8));
        return node;
    }

    /**
     * Returns a test run with its results grouped by test class. {@code traces} holds the stored traces the results
     * name, by id; a trace id it lacks (a trace not written, or deleted since) is still listed, without a name.
     */
    static ObjectNode testRunWithResults(TestRun run, List<TestClassResults> classes,
            Map<String, TraceSummary> traces) {
        ObjectNode node = testRun(run);
        ArrayNode classNodes = node.putArray("classes");
        for (TestClassResults testClass : classes) {
            ObjectNode classNode = classNodes.addObject();
            classNode.put("testClass", testClass.testClass());
            putCounts(classNode, testClass.count(TestStatus.PASSED), testClass.count(TestStatus.FAILED),
                    testClass.count(TestStatus.SKIPPED), testClass.count(TestStatus.ABORTED));
            putMillis(classNode, "durationMs", testClass.duration());
            ArrayNode results = classNode.putArray("results");
            testClass.results().forEach(result -> results.add(testResult(result, traces)));
        }
        return node;
    }

    private static ObjectNode testResult(TestResult result, Map<String, TraceSummary> traces) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", result.id());
        node.put("uniqueId", result.uniqueId());
        node.put("testClass", result.testClass());
        node.put("testMethod", result.testMethod());
        node.put("displayName", result.displayName());
        node.put("parameters", result.parameters());
        ArrayNode tags = node.putArray("tags");
        result.tags().forEach(tags::add);
        node.put("status", result.status().name());
        putInstant(node, "startTime", result.startTime());
        putMillis(node, "durationMs", result.duration());
        node.put("failureMessage", result.failureMessage());
        ArrayNode ids = node.putArray("traceIds");
        result.traceIds().forEach(ids::add);
        // Loupe's own: enough of each trace to link to it by name and show whether it failed.
        ArrayNode traceNodes = node.putArray("traces");
        for (String id : result.traceIds()) {
            ObjectNode trace = traceNodes.addObject().put("id", id);
            TraceSummary summary = traces.get(id);
            trace.put("name", summary == null ? null : summary.trace().name());
            putInstant(trace, "timestamp", summary == null ? null : summary.trace().timestamp());
            if (summary == null) {
                trace.putNull("errorCount");
            } else {
                trace.put("errorCount", summary.stats().errorCount());
            }
            trace.put("htmlPath", "/#/traces/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        }
        return node;
    }

    private static void putCounts(ObjectNode node, int passed, int failed, int skipped, int aborted) {
        node.putObject("counts")
                .put("passed", passed)
                .put("failed", failed)
                .put("skipped", skipped)
                .put("aborted", aborted)
                .put("total", passed + failed + skipped + aborted);
    }

    private static void putPayload(ObjectNode node, String field, String json) {
        if (json == null) {
            node.putNull(field);
            return;
        }
        try {
            node.set(field, MAPPER.readTree(json));
        } catch (JsonProcessingException notJson) {
            // Written by another tool, perhaps: show it as the text it is.
            node.put(field, json);
        }
    }

    static void putInstant(ObjectNode node, String field, Instant instant) {
        node.put(field, instant == null ? null : instant.toString());
    }

    private static void putSeconds(ObjectNode node, String field, Duration duration) {
        if (duration == null) {
            node.putNull(field);
        } else {
            node.put(field, duration.toNanos() / 1e9);
        }
    }

    private static void putMillis(ObjectNode node, String field, Duration duration) {
        if (duration == null) {
            node.putNull(field);
        } else {
            node.put(field, duration.toNanos() / 1e6);
        }
    }

    private static void putDecimal(ObjectNode node, String field, BigDecimal value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    private static void putLong(ObjectNode node, String field, Long value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
