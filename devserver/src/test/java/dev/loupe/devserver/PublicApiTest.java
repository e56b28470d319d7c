package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.store.TraceStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The REST API over real HTTP, against a real server on a free port and a real file store. */
class PublicApiTest {

    @TempDir
    static Path directory;

    static TraceStore store;
    static DevServer server;
    static ApiClient api;

    @BeforeAll
    static void startServer() {
        store = TraceStore.open(directory);
        SampleTraces.recordInto(store);
        SampleTestRuns.writeInto(store);
        server = DevServer.start(store, "127.0.0.1", 0);
        api = new ApiClient(server.url());
    }

    @AfterAll
    static void stopServer() {
        server.close();
        store.close();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Traces

    @Test
    void listsTracesNewestFirstInLangfusesPageShape() {
        ApiClient.Response response = api.get("/api/public/traces");

        assertThat(response.status()).isEqualTo(200);
        assertThat(names(response.json())).containsExactly("summarizer", "checkout-agent", "checkout-agent");
        assertThat(response.json().get("meta").toString())
                .isEqualTo("{\"page\":1,\"limit\":50,\"totalItems\":3,\"totalPages\":1}");
    }

    @Test
    void listItemCarriesTheFiguresAndScoresATableShows() {
        JsonNode first = api.get("/api/public/traces?orderBy=timestamp.asc&limit=1").json().get("data").get(0);

        assertThat(first.get("timestamp").asText()).isEqualTo("2025-05-01T10:00:00Z");
        assertThat(first.get("userId").asText()).isEqualTo("ann");
        assertThat(first.get("sessionId").asText()).isEqualTo("s-1");
        assertThat(first.get("tags").toString()).isEqualTo("[\"beta\",\"shop\"]");
        assertThat(first.get("environment").asText()).isEqualTo("test");
        assertThat(first.get("release").asText()).isEqualTo("1.0");
        assertThat(first.get("latency").asDouble()).isEqualTo(1.5);
        assertThat(first.get("totalCost").decimalValue()).isPositive();
        assertThat(first.get("observationCount").asInt()).isEqualTo(3);
        assertThat(first.get("errorCount").asInt()).isZero();
        assertThat(first.get("usage").toString()).isEqualTo("{\"input\":100,\"output\":20,\"total\":120}");
        assertThat(first.get("scores")).hasSize(1);
        assertThat(first.get("scoreDetails").get(0).get("name").asText()).isEqualTo("helpfulness");
        assertThat(first.get("scoreDetails").get(0).get("value").asDouble()).isEqualTo(0.9);
        assertThat(first.get("htmlPath").asText()).isEqualTo("/#/traces/" + first.get("id").asText());
    }

    @Test
    void embedsStoredPayloadsAsJsonRatherThanAsStringsOfJson() {
        JsonNode first = api.get("/api/public/traces?orderBy=timestamp.asc&limit=1").json().get("data").get(0);

        assertThat(first.get("input").isObject()).isTrue();
        assertThat(first.get("input").get("question").asText()).isEqualTo("Where is order 42?");
        assertThat(first.get("output").get("answer").asText()).isEqualTo("Order 42 ships today.");
    }

    @Test
    void fieldsParameterLeavesOutTheGroupsNotAskedFor() {
        JsonNode item = api.get("/api/public/traces?fields=core,metrics").json().get("data").get(0);

        assertThat(item.has("input")).isFalse();
        assertThat(item.has("scores")).isFalse();
        assertThat(item.has("latency")).isTrue();
        assertThat(item.has("name")).isTrue();
    }

    @Test
    void filtersTracesByNameUserSessionAndTags() {
        assertThat(names(api.get("/api/public/traces?name=summarizer").json())).containsExactly("summarizer");
        assertThat(users(api.get("/api/public/traces?userId=ann").json())).containsExactly("ann", "ann");
        assertThat(users(api.get("/api/public/traces?sessionId=s-1").json())).containsExactly("ben", "ann");
        assertThat(users(api.get("/api/public/traces?tags=shop&tags=beta").json())).containsExactly("ann");
        assertThat(users(api.get("/api/public/traces?tags=shop,beta").json())).containsExactly("ann");
    }

    @Test
    void filtersTracesWithAndWithoutErrors() {
        assertThat(users(api.get("/api/public/traces?hasError=true").json())).containsExactly("ben");
        assertThat(users(api.get("/api/public/traces?hasError=false").json())).containsExactly("ann", "ann");
    }

    @Test
    void filtersTracesByAScoreRange() {
        assertThat(users(api.get("/api/public/traces?scoreName=helpfulness&scoreMin=0.5").json()))
                .containsExactly("ann");
        assertThat(users(api.get("/api/public/traces?scoreName=helpfulness&scoreMax=0.5").json()))
                .containsExactly("ben");
        assertThat(users(api.get("/api/public/traces?scoreName=helpfulness").json())).containsExactly("ben", "ann");
    }

    @Test
    void searchesTheWordsOfTracesAndTheirObservations() {
        assertThat(users(api.get("/api/public/traces?search=ORDER%2043").json())).containsExactly("ben");
        assertThat(names(api.get("/api/public/traces?search=summar*").json())).containsExactly("summarizer");
        assertThat(names(api.get("/api/public/traces?search=%22orders-api+answered%22").json()))
                .as("the status message of the failed tool call").containsExactly("checkout-agent");
    }

    @Test
    void aSearchedTraceNamesTheObservationsTheTextWasFoundIn() {
        JsonNode item = api.get("/api/public/traces?search=shop+assistant").json().get("data").get(0);

        assertThat(item.get("matchingObservations")).hasSize(1);
        assertThat(item.get("matchingObservations").get(0).get("name").asText()).isEqualTo("answer");
        assertThat(item.get("matchingObservations").get(0).get("type").asText()).isEqualTo("GENERATION");
    }

    @Test
    void filtersTracesByMetadataOfTheTraceOrOfAnObservation() {
        assertThat(users(api.get("/api/public/traces?metadata=channel=email").json())).containsExactly("ben");
        assertThat(users(api.get("/api/public/traces?metadata=%24.warehouse.region=eu-west").json()))
                .containsExactly("ann");
        assertThat(users(api.get("/api/public/traces?metadata=warehouse").json())).containsExactly("ann");
    }

    @Test
    void filtersTracesWithLangfusesJsonFilterParameter() {
        String filter = "[{\"type\":\"stringObject\",\"column\":\"metadata\",\"key\":\"channel\","
                + "\"operator\":\"=\",\"value\":\"email\"},{\"type\":\"string\",\"column\":\"name\","
                + "\"operator\":\"=\",\"value\":\"checkout-agent\"}]";

        assertThat(users(api.get("/api/public/traces?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8))
                .json())).containsExactly("ben");
    }

    @Test
    void findsTheObservationsOfATraceThatHoldAText() {
        String traceId = api.get("/api/public/traces?userId=ann&name=checkout-agent").json().get("data").get(0)
                .get("id").asText();

        JsonNode found = api.get("/api/public/observations?traceId=" + traceId + "&search=%22shop+assistant%22")
                .json();

        assertThat(found.get("data")).extracting(observation -> observation.get("name").asText())
                .containsExactly("answer");
        assertThat(api.get("/api/public/observations?metadata=%24.warehouse.region=eu-west").json().get("data"))
                .extracting(observation -> observation.get("name").asText()).containsExactly("lookup_order");
    }

    @Test
    void filtersTracesByTimeRangeIncludingItsStartAndExcludingItsEnd() {
        JsonNode body = api.get("/api/public/traces?fromTimestamp=2025-05-01T10:05:00Z"
                + "&toTimestamp=2025-05-01T10:10:00Z").json();

        assertThat(users(body)).containsExactly("ben");
    }

    @Test
    void sortsTracesByDuration() {
        assertThat(names(api.get("/api/public/traces?orderBy=latency.desc").json()))
                .containsExactly("checkout-agent", "checkout-agent", "summarizer");
        assertThat(users(api.get("/api/public/traces?orderBy=latency.asc").json()))
                .containsExactly("ann", "ann", "ben");
    }

    @Test
    void pagesThroughTracesWithTheirTotals() {
        JsonNode second = api.get("/api/public/traces?page=2&limit=2").json();

        assertThat(second.get("data")).hasSize(1);
        assertThat(second.get("meta").toString())
                .isEqualTo("{\"page\":2,\"limit\":2,\"totalItems\":3,\"totalPages\":2}");
    }

    @Test
    void returnsOneTraceWithItsObservationsAndScores() {
        String id = traceIdOf("ann", "checkout-agent");

        JsonNode trace = api.get("/api/public/traces/" + id).json();

        assertThat(trace.get("id").asText()).isEqualTo(id);
        assertThat(trace.get("input").get("question").asText()).isEqualTo("Where is order 42?");
        assertThat(trace.get("observations")).extracting(o -> o.get("name").asText())
                .containsExactly("checkout-agent", "answer", "lookup_order");
        JsonNode root = trace.get("observations").get(0);
        assertThat(trace.get("observations").get(1).get("parentObservationId").asText())
                .isEqualTo(root.get("id").asText());
        assertThat(trace.get("scores")).extracting(s -> s.get("name").asText()).containsExactly("helpfulness");
        assertThat(trace.get("scores").get(0).get("comment").asText()).isEqualTo("answered");
    }

    @Test
    void returnsTheErrorOfAFailedObservation() {
        JsonNode trace = api.get("/api/public/traces/" + traceIdOf("ben", "checkout-agent")).json();

        JsonNode tool = find(trace.get("observations"), "cancel_order");
        assertThat(tool.get("level").asText()).isEqualTo("ERROR");
        assertThat(tool.get("statusMessage").asText()).isEqualTo("orders-api answered 503");
        assertThat(tool.get("metadata").get("exception.type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(trace.get("errorCount").asInt()).isEqualTo(2);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Observations

    @Test
    void listsTheObservationsOfATraceByType() {
        String id = traceIdOf("ann", "checkout-agent");

        JsonNode body = api.get("/api/public/observations?traceId=" + id + "&type=generation").json();

        assertThat(body.get("data")).extracting(o -> o.get("name").asText()).containsExactly("answer");
        assertThat(body.get("meta").get("totalItems").asInt()).isEqualTo(1);
    }

    @Test
    void aGenerationShowsItsCostByKindOfTokenEachPartInsideItsTotal() {
        String id = api.get("/api/public/observations?name=answer").json().get("data").get(0).get("id").asText();

        JsonNode generation = api.get("/api/public/observations/" + id).json();

        // gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output and reasoning per million tokens
        JsonNode usage = generation.get("usageDetails");
        assertThat(usage.properties()).extracting(field -> field.getKey() + "=" + field.getValue())
                .containsExactlyInAnyOrder("input=100", "output=20", "cached_input=60", "reasoning=5", "total=120");
        JsonNode cost = generation.get("costDetails");
        assertThat(cost.get("input").decimalValue()).isEqualByComparingTo("0.0000105");
        assertThat(cost.get("cached_input").decimalValue()).isEqualByComparingTo("0.0000045");
        assertThat(cost.get("output").decimalValue()).isEqualByComparingTo("0.000012");
        assertThat(cost.get("reasoning").decimalValue()).isEqualByComparingTo("0.000003");
        assertThat(cost.get("total").decimalValue()).isEqualByComparingTo("0.0000225");
        assertThat(generation.get("calculatedInputCost").decimalValue()).isEqualByComparingTo("0.0000105");
        assertThat(generation.get("calculatedTotalCost").decimalValue()).isEqualByComparingTo("0.0000225");
    }

    @Test
    void returnsOneGenerationWithModelUsageAndCost() {
        String id = api.get("/api/public/observations?name=answer").json().get("data").get(0).get("id").asText();

        JsonNode generation = api.get("/api/public/observations/" + id).json();

        assertThat(generation.get("type").asText()).isEqualTo("GENERATION");
        assertThat(generation.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(generation.get("modelParameters").get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(generation.get("input").get(1).get("role").asText()).isEqualTo("user");
        assertThat(generation.get("usage").toString())
                .isEqualTo("{\"input\":100,\"output\":20,\"total\":120,\"unit\":\"TOKENS\"}");
        assertThat(generation.get("usageDetails").get("input").asLong()).isEqualTo(100);
        assertThat(generation.get("calculatedTotalCost").decimalValue()).isPositive();
        assertThat(generation.get("costDetails").has("total")).isTrue();
        assertThat(generation.get("latency").asDouble()).isEqualTo(0.9);
        assertThat(generation.get("startTime").asText()).isEqualTo("2025-05-01T10:00:00.100Z");
    }

    @Test
    void listsErrorObservationsByLevel() {
        JsonNode body = api.get("/api/public/observations?level=ERROR").json();

        assertThat(body.get("data")).extracting(o -> o.get("name").asText())
                .containsExactlyInAnyOrder("checkout-agent", "cancel_order");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sessions and scores

    @Test
    void listsSessionsWithTheirFigures() {
        JsonNode body = api.get("/api/public/sessions").json();

        assertThat(body.get("data")).hasSize(1);
        JsonNode session = body.get("data").get(0);
        assertThat(session.get("id").asText()).isEqualTo("s-1");
        assertThat(session.get("createdAt").asText()).isEqualTo("2025-05-01T10:00:00Z");
        assertThat(session.get("traceCount").asInt()).isEqualTo(2);
        assertThat(session.get("userIds").toString()).isEqualTo("[\"ann\",\"ben\"]");
        assertThat(body.get("meta").get("totalItems").asInt()).isEqualTo(1);
    }

    @Test
    void returnsOneSessionWithItsTracesOldestFirstAndItsOwnScores() {
        JsonNode session = api.get("/api/public/sessions/s-1").json();

        assertThat(session.get("traces")).extracting(t -> t.get("userId").asText()).containsExactly("ann", "ben");
        assertThat(session.get("traces").get(0).get("input").get("question").asText())
                .isEqualTo("Where is order 42?");
        assertThat(session.get("scores")).extracting(s -> s.get("name").asText()).containsExactly("resolved");
        assertThat(session.get("scores").get(0).get("stringValue").asText()).isEqualTo("false");
    }

    @Test
    void listsScoresByNameAndValueRange() {
        JsonNode body = api.get("/api/public/scores?name=helpfulness&minValue=0.5&maxValue=1").json();

        assertThat(body.get("data")).extracting(s -> s.get("value").asDouble()).containsExactly(0.9);
        assertThat(body.get("data").get(0).get("dataType").asText()).isEqualTo("NUMERIC");
    }

    @Test
    void listsTheScoresOfASession() {
        JsonNode body = api.get("/api/public/scores?sessionId=s-1&dataType=boolean").json();

        assertThat(body.get("data")).extracting(s -> s.get("name").asText()).containsExactly("resolved");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Test runs

    @Test
    void listsTestRunsNewestFirstWithGitInfoAndCounts() {
        ApiClient.Response response = api.get("/api/public/test-runs");

        assertThat(response.status()).isEqualTo(200);
        assertThat(field(response.json(), "id")).containsExactly(SampleTestRuns.NEWER_RUN, SampleTestRuns.OLDER_RUN);
        JsonNode newer = response.json().get("data").get(0);
        assertThat(newer.get("startTime").asText()).isEqualTo("2025-05-01T11:00:00Z");
        assertThat(newer.get("endTime").asText()).isEqualTo("2025-05-01T11:00:07.250Z");
        assertThat(newer.get("durationMs").asDouble()).isEqualTo(7_250);
        assertThat(newer.get("gitCommit").asText()).isEqualTo(SampleTestRuns.COMMIT);
        assertThat(newer.get("gitBranch").asText()).isEqualTo("fix/cancel");
        assertThat(newer.get("counts").toString())
                .isEqualTo("{\"passed\":3,\"failed\":1,\"skipped\":1,\"aborted\":1,\"total\":6}");
        assertThat(newer.get("htmlPath").asText()).isEqualTo("/#/test-runs/" + SampleTestRuns.NEWER_RUN);
        assertThat(response.json().get("meta").toString())
                .isEqualTo("{\"page\":1,\"limit\":50,\"totalItems\":2,\"totalPages\":1}");
    }

    @Test
    void pagesThroughTestRuns() {
        JsonNode second = api.get("/api/public/test-runs?limit=1&page=2").json();

        assertThat(field(second, "id")).containsExactly(SampleTestRuns.OLDER_RUN);
        assertThat(second.get("meta").get("totalPages").asInt()).isEqualTo(2);
    }

    @Test
    void returnsOneTestRunWithItsResultsGroupedByClassFailingClassesFirst() {
        JsonNode run = api.get("/api/public/test-runs/" + SampleTestRuns.NEWER_RUN).json();

        assertThat(run.get("id").asText()).isEqualTo(SampleTestRuns.NEWER_RUN);
        assertThat(run.get("counts").get("total").asInt()).isEqualTo(6);
        assertThat(run.get("classes")).extracting(testClass -> testClass.get("testClass").asText())
                .containsExactly("shop.CheckoutAgentTest", "shop.SummarizerTest", "shop.AccountTest");
        JsonNode checkout = run.get("classes").get(0);
        assertThat(checkout.get("counts").toString())
                .isEqualTo("{\"passed\":1,\"failed\":1,\"skipped\":1,\"aborted\":0,\"total\":3}");
        assertThat(checkout.get("durationMs").asDouble()).isEqualTo(750);
    }

    @Test
    void listsTheFailedTestOfAClassFirstWithItsMessageAndItsTraces() {
        JsonNode checkout = api.get("/api/public/test-runs/" + SampleTestRuns.NEWER_RUN).json()
                .get("classes").get(0).get("results");

        assertThat(checkout).extracting(result -> result.get("status").asText())
                .containsExactly("FAILED", "PASSED", "SKIPPED");
        JsonNode failed = checkout.get(0);
        assertThat(failed.get("uniqueId").asText())
                .isEqualTo("[engine:junit-jupiter]/[class:shop.CheckoutAgentTest]/[method:cancelsOrders()]");
        assertThat(failed.get("testMethod").asText()).isEqualTo("cancelsOrders");
        assertThat(failed.get("displayName").asText()).isEqualTo("cancelsOrders()");
        assertThat(failed.get("startTime").asText()).isEqualTo("2025-05-01T11:00:01Z");
        assertThat(failed.get("durationMs").asDouble()).isEqualTo(250);
        assertThat(failed.get("failureMessage").asText()).isEqualTo(SampleTestRuns.FAILURE);
        String benCheckout = traceIdOf("ben", "checkout-agent");
        assertThat(failed.get("traceIds")).extracting(JsonNode::asText).containsExactly(benCheckout);
        JsonNode trace = failed.get("traces").get(0);
        assertThat(trace.get("id").asText()).isEqualTo(benCheckout);
        assertThat(trace.get("name").asText()).isEqualTo("checkout-agent");
        assertThat(trace.get("timestamp").asText()).isEqualTo("2025-05-01T10:05:00Z");
        assertThat(trace.get("errorCount").asInt()).isEqualTo(2);
        assertThat(trace.get("htmlPath").asText()).isEqualTo("/#/traces/" + benCheckout);
    }

    @Test
    void listsAnAbortedTestBeforeThePassedOnesWithTheReason() {
        JsonNode summarizer = api.get("/api/public/test-runs/" + SampleTestRuns.NEWER_RUN).json()
                .get("classes").get(1).get("results");

        assertThat(summarizer).extracting(result -> result.get("status").asText()).containsExactly("ABORTED", "PASSED");
        assertThat(summarizer.get(0).get("failureMessage").asText()).contains("OPENAI_API_KEY is not set");
    }

    @Test
    void returnsTheParametersAndTagsOfAParameterizedInvocation() {
        JsonNode invocation = api.get("/api/public/test-runs/" + SampleTestRuns.NEWER_RUN).json()
                .get("classes").get(1).get("results").get(1);

        assertThat(invocation.get("displayName").asText()).isEqualTo("[1] ticket 7");
        assertThat(invocation.get("testMethod").asText()).isEqualTo("summarizes");
        assertThat(invocation.get("parameters").asText()).isEqualTo("ticket 7");
        assertThat(invocation.get("tags").toString()).isEqualTo("[\"slow\",\"llm\"]");
        assertThat(invocation.get("durationMs").asDouble()).isEqualTo(1_234.5);
        assertThat(invocation.get("failureMessage").isNull()).isTrue();
    }

    @Test
    void listsATraceIdTheStoreDoesNotHoldWithoutAName() {
        JsonNode traces = api.get("/api/public/test-runs/" + SampleTestRuns.NEWER_RUN).json()
                .get("classes").get(1).get("results").get(1).get("traces");

        assertThat(traces).extracting(trace -> trace.get("name").asText("(none)"))
                .containsExactly("summarizer", "(none)");
        assertThat(traces.get(1).get("id").asText()).isEqualTo(SampleTestRuns.MISSING_TRACE);
        assertThat(traces.get(1).get("errorCount").isNull()).isTrue();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bad input

    @ParameterizedTest(name = "{0} answers 400: {1}")
    @CsvSource(delimiter = '|', value = {
        "/api/public/traces?limit=1001          | limit is 1001: ask for 1 to 1000 results per page",
        "/api/public/traces?limit=0             | limit is 0",
        "/api/public/traces?page=0              | page is 0: pages are numbered from 1",
        "/api/public/traces?limit=ten           | limit is 'ten': use a whole number",
        "/api/public/traces?limit=%EF%BC%91     | limit is '\uff11': use a whole number written with the digits 0-9",
        "/api/public/traces?page=%D9%A1         | page is '\u0661': use a whole number written with the digits 0-9",
        "/api/public/traces?limit=5.0           | limit is '5.0': use a whole number",
        "/api/public/traces?page=99999999999    | page is '99999999999': use a whole number between",
        "/api/public/traces?scoreName=x&scoreMin=%EF%BC%91 | scoreMin is '\uff11': use a number written with the digits 0-9",
        "/api/public/traces?scoreName=x&scoreMin=0x1p3 | scoreMin is '0x1p3': use a number",
        "/api/public/traces?scoreName=x&scoreMax=1d | scoreMax is '1d': use a number",
        "/api/public/scores?minValue=%D9%A1     | minValue is '\u0661': use a number",
        "/api/public/traces?fromTimestamp=%EF%BC%92025-05-01T00:00:00Z | fromTimestamp is '\uff12025-05-01T00:00:00Z': use an ISO 8601 time",
        "/api/public/traces?usrId=ann           | Unknown query parameter usrId",
        "/api/public/traces?orderBy=cost        | orderBy is invalid: 'cost' is not a sort order",
        "/api/public/traces?hasError=yes        | hasError is 'yes': use true or false",
        "/api/public/traces?fromTimestamp=today | fromTimestamp is 'today': use an ISO 8601 time",
        "/api/public/traces?scoreMin=0.5        | scoreMin was given without scoreName",
        "/api/public/traces?scoreName=x&scoreMin=NaN | scoreMin is 'NaN': use a number",
        "/api/public/traces?name=a&name=b       | name was given 2 times: give it once",
        "/api/public/traces?fields=everything   | fields names 'everything'",
        "/api/public/traces?fromTimestamp=2025-05-02T00:00:00Z&toTimestamp=2025-05-01T00:00:00Z | fromTimestamp 2025-05-02T00:00:00Z is after toTimestamp",
        "/api/public/observations?type=robot    | type is invalid: Unknown observation type 'robot'",
        "/api/public/traces?search=%25%25       | search '%%' holds no word to look for",
        "/api/public/traces?metadata=%24.a%5B0%5D=x | metadata '$.a[0]=x' is invalid: metadata path '$.a[0]' cannot be read",
        "/api/public/traces?filter=%7B%7D       | filter is {}: give a JSON array of conditions",
        "/api/public/traces?filter=nope         | filter is not JSON",
        "/api/public/traces?filter=%5B%7B%22type%22%3A%22number%22%2C%22column%22%3A%22latency%22%7D%5D | is not supported; supported:",
        "/api/public/observations?level=fatal   | level is invalid: Unknown observation level 'fatal'",
        "/api/public/observations?limit=5000    | limit is 5000",
        "/api/public/sessions?limit=-1          | limit is -1",
        "/api/public/scores?dataType=text       | dataType is invalid: Unknown score data type 'text'",
        "/api/public/scores?minValue=2&maxValue=1 | minValue 2.0 is after maxValue 1.0",
        "/api/public/test-runs?limit=0          | limit is 0: ask for 1 to 1000 results per page",
        "/api/public/test-runs?page=-2          | page is -2: pages are numbered from 1",
        "/api/public/test-runs?branch=main      | Unknown query parameter branch: this endpoint accepts limit, page",
    })
    void answersBadParametersWith400NamingTheParameter(String path, String message) {
        ApiClient.Response response = api.get(path);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.message()).contains(message);
        assertThat(response.raw().body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @ParameterizedTest(name = "{0} answers 404")
    @CsvSource(delimiter = '|', value = {
        "/api/public/traces/no-such-trace          | No trace with id 'no-such-trace'",
        "/api/public/observations/no-such-span     | No observation with id 'no-such-span'",
        "/api/public/sessions/no-such-session      | No session with id 'no-such-session'",
        "/api/public/test-runs/no-such-run         | No test run with id 'no-such-run'",
        "/api/public/teams                         | No endpoint GET /api/public/teams",
    })
    void answersUnknownIdsAndPathsWith404AsJson(String path, String message) {
        ApiClient.Response response = api.get(path);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.message()).startsWith(message);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Serving

    @Test
    void servesTheWebUiWithAPolicyThatForbidsInlineAndForeignScripts() {
        ApiClient.Response page = api.get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().body()).contains("<script type=\"module\" src=\"app.js\"></script>");
        assertThat(page.raw().headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
                assertThat(policy).contains("script-src 'self'").contains("object-src 'none'"));
        assertThat(api.get("/app.js").raw().headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).contains("javascript"));
    }

    @Test
    void refusesRequestsAddressedToAnotherHostName() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/public/traces HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();

            assertThat(statusLine).isEqualTo("HTTP/1.1 403 Forbidden");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private String traceIdOf(String userId, String name) {
        JsonNode data = api.get("/api/public/traces?userId=" + userId + "&name=" + name).json().get("data");
        assertThat(data).hasSize(1);
        return data.get(0).get("id").asText();
    }

    private static JsonNode find(JsonNode observations, String name) {
        return StreamSupport.stream(observations.spliterator(), false)
                .filter(o -> o.get("name").asText().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> names(JsonNode page) {
        return field(page, "name");
    }

    private static List<String> users(JsonNode page) {
        return field(page, "userId");
    }

    private static List<String> field(JsonNode page, String field) {
        List<String> values = new ArrayList<>();
        page.get("data").forEach(item -> values.add(item.get(field).asText()));
        return values;
    }
}
