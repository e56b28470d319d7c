package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.fakellm.FakeLlm;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceSummary;
import dev.loupe.replay.LlmProxy;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ObservationType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The devserver runs the recording proxy for apps in other languages: a call made over plain HTTP is recorded from
 * the provider, then replayed with the provider stopped, and each call is a generation in the served store.
 */
class LlmProxyCommandTest {

    private static final String QUESTION = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"What is the capital of France?\"}]}";

    @TempDir
    Path directory;

    private static HttpResponse<String> ask(URI proxy) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(proxy.resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer sk-from-python")
                .POST(HttpRequest.BodyPublishers.ofString(QUESTION)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private LoupeDevServer.Running start(String... llmArguments) {
        List<String> arguments = new ArrayList<>(List.of("--store", directory.resolve("store").toString(),
                "--port", "0", "--llm-proxy-port", "0", "--llm-recordings",
                directory.resolve("calls.json").toString()));
        arguments.addAll(List.of(llmArguments));
        return LoupeDevServer.start(CommandLine.parse(arguments),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void aCallRecordedThroughTheDevserverIsReplayedWithTheProviderStoppedAndBothAreGenerationsInTheStore()
            throws Exception {
        String recorded;
        try (FakeLlm llm = FakeLlm.start()) {
            llm.reply("Paris.").usage(11, 2);
            try (LoupeDevServer.Running running = start("--llm-proxy", "record", "--llm-upstream", llm.rootUrl())) {
                HttpResponse<String> response = ask(running.proxy().proxy().baseUrl());
                assertThat(response.statusCode()).isEqualTo(200);
                recorded = response.body();
            }
        }
        assertThat(Files.readString(directory.resolve("calls.json"))).contains("What is the capital of France?")
                .doesNotContain("sk-from-python");

        try (LoupeDevServer.Running running = start("--llm-proxy", "replay")) {
            HttpResponse<String> response = ask(running.proxy().proxy().baseUrl());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(recorded).contains("Paris.");
        }

        try (TraceStore store = TraceStore.open(directory.resolve("store"))) {
            List<TraceSummary> traces = store.traces(TraceQuery.builder().page(PageRequest.first(10)).build()).items();
            assertThat(traces).hasSize(2).allSatisfy(trace -> assertThat(trace.trace().name())
                    .isEqualTo("chat gpt-4o-mini"));
            List<String> markers = traces.stream().map(trace -> store.trace(trace.trace().id()).orElseThrow().root())
                    .peek(root -> assertThat(root.type()).isEqualTo(ObservationType.GENERATION))
                    .peek(root -> assertThat(root.usage().input()).isEqualTo(11L))
                    .map(Observation::metadata).toList();
            assertThat(markers).anySatisfy(metadata -> assertThat(metadata)
                    .contains("\"" + LlmProxy.MARKER + "\":\"recorded\""));
            assertThat(markers).anySatisfy(metadata -> assertThat(metadata)
                    .contains("\"" + LlmProxy.MARKER + "\":\"replayed\""));
        }
    }
}
