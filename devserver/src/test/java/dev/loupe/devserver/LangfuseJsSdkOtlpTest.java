package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Langfuse JS SDK v5 ({@code @langfuse/tracing} and {@code @langfuse/otel} 5.11.1 on the OpenTelemetry JS
 * SDK, pinned in src/test/node-otel) sends a trace to the devserver's Langfuse OTLP path, from a Node process this
 * test starts. The packages are installed with {@code npm ci} into target/node-otel; the test is skipped only when
 * node or npm is missing.
 */
class LangfuseJsSdkOtlpTest {

    private static final Path SOURCES = Path.of("src", "test", "node-otel");
    private static final Path INSTALL = Path.of("target", "node-otel");

    @TempDir
    Path directory;

    @Test
    void aTraceSentByTheLangfuseJsSdkIsStoredWithItsTypesModelUsageAndTraceAttributes() throws Exception {
        assumeTrue(runs("node", "--version") && runs("npm", "--version"),
                "node and npm are needed to run the Langfuse JS SDK; install them (Debian: apt-get install nodejs "
                        + "npm)");
        install();

        try (TraceStore store = TraceStore.open(directory); DevServer server = DevServer.start(store, "127.0.0.1", 0)) {
            String baseUrl = server.url().toString().replaceAll("/$", "");
            ProcessBuilder command = new ProcessBuilder("node", "send-traces.mjs").directory(INSTALL.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            command.environment().put("LANGFUSE_BASE_URL", baseUrl);
            Process node = command.start();
            String output;
            try {
                output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node finished within 60 s").isTrue();
            } finally {
                node.destroyForcibly();
            }
            assertThat(node.exitValue()).as("node's exit code; its output: " + output).isZero();
            String traceId = new ObjectMapper().readTree(output.lines().reduce((a, b) -> b).orElseThrow())
                    .get("traceId").asText();

            TraceTree trace = store.trace(traceId).orElseThrow();
            assertThat(trace.name()).isEqualTo("node-support");
            assertThat(trace.trace().userId()).isEqualTo("user-7");
            assertThat(trace.trace().sessionId()).isEqualTo("session-7");
            assertThat(trace.trace().tags()).containsExactlyInAnyOrder("node", "v5");
            assertThat(trace.trace().environment()).isEqualTo("node-test");
            assertThat(trace.trace().release()).isEqualTo("r-42");
            assertThat(trace.root().name()).isEqualTo("support-agent");
            assertThat(trace.root().type()).isEqualTo(ObservationType.AGENT);
            assertThat(trace.root().input()).isEqualTo("{\"question\":\"How do I reset my password?\"}");
            assertThat(trace.children(trace.root())).extracting(Observation::name)
                    .containsExactlyInAnyOrder("draft-reply", "search_docs");
            Observation generation = trace.find("draft-reply").orElseThrow();
            assertThat(generation.type()).isEqualTo(ObservationType.GENERATION);
            assertThat(generation.model()).isEqualTo("gpt-4o-mini");
            assertThat(generation.modelParameters()).isEqualTo("{\"temperature\":0.1}");
            // Langfuse's usage details keep cached and reasoning tokens apart; Loupe's totals include them.
            assertThat(generation.usage().input()).isEqualTo(16);
            assertThat(generation.usage().output()).isEqualTo(8);
            assertThat(generation.usage().detail(Usage.CACHED_INPUT)).isEqualTo(4);
            assertThat(generation.usage().detail(Usage.REASONING)).isEqualTo(2);
            assertThat(generation.usage().details()).doesNotContainKeys("input_cached_tokens",
                    "output_reasoning_tokens");
            assertThat(generation.cost().input()).isEqualByComparingTo("0.000035");
            assertThat(generation.cost().details().get(Usage.CACHED_INPUT)).isEqualByComparingTo("0.000005");
            assertThat(generation.cost().total()).isEqualByComparingTo("0.000095");
            assertThat(generation.output()).contains("Settings > Security");
            Observation tool = trace.find("search_docs").orElseThrow();
            assertThat(tool.type()).isEqualTo(ObservationType.TOOL);
            assertThat(tool.level()).isEqualTo(ObservationLevel.WARNING);
            assertThat(tool.statusMessage()).isEqualTo("one hit only");
        }
    }

    /** Copies the pinned packages and the script to target/ and runs npm ci there, unless that lock is installed. */
    private static void install() throws IOException, InterruptedException {
        Files.createDirectories(INSTALL);
        Path lock = INSTALL.resolve("package-lock.json");
        boolean installed = Files.exists(INSTALL.resolve("node_modules"))
                && Files.exists(lock) && Files.mismatch(lock, SOURCES.resolve("package-lock.json")) == -1;
        for (String file : List.of("package.json", "package-lock.json", "send-traces.mjs")) {
            Files.copy(SOURCES.resolve(file), INSTALL.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!installed) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(INSTALL.toFile())
                    .redirectErrorStream(true).start();
            String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0)
                    .as("npm ci of src/test/node-otel failed:%n%s", log).isTrue();
        }
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException absent) {
            return false;
        }
    }
}
