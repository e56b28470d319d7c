package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.store.TraceStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The comparison endpoints over real HTTP: two traces side by side, two test runs, and the earlier side found. */
class ComparisonApiTest {

    static TraceStore store;
    static DevServer server;
    static ApiClient api;

    @BeforeAll
    static void startServer() {
        store = TraceStore.inMemory();
        SampleComparisons.recordInto(store);
        server = DevServer.start(store, "127.0.0.1", 0);
        api = new ApiClient(server.url());
    }

    @AfterAll
    static void stopServer() {
        server.close();
        store.close();
    }

    private static String id(String runId, String test) {
        return URLEncoder.encode(SampleComparisons.traceId(runId, test), StandardCharsets.UTF_8);
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.path(field).asText()));
        return values;
    }

    @Test
    void twoTracesSideBySideNameEachObservationAddedRemovedOrChangedWithTheFieldsAndTheDeltas() {
        ApiClient.Response response = api.get("/api/public/comparisons/traces?before="
                + id(SampleComparisons.EARLIER_RUN, "answersRefunds") + "&after="
                + id(SampleComparisons.LATER_RUN, "answersRefunds"));

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("sameShape").asBoolean()).isFalse();
        assertThat(body.path("tokenDelta").asLong()).isEqualTo(60);
        assertThat(texts(body.path("changes"), "kind")).containsExactly("CHANGED", "ADDED");
        JsonNode changed = body.path("changes").get(0);
        assertThat(changed.path("place").asText()).contains("GENERATION answer");
        assertThat(changed.path("changedFields").toString()).contains("model", "usage");
        assertThat(changed.path("before").path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(changed.path("after").path("model").asText()).isEqualTo("gpt-4o");
        assertThat(body.path("changes").get(1).path("after").path("name").asText()).isEqualTo("search_orders");
    }

    @Test
    void withoutBeforeATestsTraceIsComparedWithTheSameTestsTraceInThePreviousRunOnItsBranch() {
        JsonNode body = api.get("/api/public/comparisons/traces?after="
                + id(SampleComparisons.LATER_RUN, "answersRefunds")).json();

        assertThat(body.path("before").path("id").asText())
                .isEqualTo(SampleComparisons.traceId(SampleComparisons.EARLIER_RUN, "answersRefunds"));
        assertThat(body.path("tokenDelta").asLong()).isEqualTo(60);
    }

    @Test
    void aTraceWithoutAnEarlierCounterpartAnswers404SayingWhyAndWhatToDo() {
        ApiClient.Response response = api.get("/api/public/comparisons/traces?after="
                + id(SampleComparisons.EARLIER_RUN, "greets"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.message()).contains("has no counterpart in an earlier run", "Give ?before=ID");
    }

    @Test
    void twoTestRunsListOnlyTheTestsWhoseOutcomeTokensCostOrShapeChanged() {
        JsonNode body = api.get("/api/public/comparisons/test-runs?before=" + SampleComparisons.EARLIER_RUN
                + "&after=" + SampleComparisons.LATER_RUN).json();

        assertThat(texts(body.path("changes"), "displayName"))
                .containsExactlyInAnyOrder("answersRefunds()", "answersShipping()");
        JsonNode shipping = body.path("changes").findParents("displayName").stream()
                .filter(change -> change.path("displayName").asText().equals("answersShipping()")).findFirst()
                .orElseThrow();
        assertThat(shipping.path("statusBefore").asText()).isEqualTo("PASSED");
        assertThat(shipping.path("statusAfter").asText()).isEqualTo("FAILED");
        assertThat(shipping.path("outcomeChanged").asBoolean()).isTrue();
        JsonNode refunds = body.path("changes").findParents("displayName").stream()
                .filter(change -> change.path("displayName").asText().equals("answersRefunds()")).findFirst()
                .orElseThrow();
        assertThat(refunds.path("tokenDelta").asLong()).isEqualTo(60);
        assertThat(refunds.path("shapeChanged").asBoolean()).isTrue();
    }

    @Test
    void withoutBeforeARunIsComparedWithThePreviousRunOnTheSameBranchNotAnotherBranchs() {
        JsonNode body = api.get("/api/public/comparisons/test-runs?after=" + SampleComparisons.LATER_RUN).json();

        assertThat(body.path("before").path("id").asText()).isEqualTo(SampleComparisons.EARLIER_RUN);
    }

    @Test
    void theFirstRunOnABranchAnswers404AndAMissingAfterAnswers400() {
        ApiClient.Response first = api.get("/api/public/comparisons/test-runs?after="
                + SampleComparisons.OTHER_BRANCH_RUN);
        ApiClient.Response missing = api.get("/api/public/comparisons/test-runs");

        assertThat(first.status()).isEqualTo(404);
        assertThat(first.message()).isEqualTo("Test run 'run-other-branch' has no earlier run on branch 'feature' in "
                + "the store. Give ?before=ID to compare with a run of your choice");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.message()).isEqualTo("Give ?after=ID: the id of the later test run");
    }
}
