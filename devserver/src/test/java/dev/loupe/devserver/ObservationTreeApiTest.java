package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.store.TraceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The observation tree that the trace detail carries in {@code tree}: the tree {@link dev.loupe.model.TraceTree}
 * built, over real HTTP, so that the web UI shows what the assertions check.
 */
class ObservationTreeApiTest {

    static TraceStore store;
    static DevServer server;
    static ApiClient api;

    @BeforeAll
    static void startServer() {
        store = TraceStore.inMemory();
        SampleTraces.recordInto(store);
        CyclicTrace.writeInto(store);
        server = DevServer.start(store, "127.0.0.1", 0);
        api = new ApiClient(server.url());
    }

    @AfterAll
    static void stopServer() {
        server.close();
        store.close();
    }

    @Test
    void servesEveryObservationOfACycleOfParentsExactlyOnceInTheTree() {
        JsonNode trace = api.get("/api/public/traces/" + CyclicTrace.ID).json();

        assertThat(values(trace.get("tree"), node -> node.get("id").asText()))
                .containsExactlyElementsOf(CyclicTrace.WALK.stream().map(CyclicTrace::idOf).toList());
        assertThat(trace.get("observations")).hasSize(CyclicTrace.WALK.size());
    }

    @Test
    void breaksTheCycleAtItsEarliestObservationAsTheStoreDoes() {
        JsonNode tree = api.get("/api/public/traces/" + CyclicTrace.ID).json().get("tree");

        assertThat(values(tree, node -> name(node) + " depth " + node.get("depth").asInt() + " under "
                + parentName(node))).containsExactly(
                        "planner depth 0 under (top)",
                        "critic depth 1 under planner",
                        "reviser depth 2 under critic",
                        "rewrite depth 3 under reviser",
                        "orphan depth 0 under (top)",
                        "narcissist depth 0 under (top)");
    }

    @Test
    void keepsTheStoredParentOfEachObservationInLangfusesObservationsArray() {
        JsonNode observations = api.get("/api/public/traces/" + CyclicTrace.ID).json().get("observations");

        assertThat(values(observations, each -> each.get("name").asText() + " -> "
                + each.get("parentObservationId").asText())).containsExactly(
                        "planner -> " + CyclicTrace.idOf("critic"),
                        "orphan -> no-such-observation",
                        "narcissist -> " + CyclicTrace.idOf("narcissist"),
                        "critic -> " + CyclicTrace.idOf("planner"),
                        "reviser -> " + CyclicTrace.idOf("critic"),
                        "rewrite -> " + CyclicTrace.idOf("reviser"));
    }

    @Test
    void listsTheChildrenOfEachObservationInStartOrder() {
        String id = api.get("/api/public/traces?userId=ann&name=checkout-agent").json().get("data").get(0)
                .get("id").asText();

        JsonNode tree = api.get("/api/public/traces/" + id).json().get("tree");

        assertThat(values(tree, node -> name(node) + " " + values(node.get("childIds"), child -> nameOf(child.asText()))))
                .containsExactly("checkout-agent [answer, lookup_order]", "answer []", "lookup_order []");
    }

    // ---------------------------------------------------------------------------------------------------------

    private static String name(JsonNode node) {
        return nameOf(node.get("id").asText());
    }

    private static String parentName(JsonNode node) {
        return node.get("parentId").isNull() ? "(top)" : nameOf(node.get("parentId").asText());
    }

    /** Returns the name of an observation, read from the API. */
    private static String nameOf(String observationId) {
        return api.get("/api/public/observations/" + observationId).json().get("name").asText();
    }

    private static <T> List<T> values(JsonNode array, Function<JsonNode, T> value) {
        List<T> values = new ArrayList<>();
        array.forEach(each -> values.add(value.apply(each)));
        return values;
    }
}
