package dev.loupe.devserver;

import static dev.loupe.devserver.RawHttp.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.store.TraceStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each read endpoint and each file of the web UI answers GET, HEAD and OPTIONS, and any other method with 405 and an
 * {@code Allow} header, over a real socket.
 */
class HttpMethodTest {

    static TraceStore store;
    static DevServer server;
    static RawHttp http;

    @BeforeAll
    static void startServer() {
        store = TraceStore.inMemory();
        SampleTraces.recordInto(store);
        server = DevServer.start(store, "127.0.0.1", 0);
        http = new RawHttp(server.port());
    }

    @AfterAll
    static void stopServer() {
        server.close();
        store.close();
    }

    @ParameterizedTest(name = "{0} {1} answers 405")
    @CsvSource({
        "POST,   /api/public/traces",
        "PUT,    /api/public/traces/some-trace",
        "DELETE, /api/public/observations/some-observation",
        "PATCH,  /api/public/sessions",
        "TRACE,  /api/public/scores",
        "BREW,   /api/public/test-runs",
        "POST,   /",
        "PUT,    /app.js",
        "DELETE, /views/trace.js",
    })
    void answersAnotherMethodOnAnExistingPathWith405AndTheAllowedMethods(String method, String path) {
        RawHttp.Response response = http.send(request(method, path, "Content-Length: 0"));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).hasValue("GET, HEAD, OPTIONS");
        assertThat(response.header("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.message()).isEqualTo(method + " is not allowed on " + path
                + ": use GET (this path answers GET, HEAD, OPTIONS)");
    }

    @ParameterizedTest(name = "{0} {1} answers 404")
    @CsvSource({
        "POST,   /api/public/teams, No endpoint POST /api/public/teams",
        "DELETE, /nothing.js,       Nothing at /nothing.js",
    })
    void answersAnyMethodOnAPathThatDoesNotExistWith404(String method, String path, String message) {
        RawHttp.Response response = http.send(request(method, path, "Content-Length: 0"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Allow")).isEmpty();
        assertThat(response.message()).startsWith(message);
    }

    @ParameterizedTest(name = "OPTIONS {0} answers 204")
    @CsvSource({"/api/public/traces", "/api/public/traces/some-trace", "/", "/app.js"})
    void answersOptionsWithTheAllowedMethodsAndNoBody(String path) {
        RawHttp.Response response = http.send(request("OPTIONS", path));

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Allow")).hasValue("GET, HEAD, OPTIONS");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void answersHeadOfAListWithTheStatusAndTypeOfGetAndNoBody() {
        RawHttp.Response response = http.send(request("HEAD", "/api/public/traces"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).isEmpty();
    }

    @ParameterizedTest(name = "HEAD {0} answers {1}")
    @CsvSource({
        "/api/public/traces/no-such-trace, 404",
        "/api/public/traces?limit=ten,     400",
        "/api/public/teams,                404",
    })
    void answersHeadOfAnErrorWithTheErrorsStatusAndNoBody(String path, int status) {
        RawHttp.Response response = http.send(request("HEAD", path));

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).isEmpty();
    }
}
