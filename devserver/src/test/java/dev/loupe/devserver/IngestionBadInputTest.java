package dev.loupe.devserver;

import static dev.loupe.devserver.IngestionApiTest.batch;
import static dev.loupe.devserver.IngestionApiTest.body;
import static dev.loupe.devserver.IngestionApiTest.event;
import static dev.loupe.devserver.IngestionApiTest.newId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.store.TraceStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input to the ingestion endpoint over real HTTP: each gets its documented answer (400 for a body that is not a
 * batch, an error of its own for a bad event while the others are stored, 413 for a body over the limit), and the
 * server keeps serving afterwards.
 */
class IngestionBadInputTest {

    private static final String INGESTION = "/api/public/ingestion";

    @TempDir
    static Path directory;

    static TraceStore store;
    static DevServer server;
    static ApiClient api;

    @BeforeAll
    static void startServer() {
        store = TraceStore.open(directory);
        server = DevServer.start(store, "127.0.0.1", 0);
        api = new ApiClient(server.url());
    }

    @AfterAll
    static void stopServer() {
        server.close();
        store.close();
    }

    /** After every bad request, a good batch is still answered and stored. */
    @AfterEach
    void theServerStillStoresAGoodBatch() {
        String traceId = newId();

        ApiClient.Response response = api.post(INGESTION, batch(event("trace-create",
                body("{\"id\":\"" + traceId + "\",\"name\":\"after\"}"))));

        assertThat(response.status()).isEqualTo(207);
        assertThat(store.trace(traceId)).isPresent();
    }

    @Test
    void truncatedJsonIsRefusedWith400SayingWhere() {
        String whole = batch(event("trace-create", body("{\"id\":\"" + newId() + "\"}")));

        ApiClient.Response response = api.post(INGESTION, whole.substring(0, whole.length() / 2));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.message()).startsWith("The request body is not JSON (")
                .contains("line 1, column").endsWith("send a batch, {\"batch\": [events]}");
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "[]                  | The request body is an array [], not a batch: send {\"batch\": [events]}",
        "{}                  | The request body's batch is missing: send {\"batch\": [events]}",
        "{\"batch\":{}}       | The request body's batch is an object {}: send {\"batch\": [events]}",
        "{\"batch\":null}     | The request body's batch is null",
        "\"events\"           | The request body is the string \"events\", not a batch",
        "42                  | The request body is the number 42, not a batch"})
    void aBodyThatIsNotABatchIsRefusedWith400(String body, String message) {
        ApiClient.Response response = api.post(INGESTION, body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.message()).startsWith(message);
    }

    @Test
    void aGetOfTheIngestionEndpointIsRefusedWith405NamingPost() {
        ApiClient.Response response = api.get(INGESTION);

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.raw().headers().firstValue("Allow")).hasValue("POST, OPTIONS");
        assertThat(response.message()).isEqualTo("GET is not allowed on /api/public/ingestion: use POST (this path "
                + "answers POST, OPTIONS)");
    }

    @Test
    void anEmptyBodyIsRefusedWith400() {
        ApiClient.Response response = api.post(INGESTION, new byte[0]);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.message()).isEqualTo("The request body is empty: send a batch, {\"batch\": [events]}");
    }

    @ParameterizedTest(name = "{0} with {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "trace-create      | id                  | {}       | body.id is an object {}: send a string id",
        "trace-create      | name                | 5        | body.name is the number 5: send a string",
        "trace-create      | timestamp           | \"noon\"  | body.timestamp is the string \"noon\": send an ISO 8601 time",
        "trace-create      | timestamp           | 1700000000 | body.timestamp is the number 1700000000: send an ISO 8601 time",
        "trace-create      | userId              | []       | body.userId is an array []: send a string id",
        "trace-create      | sessionId           | true     | body.sessionId is the boolean true: send a string id",
        "trace-create      | tags                | \"a\"     | body.tags is the string \"a\": send an array of strings",
        "trace-create      | tags                | [1]      | body.tags holds the number 1: send an array of strings",
        "trace-create      | release             | 1.5      | body.release is the number 1.5: send a string",
        "trace-create      | version             | {}       | body.version is an object {}: send a string",
        "trace-create      | environment         | 7        | body.environment is the number 7: send a string",
        "span-create       | traceId             | {}       | body.traceId is an object {}: send a string id",
        "span-create       | parentObservationId | false    | body.parentObservationId is the boolean false",
        "span-create       | name                | []       | body.name is an array []: send a string",
        "span-create       | startTime           | 5        | body.startTime is the number 5: send an ISO 8601 time",
        "span-create       | endTime             | \"later\" | body.endTime is the string \"later\": send an ISO 8601 time",
        "span-create       | level               | \"LOUD\"  | body.level: Unknown observation level 'LOUD': use one of",
        "span-create       | level               | 3        | body.level is the number 3: send a string",
        "span-create       | statusMessage       | {}       | body.statusMessage is an object {}: send a string",
        "span-create       | version             | 2        | body.version is the number 2: send a string",
        "generation-create | completionStartTime | true     | body.completionStartTime is the boolean true",
        "generation-create | model               | 4        | body.model is the number 4: send a string",
        "generation-create | promptName          | 4        | body.promptName is the number 4: send a string",
        "generation-create | promptVersion       | \"2\"     | body.promptVersion is the string \"2\": send a whole number",
        "generation-create | usage               | \"many\"  | body.usage is the string \"many\": send a JSON object",
        "generation-create | usage               | {\"input\":\"10\"} | body.usage.input is the string \"10\": send a whole number of units",
        "generation-create | usage               | {\"input\":-1} | body.usage.input is the number -1: send a whole number of units, 0 or more",
        "generation-create | usage               | {\"output\":1.5} | body.usage.output is the number 1.5: send a whole number",
        "generation-create | usage               | {\"inputCost\":\"cheap\"} | body.usage.inputCost is the string \"cheap\": send an amount in US dollars",
        "generation-create | usageDetails        | [1]      | body.usageDetails is an array [1]: send a JSON object",
        "generation-create | usageDetails        | {\"prompt_tokens\":{}} | body.usageDetails.prompt_tokens is an object {}: send a whole number",
        "generation-create | usageDetails        | {\"prompt_tokens\":1,\"prompt_tokens_details\":5} | body.usageDetails.prompt_tokens_details is the number 5: send a JSON object",
        "generation-create | costDetails         | {\"input\":true} | body.costDetails.input is the boolean true: send an amount in US dollars",
        "observation-create | type               | \"BIG\"   | body.type: Unknown observation type 'BIG': use one of",
        "score-create      | name                | 1        | body.name is the number 1: send a string",
        "score-create      | dataType            | \"NUMBER\" | body.dataType is 'NUMBER': use NUMERIC, BOOLEAN or CATEGORICAL",
        "score-create      | traceId             | {}       | body.traceId is an object {}: send a string id",
        "score-create      | comment             | 3        | body.comment is the number 3: send a string",
        "score-create      | timestamp           | \"today\" | body.timestamp is the string \"today\": send an ISO 8601 time"})
    void aFieldOfTheWrongTypeIsAnErrorOfItsEventAlone(String type, String field, String value, String message)
            throws IOException {
        ObjectNode bad = validBody(type);
        bad.set(field, ApiJson.MAPPER.readTree(value));
        ObjectNode badEvent = event(type, bad);
        String goodTrace = newId();
        ObjectNode goodEvent = event("trace-create", body("{\"id\":\"" + goodTrace + "\"}"));

        ApiClient.Response response = api.post(INGESTION, batch(goodEvent, badEvent));

        assertThat(response.status()).isEqualTo(207);
        assertThat(response.json().get("errors")).singleElement().satisfies(error -> {
            assertThat(error.get("id").asText()).isEqualTo(badEvent.get("id").asText());
            assertThat(error.get("status").asInt()).isEqualTo(400);
            assertThat(error.get("message").asText()).startsWith(message);
            assertThat(error.get("error").asText()).isEqualTo("Invalid request data");
        });
        assertThat(response.json().get("successes")).singleElement()
                .satisfies(success -> assertThat(success.get("id").asText()).isEqualTo(goodEvent.get("id").asText()));
        assertThat(store.trace(goodTrace)).isPresent();
    }

    private static ObjectNode validBody(String type) {
        String traceId = newId();
        return switch (type) {
            case "trace-create" -> body("{\"id\":\"" + traceId + "\"}");
            case "score-create" -> body("{\"id\":\"" + newId() + "\",\"traceId\":\"" + traceId
                    + "\",\"name\":\"quality\",\"value\":1}");
            default -> body("{\"id\":\"" + newId() + "\",\"traceId\":\"" + traceId + "\",\"type\":\"SPAN\"}");
        };
    }

    @ParameterizedTest(name = "envelope {0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "id        | {}        | batch[0].id is an object {}: send a string id",
        "id        | null      | batch[0].id is missing: give every event an id",
        "type      | 5         | batch[0].type is the number 5: send a string",
        "type      | null      | batch[0].type is missing: use one of",
        "timestamp | true      | batch[0].timestamp is the boolean true: send an ISO 8601 time",
        "body      | \"x\"      | body is the string \"x\": send a JSON object",
        "body      | null      | batch[0].body is missing: send the event's fields in body"})
    void anEnvelopeFieldOfTheWrongTypeIsAnErrorOfItsEventAlone(String field, String value, String message)
            throws IOException {
        ObjectNode bad = event("trace-create", body("{\"id\":\"" + newId() + "\"}"));
        bad.set(field, ApiJson.MAPPER.readTree(value));

        ApiClient.Response response = api.post(INGESTION, batch(bad, event("trace-create",
                body("{\"id\":\"" + newId() + "\"}"))));

        assertThat(response.status()).isEqualTo(207);
        assertThat(response.json().get("errors")).singleElement()
                .satisfies(error -> assertThat(error.get("message").asText()).startsWith(message));
        assertThat(response.json().get("successes")).hasSize(1);
    }

    @ParameterizedTest(name = "type ''{0}''")
    @ValueSource(strings = {"trace-update", "span-delete", "SPAN-CREATE", "dataset-run-item-create", ""})
    void anUnknownEventTypeIsAnErrorOfItsEventAlone(String type) {
        ObjectNode unknown = event(type, body("{\"id\":\"" + newId() + "\"}"));

        ApiClient.Response response = api.post(INGESTION, batch(unknown, event("trace-create",
                body("{\"id\":\"" + newId() + "\"}"))));

        assertThat(response.status()).isEqualTo(207);
        assertThat(response.json().get("errors")).singleElement().satisfies(error -> {
            assertThat(error.get("id").asText()).isEqualTo(unknown.get("id").asText());
            assertThat(error.get("message").asText()).startsWith("Unknown event type '" + type + "': use one of ")
                    .contains("span-create", "agent-create", "observation-update", "sdk-log");
        });
        assertThat(response.json().get("successes")).hasSize(1);
    }

    @Test
    void aScoreOfNothingStorableIsAnErrorSayingWhatToJudge() {
        ApiClient.Response response = api.post(INGESTION, batch(event("score-create",
                body("{\"id\":\"" + newId() + "\",\"name\":\"accuracy\",\"value\":1,\"datasetRunId\":\"run-1\"}"))));

        assertThat(response.json().get("errors").get(0).get("message").asText())
                .startsWith("Score 'accuracy' names neither body.traceId nor body.sessionId");
    }

    @Test
    void anIdOf801CharactersIsAnErrorOfItsEventAlone() {
        ApiClient.Response response = api.post(INGESTION, batch(event("span-create",
                body("{\"id\":\"" + "x".repeat(801) + "\",\"traceId\":\"t\"}"))));

        assertThat(response.json().get("errors").get(0).get("message").asText())
                .startsWith("body.id 'xxxxxxxxxx").endsWith("is 801 characters long: ids may have at most 800 "
                        + "characters");
    }

    @Test
    void aBodyOf50MegabytesIsRefusedWith413AndWhatWasStoredBeforeStays() {
        String earlier = newId();
        IngestionApiTest.ingestInto(api, event("trace-create", body("{\"id\":\"" + earlier + "\",\"name\":\"kept\"}")));
        byte[] huge = hugeBatch(50 * 1024 * 1024);

        ApiClient.Response response = api.post(INGESTION, huge);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.message()).isEqualTo("The request body has " + huge.length + " bytes; the ingestion "
                + "endpoint takes at most 16777216 bytes (16 MiB) per request: send the events in smaller batches. "
                + "Nothing of this request was stored.");
        assertThat(store.trace(earlier)).hasValueSatisfying(tree -> assertThat(tree.name()).isEqualTo("kept"));
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWith413() throws Exception {
        byte[] huge = hugeBatch(IngestionApi.MAX_BODY_BYTES + 1);
        HttpRequest request = HttpRequest.newBuilder(server.url().resolve(INGESTION))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                // Sent in chunks, without a Content-Length: the limit is found while reading.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(ApiJson.MAPPER.readTree(response.body()).get("message").asText())
                .startsWith("The request body has more than 16777216 bytes");
    }

    @Test
    void tenThousandEventsInOneBatchAreAllStored() {
        String traceId = newId();
        ObjectNode[] events = new ObjectNode[10_000];
        events[0] = event("trace-create", body("{\"id\":\"" + traceId + "\",\"name\":\"big batch\"}"));
        for (int i = 1; i < events.length; i++) {
            events[i] = event("span-create", body("{\"id\":\"" + traceId + "-" + i + "\",\"traceId\":\"" + traceId
                    + "\",\"name\":\"step " + i + "\",\"startTime\":\"2026-11-21T05:34:52.082Z\"}"));
        }

        ApiClient.Response response = api.post(INGESTION, batch(events));

        assertThat(response.status()).isEqualTo(207);
        assertThat(response.json().get("errors")).isEmpty();
        assertThat(response.json().get("successes")).hasSize(10_000);
        assertThat(store.trace(traceId)).hasValueSatisfying(tree -> {
            assertThat(tree.name()).isEqualTo("big batch");
            assertThat(tree.observations()).hasSize(9_999);
        });
    }

    /** A batch of one trace whose input is a string making the body about this many bytes. */
    private static byte[] hugeBatch(int bytes) {
        String prefix = "{\"batch\":[{\"id\":\"e1\",\"type\":\"trace-create\",\"body\":{\"id\":\"huge\",\"input\":\"";
        String suffix = "\"}}]}";
        byte[] body = new byte[Math.max(bytes, prefix.length() + suffix.length())];
        Arrays.fill(body, (byte) 'a');
        System.arraycopy(prefix.getBytes(StandardCharsets.UTF_8), 0, body, 0, prefix.length());
        System.arraycopy(suffix.getBytes(StandardCharsets.UTF_8), 0, body, body.length - suffix.length(),
                suffix.length());
        return body;
    }
}
