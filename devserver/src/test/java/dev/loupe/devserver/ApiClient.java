package dev.loupe.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls a running devserver over real HTTP and reads its JSON answers. */
final class ApiClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    ApiClient(URI base) {
        this.base = base;
    }

    /** The status, headers and parsed body of one answer. */
    record Response(int status, HttpResponse<String> raw, JsonNode json) {

        /** Returns the {@code message} of an error answer. */
        String message() {
            return json.path("message").asText();
        }
    }

    /** Sends GET to a path such as {@code /api/public/traces?limit=5}. */
    Response get(String pathAndQuery, String... headers) {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET(), headers);
    }

    /** Sends POST with a JSON body to a path such as {@code /api/public/ingestion}. */
    Response post(String path, String json, String... headers) {
        return post(path, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), headers);
    }

    /** Sends POST with these bytes as a JSON body. */
    Response post(String path, byte[] body, String... headers) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), headers);
    }

    /** Returns the value of a Basic {@code Authorization} header with these credentials. */
    static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Response send(HttpRequest.Builder request, String... headers) {
        try {
            if (headers.length > 0) {
                request.headers(headers);
            }
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            JsonNode json = type.startsWith("application/json") ? ApiJson.MAPPER.readTree(response.body()) : null;
            return new Response(response.statusCode(), response, json);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
