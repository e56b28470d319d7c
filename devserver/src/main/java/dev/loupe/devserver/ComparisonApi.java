package dev.loupe.devserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TestRunComparison;
import dev.loupe.model.TraceComparison;
import dev.loupe.model.TraceTree;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Run-to-run comparison under {@code /api/public/comparisons}: two traces side by side (observations added, removed
 * or changed, and the deltas in tokens, cost and latency), and two test runs (the tests whose outcome, tokens, cost
 * or tree shape changed). Without {@code before}, the earlier side is found: the previous run on the same branch,
 * or the same test's trace in that run.
 */
final class ComparisonApi {

    /** How many recent runs are searched for the test that produced a trace. */
    static final int RUNS_SEARCHED = 200;

    private final TraceStore store;

    ComparisonApi(TraceStore store) {
        this.store = store;
    }

    /** Adds the comparison routes. */
    void addRoutes(RoutesConfig routes) {
        routes.get("/api/public/comparisons/traces", this::traces);
        routes.head("/api/public/comparisons/traces", this::traces);
        routes.get("/api/public/comparisons/test-runs", this::testRuns);
        routes.head("/api/public/comparisons/test-runs", this::testRuns);
    }

    private void traces(Context ctx) {
        QueryParameters query = QueryParameters.of(ctx.queryString(), Set.of("before", "after"));
        String afterId = required(query, "after", "the id of the later trace");
        TraceTree after = store.trace(afterId)
                .orElseThrow(() -> ApiError.notFound("No trace with id '" + afterId + "' in the store"));
        String beforeId = query.string("before");
        TraceTree before;
        if (beforeId != null) {
            before = store.trace(beforeId)
                    .orElseThrow(() -> ApiError.notFound("No trace with id '" + beforeId + "' in the store"));
        } else {
            before = sameTestInPreviousRun(afterId).orElseThrow(() -> ApiError.notFound("Trace '" + afterId
                    + "' has no counterpart in an earlier run: it was not recorded by a test, its test did not run in "
                    + "the previous run on the same branch, or that run recorded no trace for it. Give ?before=ID "
                    + "to compare with a trace of your choice"));
        }
        ctx.json(traceComparison(TraceComparison.of(before, after)));
    }

    private void testRuns(Context ctx) {
        QueryParameters query = QueryParameters.of(ctx.queryString(), Set.of("before", "after"));
        String afterId = required(query, "after", "the id of the later test run");
        TestRun after = run(afterId);
        String beforeId = query.string("before");
        TestRun before = beforeId != null ? run(beforeId) : previousOnBranch(after).orElseThrow(() ->
                ApiError.notFound("Test run '" + afterId + "' has no earlier run on " + branchName(after)
                        + " in the store. Give ?before=ID to compare with a run of your choice"));
        List<TestResult> beforeResults = store.testRuns().results(before.id());
        List<TestResult> afterResults = store.testRuns().results(after.id());
        TestRunComparison comparison = TestRunComparison.of(beforeResults, afterResults, store::trace);
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.set("before", ApiJson.testRun(before));
        node.set("after", ApiJson.testRun(after));
        node.put("testsBefore", beforeResults.size());
        node.put("testsAfter", afterResults.size());
        ArrayNode changes = node.putArray("changes");
        for (TestRunComparison.TestChange change : comparison.changes()) {
            ObjectNode item = changes.addObject();
            item.put("uniqueId", change.uniqueId());
            item.put("displayName", change.displayName());
            TestResult sample = change.after() != null ? change.after() : change.before();
            item.put("testClass", sample.testClass());
            item.put("statusBefore", change.before() == null ? null : change.before().status().name());
            item.put("statusAfter", change.after() == null ? null : change.after().status().name());
            item.put("outcomeChanged", change.outcomeChanged());
            item.put("tokenDelta", change.tokenDelta());
            putDecimal(item, "costDelta", change.costDelta());
            item.put("shapeChanged", change.shapeChanged());
            item.set("traceIdsBefore", ids(change.before()));
            item.set("traceIdsAfter", ids(change.after()));
        }
        ctx.json(node);
    }

    private static ArrayNode ids(TestResult result) {
        ArrayNode ids = ApiJson.MAPPER.createArrayNode();
        if (result != null) {
            result.traceIds().forEach(ids::add);
        }
        return ids;
    }

    private static ObjectNode traceComparison(TraceComparison comparison) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.set("before", side(comparison.before()));
        node.set("after", side(comparison.after()));
        node.put("sameShape", comparison.sameShape());
        node.put("tokenDelta", comparison.tokenDelta());
        putDecimal(node, "costDelta", comparison.costDelta());
        node.put("latencyDeltaMs", comparison.latencyDelta().toNanos() / 1e6);
        ArrayNode changes = node.putArray("changes");
        for (TraceComparison.ObservationChange change : comparison.changes()) {
            ObjectNode item = changes.addObject();
            item.put("kind", change.kind().name());
            item.put("place", change.place());
            ArrayNode fields = item.putArray("changedFields");
            change.changedFields().forEach(fields::add);
            item.set("before", change.before() == null ? null : ApiJson.observation(change.before()));
            item.set("after", change.after() == null ? null : ApiJson.observation(change.after()));
        }
        return node;
    }

    private static ObjectNode side(TraceTree tree) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("id", tree.id());
        node.put("name", tree.name());
        ApiJson.putInstant(node, "timestamp", tree.trace().timestamp());
        node.put("observationCount", tree.observations().size());
        node.put("totalTokens", tree.stats().totalTokens());
        putDecimal(node, "totalCost", tree.stats().totalCost());
        return node;
    }

    private static void putDecimal(ObjectNode node, String field, BigDecimal value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value.stripTrailingZeros());
        }
    }

    private TestRun run(String id) {
        return store.testRuns().run(id)
                .orElseThrow(() -> ApiError.notFound("No test run with id '" + id + "' in the store"));
    }

    private static String required(QueryParameters query, String name, String what) {
        String value = query.string(name);
        if (value == null) {
            throw ApiError.badRequest("Give ?" + name + "=ID: " + what);
        }
        return value;
    }

    private static String branchName(TestRun run) {
        return run.gitBranch() == null ? "a run without a branch" : "branch '" + run.gitBranch() + "'";
    }

    /** Returns the latest run that began before this one on the same branch (both without a branch count as one). */
    private Optional<TestRun> previousOnBranch(TestRun run) {
        return store.testRuns().runs(PageRequest.first(RUNS_SEARCHED)).items().stream()
                .filter(other -> !other.id().equals(run.id()))
                .filter(other -> Objects.equals(other.gitBranch(), run.gitBranch()))
                .filter(other -> other.startTime().isBefore(run.startTime()))
                .findFirst();
    }

    /**
     * Returns the trace that the test which recorded this one recorded in the previous run on its branch: its first
     * trace with the same name, else its first trace.
     */
    private Optional<TraceTree> sameTestInPreviousRun(String traceId) {
        for (TestRun run : store.testRuns().runs(PageRequest.first(RUNS_SEARCHED)).items()) {
            for (TestResult result : store.testRuns().results(run.id())) {
                if (!result.traceIds().contains(traceId)) {
                    continue;
                }
                Optional<TestRun> previous = previousOnBranch(run);
                if (previous.isEmpty()) {
                    return Optional.empty();
                }
                String name = store.trace(traceId).map(TraceTree::name).orElse(null);
                Optional<TestResult> earlier = store.testRuns().results(previous.get().id()).stream()
                        .filter(other -> other.uniqueId().equals(result.uniqueId())).findFirst();
                if (earlier.isEmpty()) {
                    return Optional.empty();
                }
                List<TraceTree> trees = earlier.get().traceIds().stream().map(store::trace)
                        .flatMap(Optional::stream).toList();
                return trees.stream().filter(tree -> Objects.equals(tree.name(), name)).findFirst()
                        .or(() -> trees.stream().findFirst());
            }
        }
        return Optional.empty();
    }
}
