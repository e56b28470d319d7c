package dev.loupe.devserver;

import static dev.loupe.devserver.IngestionApiTest.batch;
import static dev.loupe.devserver.IngestionApiTest.body;
import static dev.loupe.devserver.IngestionApiTest.event;
import static dev.loupe.devserver.IngestionApiTest.newId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.store.TraceStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The API keys over real HTTP: Langfuse's Basic authentication when keys are set, any client when they are not. */
class ApiKeysTest {

    private static final String PUBLIC_KEY = "pk-lf-test";
    private static final String SECRET_KEY = "sk-lf-test";

    @TempDir
    static Path directory;

    static TraceStore store;
    static DevServer server;
    static ApiClient api;

    @BeforeAll
    static void startServerWithKeys() {
        store = TraceStore.open(directory);
        server = DevServer.start(store, "127.0.0.1", 0, new ApiKeys(PUBLIC_KEY, SECRET_KEY));
        api = new ApiClient(server.url());
    }

    @AfterAll
    static void stopServer() {
        server.close();
        store.close();
    }

    private static String aBatch() {
        return batch(event("trace-create", body("{\"id\":\"" + newId() + "\"}")));
    }

    @Nested
    class WithKeys {

        @ParameterizedTest(name = "POST {0}")
        @ValueSource(strings = {"/api/public/ingestion", "/api/public/otel/v1/traces", "/v1/traces"})
        void aWriteWithoutCredentialsIsRefusedWith401(String path) {
            ApiClient.Response response = api.post(path, aBatch());

            assertThat(response.status()).isEqualTo(401);
            assertThat(response.raw().headers().firstValue("WWW-Authenticate"))
                    .hasValue("Basic realm=\"Loupe devserver\", charset=\"UTF-8\"");
            assertThat(response.message()).isEqualTo("The request has no Authorization header: send the keys the "
                    + "devserver was started with (--public-key as the user name, --secret-key as the password), as "
                    + "Langfuse SDKs do with LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY");
        }

        @ParameterizedTest(name = "GET {0}")
        @ValueSource(strings = {"/api/public/traces", "/api/public/projects", "/api/public/v2/observations",
            "/api/public/v2/scores", "/api/public/sessions"})
        void aReadWithoutCredentialsIsRefusedWith401(String path) {
            assertThat(api.get(path).status()).isEqualTo(401);
        }

        @Test
        void wrongKeysAreRefusedWith401() {
            ApiClient.Response response = api.post("/api/public/ingestion", aBatch(),
                    "Authorization", ApiClient.basic(PUBLIC_KEY, "sk-lf-wrong"));

            assertThat(response.status()).isEqualTo(401);
            assertThat(response.message()).startsWith("The request's Basic credentials are not this devserver's keys");
        }

        @Test
        void credentialsOfAnotherSchemeAreRefusedWith401() {
            ApiClient.Response response = api.get("/api/public/traces", "Authorization", "Bearer " + SECRET_KEY);

            assertThat(response.status()).isEqualTo(401);
            assertThat(response.message()).startsWith("The request's Authorization header is not Basic");
        }

        @Test
        void theRightKeysAreServed() {
            String authorization = ApiClient.basic(PUBLIC_KEY, SECRET_KEY);

            assertThat(api.post("/api/public/ingestion", aBatch(), "Authorization", authorization).status())
                    .isEqualTo(207);
            assertThat(api.get("/api/public/traces", "Authorization", authorization).status()).isEqualTo(200);
            assertThat(api.get("/api/public/projects", "Authorization", authorization).json().get("data").get(0)
                    .get("id").asText()).isEqualTo("loupe");
        }

        @Test
        void theHealthCheckAndTheWebUiNeedNoKeys() {
            assertThat(api.get("/api/public/health").status()).isEqualTo(200);
            assertThat(api.get("/").status()).isEqualTo(200);
        }
    }

    @Nested
    class WithoutKeys {

        @Test
        void anyCredentialsAndNoneAreServedOnLoopback() {
            try (TraceStore open = TraceStore.open(directory.resolve("open"));
                    DevServer anyone = DevServer.start(open, "127.0.0.1", 0)) {
                ApiClient client = new ApiClient(anyone.url());

                assertThat(client.post("/api/public/ingestion", aBatch(), "Authorization",
                        ApiClient.basic("pk-lf-anything", "sk-lf-anything")).status()).isEqualTo(207);
                assertThat(client.post("/api/public/ingestion", aBatch()).status()).isEqualTo(207);
                assertThat(client.get("/api/public/projects", "Authorization", "Basic bm9uc2Vuc2U=").status())
                        .isEqualTo(200);
            }
        }
    }

    @Nested
    class Warning {

        private String startAndPrint(List<String> arguments) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            CommandLine commandLine = CommandLine.parse(arguments);
            try (LoupeDevServer.Running running = LoupeDevServer.start(commandLine,
                    new PrintStream(printed, true, StandardCharsets.UTF_8))) {
                return printed.toString(StandardCharsets.UTF_8);
            }
        }

        @Test
        void listeningBeyondLoopbackWithoutKeysPrintsAWarning() {
            String printed = startAndPrint(List.of("--store", directory.resolve("warned").toString(), "--port", "0",
                    "--host", "0.0.0.0"));

            assertThat(printed).contains("Warning: listening on 0.0.0.0 without --public-key and --secret-key: "
                    + "anyone who can reach this address can read and write the traces.");
        }

        @Test
        void listeningBeyondLoopbackWithKeysPrintsNoWarning() {
            String printed = startAndPrint(List.of("--store", directory.resolve("keyed").toString(), "--port", "0",
                    "--host", "0.0.0.0", "--public-key", PUBLIC_KEY, "--secret-key", SECRET_KEY));

            assertThat(printed).contains("Loupe devserver: serving the store").doesNotContain("Warning");
        }

        @Test
        void listeningOnLoopbackWithoutKeysPrintsNoWarning() {
            String printed = startAndPrint(List.of("--store", directory.resolve("local").toString(), "--port", "0"));

            assertThat(printed).contains("Loupe devserver: serving the store").doesNotContain("Warning");
        }
    }
}
