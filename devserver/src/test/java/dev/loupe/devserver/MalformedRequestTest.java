package dev.loupe.devserver;

import static dev.loupe.devserver.RawHttp.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.loupe.store.TraceStore;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error answer is the documented JSON {@code {"message": ...}}, whether Jetty refuses the request before
 * Javalin sees it, Javalin finds no route, or the API refuses a parameter: sent byte for byte over a real socket.
 */
class MalformedRequestTest {

    static TraceStore store;
    static DevServer server;
    static RawHttp http;

    @BeforeAll
    static void startServer() {
        store = TraceStore.inMemory();
        server = DevServer.start(store, "127.0.0.1", 0);
        http = new RawHttp(server.port());
    }

    @AfterAll
    static void stopServer() {
        server.close();
        store.close();
    }

    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                // Refused by Jetty while it parses the request.
                arguments("a malformed percent escape in the path", request("GET", "/api/public/traces/%zz"),
                        400, "The request is malformed (a malformed percent escape)"),
                arguments("a percent sign that ends the path", request("GET", "/api/public/traces/abc%"),
                        400, "(Bad URI % encoding)"),
                arguments("escaped bytes in the path that are not UTF-8", request("GET", "/api/public/traces/%ff%fe"),
                        400, "(Bad UTF-8 encoding)"),
                arguments("a raw byte above ASCII in the path", bytes("GET /api/public/traces/\u00ff HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n"), 400, "(Illegal Path Character)"),
                arguments("a backslash in the path", request("GET", "/api/public/traces\\x"),
                        400, "(Illegal Path Character)"),
                arguments("an escaped NUL in the path", request("GET", "/api/public/traces/a%00b"),
                        400, "(Illegal character in path)"),
                arguments("a space in the path", request("GET", "/api/public/tr aces"),
                        400, "(Illegal character SPACE=' ')"),
                arguments("a control character in the path", request("GET", "/api/public/tr\u0001aces"),
                        400, "(Illegal character CNTL=0x1)"),
                arguments("a request line without a URI", bytes("HELLO\r\n\r\n"), 400, "(No URI)"),
                arguments("no Host header", bytes("GET /api/public/traces HTTP/1.1\r\nConnection: close\r\n\r\n"),
                        400, "(No Host)"),
                arguments("two Host headers", request("GET", "/api/public/traces", "Host: localhost"),
                        400, "(Duplicate Host Header)"),
                arguments("a malformed Host header", bytes("GET /api/public/traces HTTP/1.1\r\nHost: [::1\r\n"
                        + "Connection: close\r\n\r\n"), 400, "(Bad HostPort)"),
                arguments("a header line without a colon", request("GET", "/api/public/traces", "NoColon"),
                        400, "(Illegal character"),
                arguments("a folded header line", request("GET", "/api/public/traces", "X-A: a", " b"),
                        400, "(Line Folding not supported)"),
                arguments("a Content-Length that is not a number", request("GET", "/api/public/traces",
                        "Content-Length: abc"), 400, "(Invalid Content-Length Value)"),
                arguments("an HTTP version that does not exist", bytes("GET /api/public/traces HTTP/2.5\r\n"
                        + "Host: 127.0.0.1\r\n\r\n"), 505, "HTTP version is not supported (Unknown Version)"),
                arguments("HTTP/0.9", bytes("GET /api/public/traces\r\n"), 505, "HTTP version is not supported"),
                arguments("a URI of 20,000 characters", request("GET", "/api/public/traces?name=" + "a".repeat(20_000)),
                        414, "The request's URI is too long"),
                arguments("a header of 20,000 characters", request("GET", "/api/public/traces",
                        "X-Big: " + "a".repeat(20_000)), 431, "The request's headers are too large"),
                arguments("an expectation that Jetty does not meet", request("GET", "/api/public/traces",
                        "Expect: miracles"), 417, "417 Expectation Failed"),
                // Refused by the API while it reads the query string.
                arguments("a malformed percent escape in a query value", request("GET", "/api/public/traces?limit=%zz"),
                        400, "Query parameter limit has a malformed percent escape '%zz'"),
                arguments("a malformed percent escape in a query name", request("GET", "/api/public/traces?%zz=1"),
                        400, "The query string has a malformed percent escape '%zz' in '%zz=1'"),
                arguments("a percent sign that ends a query value", request("GET", "/api/public/traces?name=%"),
                        400, "Query parameter name has a malformed percent escape '%'"),
                arguments("escaped bytes in the query that are not UTF-8", request("GET", "/api/public/traces?name=%ff"),
                        400, "Query parameter name is not UTF-8 in 'name=%ff'"),
                arguments("an overlong UTF-8 sequence in the query", request("GET",
                        "/api/public/traces?name=%C0%AF"), 400, "Query parameter name is not UTF-8"),
                arguments("a fullwidth digit as a number", request("GET", "/api/public/traces?limit=%EF%BC%91"),
                        400, "limit is '\uff11': use a whole number written with the digits 0-9"),
                // Refused by the routes.
                arguments("an unknown endpoint", request("GET", "/api/public/teams"),
                        404, "No endpoint GET /api/public/teams"),
                arguments("an unknown page", request("GET", "/nothing.html"),
                        404, "Nothing at /nothing.html: the web UI is at /"),
                arguments("a directory of the web UI", request("GET", "/views/"), 404, "Nothing at /views/"),
                arguments("a WebSocket handshake", request("GET", "/api/public/traces", "Sec-WebSocket-Version: 13"),
                        404, "(WebSocket handler not found)"),
                arguments("another host name", bytes("GET /api/public/traces HTTP/1.1\r\nHost: attacker.example\r\n"
                        + "Connection: close\r\n\r\n"), 403, "not to 'attacker.example'"),
                arguments("HTTP/1.0 without a Host header", bytes("GET /api/public/traces HTTP/1.0\r\n\r\n"),
                        403, "this request has none"));
    }

    @ParameterizedTest(name = "{0} answers {2} as JSON")
    @MethodSource("malformedRequests")
    void answersAMalformedRequestWithJsonNamingTheProblem(String problem, byte[] request, int status,
            String message) {
        RawHttp.Response response = http.send(request);

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.message()).contains(message);
        assertThat(response.body()).doesNotContain("<html").doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static byte[] bytes(String request) {
        return request.getBytes(StandardCharsets.ISO_8859_1);
    }
}
