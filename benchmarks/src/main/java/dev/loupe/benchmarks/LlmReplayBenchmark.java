package dev.loupe.benchmarks;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.fakellm.FakeLlm;
import dev.loupe.replay.LlmProxy;
import dev.loupe.replay.ReplayMode;
import dev.loupe.trace.Tracer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replay: what a model call costs when Loupe's proxy replays it from a recording, against the same call answered
 * directly by a model server on loopback. Both sides send the same chat-completions request with the JDK's HTTP
 * client and read the whole answer; the replayed call is also traced (a generation into an engine without a store)
 * and has a test session of its own, as under {@code @LlmReplay}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LlmReplayBenchmark {

    static final String QUESTION = "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"messages\":["
            + "{\"role\":\"system\",\"content\":\"You answer questions about capitals in one sentence.\"},"
            + "{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}";

    /** A fake provider answering every call, and a proxy replaying the one recorded call. */
    @State(Scope.Benchmark)
    public static class Servers {
        FakeLlm provider;
        LlmProxy proxy;
        Tracer tracer;
        HttpClient client;
        Path directory;

        /** Starts the provider, records the call once, then starts the proxy in replay mode on that recording. */
        @Setup(Level.Trial)
        public void setUp() throws IOException, InterruptedException {
            provider = FakeLlm.start();
            provider.reply("Paris is the capital of France.").usage(24, 8).times(Integer.MAX_VALUE);
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            directory = Files.createTempDirectory("loupe-bench-replay");
            Path recordings = directory.resolve("recordings.json");
            try (LlmProxy recorder = LlmProxy.builder().mode(ReplayMode.RECORD).upstream(provider.rootUrl())
                    .recordingsFile(recordings).tracer(Tracer.noop()).start();
                    LlmProxy.Session session = recorder.openSession("benchmark", null, null)) {
                send(session.openAiBaseUrl());
            }
            tracer = TracerBuilder.create().withoutStore().shutdownHook(false).build();
            proxy = LlmProxy.builder().mode(ReplayMode.REPLAY).recordingsFile(recordings).tracer(tracer).start();
        }

        String send(URI base) throws IOException, InterruptedException {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer sk-bench")
                    .POST(HttpRequest.BodyPublishers.ofString(QUESTION)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("The call failed with " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        }

        /** Stops everything. */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            proxy.close();
            tracer.close();
            provider.close();
            Directories.delete(directory);
        }
    }

    /** The call answered by the loopback model server itself. */
    @Benchmark
    public String direct(Servers servers) throws IOException, InterruptedException {
        return servers.send(URI.create(servers.provider.baseUrl()));
    }

    /** The same call replayed by Loupe's proxy from its recording, in a test session of its own. */
    @Benchmark
    public String replayed(Servers servers) throws IOException, InterruptedException {
        try (LlmProxy.Session session = servers.proxy.openSession("benchmark", null, null)) {
            return servers.send(session.openAiBaseUrl());
        }
    }
}
