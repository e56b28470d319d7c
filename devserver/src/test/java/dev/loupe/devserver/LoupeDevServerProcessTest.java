package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The devserver's command line, run as a person runs it: in its own JVM, through {@link LoupeDevServer#main}. */
class LoupeDevServerProcessTest {

    @TempDir
    Path directory;

    @Test
    void exitsWithStatus2AndNamesTheArgumentWhenOneIsBad() throws Exception {
        Finished run = runToEnd("--port", "http");

        assertThat(run.status()).isEqualTo(LoupeDevServer.BAD_ARGUMENTS);
        assertThat(run.errors()).contains("loupe-devserver: --port is 'http': use a port number from 0 to 65535")
                .contains("--help");
    }

    @Test
    void printsTheUsageAndExitsForHelp() throws Exception {
        Finished run = runToEnd("--help");

        assertThat(run.status()).isZero();
        assertThat(run.output()).startsWith("Usage: java -jar loupe-devserver.jar");
    }

    @Test
    void exitsWithStatus1WhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Finished run = runToEnd("--store", directory.toString(), "--port", String.valueOf(taken.getLocalPort()));

            assertThat(run.status()).isEqualTo(LoupeDevServer.CANNOT_START);
            assertThat(run.errors()).contains("Cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void seedsTheDemoDataPrintsTheAddressAndServesIt() throws Exception {
        Path store = directory.resolve("store");
        try (OtherJvm server = OtherJvm.start(LoupeDevServer.class, directory.resolve("errors.log"),
                "--store", store.toString(), "--port", "0", "--demo")) {
            assertThat(server.readLine()).isEqualTo("Recorded 12 demo traces and a test run (environment 'demo')");
            assertThat(server.readLine()).isEqualTo("Loupe devserver: serving the store " + store.toAbsolutePath());
            String open = server.readLine();
            assertThat(open).matches("Open http://127\\.0\\.0\\.1:\\d+/");

            ApiClient api = new ApiClient(URI.create(open.substring("Open ".length())));

            assertThat(api.get("/api/public/traces").json().get("meta").get("totalItems").asInt()).isEqualTo(12);
            assertThat(api.get("/api/public/test-runs").json().get("meta").get("totalItems").asInt()).isEqualTo(1);
            assertThat(api.get("/api/public/sessions/chat-7f3a9c-alice").json().get("traces")).hasSize(3);
            assertThat(api.get("/").status()).isEqualTo(200);
        }
    }

    @Test
    void stopsCleanlyOnSigtermClosingItsStoreBeforeH2Would() throws Exception {
        Path store = directory.resolve("store");
        Path errors = directory.resolve("errors.log");
        try (OtherJvm server = OtherJvm.start(LoupeDevServer.class, errors,
                "--store", store.toString(), "--port", "0", "--demo")) {
            while (!String.valueOf(server.readLine()).startsWith("Open ")) {
                // wait until it serves
            }
            server.terminate();
        }

        try (var files = Files.list(store)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .as("H2 writes a .trace.db file when closing the store fails").noneMatch(name -> name.endsWith(".trace.db"));
        }
        assertThat(Files.readString(errors, StandardCharsets.UTF_8)).doesNotContain("Exception");
    }

    private record Finished(int status, String output, String errors) {
    }

    private Finished runToEnd(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LoupeDevServer.class.getName()));
        command.addAll(List.of(arguments));
        Path output = directory.resolve("out.txt");
        Path errors = directory.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(errors.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("loupe-devserver " + String.join(" ", arguments)
                    + " did not end within 60 seconds");
        }
        return new Finished(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8),
                Files.readString(errors, StandardCharsets.UTF_8));
    }
}
