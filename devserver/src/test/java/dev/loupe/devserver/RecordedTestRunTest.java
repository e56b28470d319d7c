package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.devserver.fixtures.RefundAgentFixture;
import dev.loupe.store.TraceStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A test run recorded by Loupe's JUnit extension, as the devserver shows it: a fixture test class runs through the
 * JUnit Platform with its test store pointed at the store the devserver is serving, and the run appears in the API.
 */
class RecordedTestRunTest {

    @TempDir
    static Path directory;

    static TraceStore store;
    static DevServer server;
    static ApiClient api;

    @BeforeAll
    static void runTheFixtureIntoTheServedStore() {
        store = TraceStore.open(directory);
        server = DevServer.start(store, "127.0.0.1", 0);
        api = new ApiClient(server.url());

        EngineTestKit.engine("junit-jupiter")
                .configurationParameter("loupe.junit.store", directory.toString())
                .selectors(selectClass(RefundAgentFixture.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.succeeded(1).failed(1));
        // A run this short leaves its records in the store's inbox, which the serving devserver takes in every second.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (api.get("/api/public/test-runs").json().get("data").isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
        store.close();
    }

    @Test
    void listsTheRunWithItsCountsOnceItHasEnded() {
        JsonNode runs = api.get("/api/public/test-runs").json().get("data");

        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("counts").toString())
                .isEqualTo("{\"passed\":1,\"failed\":1,\"skipped\":0,\"aborted\":0,\"total\":2}");
        assertThat(runs.get(0).get("endTime").isNull()).isFalse();
    }

    @Test
    void showsTheFailedTestFirstWithTheAssertionMessage() {
        JsonNode run = runDetails();

        assertThat(run.get("classes")).singleElement().satisfies(testClass -> assertThat(
                testClass.get("testClass").asText()).isEqualTo(RefundAgentFixture.class.getName()));
        JsonNode results = run.get("classes").get(0).get("results");
        assertThat(results).extracting(result -> result.get("testMethod").asText())
                .containsExactly("quotesTheRefundId", "answersRefundQuestions");
        JsonNode failed = results.get(0);
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("displayName").asText()).isEqualTo("quotesTheRefundId()");
        assertThat(failed.get("uniqueId").asText()).contains("[method:quotesTheRefundId()]");
        assertThat(failed.get("failureMessage").asText()).contains("Your refund is on its way.").contains("RF-");
        assertThat(failed.get("durationMs").asDouble()).isPositive();
    }

    @Test
    void linksEachTestToTheTraceItProducedWhichCarriesTheTestOutcome() {
        JsonNode failed = runDetails().get("classes").get(0).get("results").get(0);

        assertThat(failed.get("traces")).singleElement().satisfies(trace ->
                assertThat(trace.get("name").asText()).isEqualTo("refund-id"));
        JsonNode trace = api.get("/api/public/traces/" + failed.get("traceIds").get(0).asText()).json();
        assertThat(trace.get("name").asText()).isEqualTo("refund-id");
        JsonNode outcome = StreamSupport.stream(trace.get("scores").spliterator(), false)
                .filter(score -> score.get("name").asText().equals("test.passed")).findFirst().orElseThrow();
        assertThat(outcome.get("dataType").asText()).isEqualTo("BOOLEAN");
        assertThat(outcome.get("value").asDouble()).isZero();
        assertThat(outcome.get("source").asText()).isEqualTo("TEST");
    }

    private static JsonNode runDetails() {
        String id = api.get("/api/public/test-runs").json().get("data").get(0).get("id").asText();
        return api.get("/api/public/test-runs/" + id).json();
    }
}
