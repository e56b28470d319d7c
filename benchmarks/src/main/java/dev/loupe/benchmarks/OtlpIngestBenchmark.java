package dev.loupe.benchmarks;

import com.google.protobuf.ByteString;
import dev.loupe.devserver.LoupeDevServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * otlp-ingest: OTLP ingest over loopback HTTP. A devserver runs in a process of its own on a new file store, started once per
 * trial (its warm-up iterations warm it up too); each iteration sends it {@value #SPAN_COUNT} new spans in
 * {@value #TRACE_COUNT} traces of {@value #SPANS_PER_TRACE} (a root, GenAI chat generations with model and usage, tool
 * executions and plain spans), as OTLP/protobuf requests of {@value #BATCH_SIZE} spans each, one after the other as an
 * exporter's batch processor does. The time runs from the first request until the last is answered: the devserver
 * answers once the spans are written. The requests are built before each iteration, with new ids. Its rate in spans
 * per second is set against B2's in-process rate in the same run (whose store is new each iteration; this one grows
 * by {@value #SPAN_COUNT} spans per iteration).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OtlpIngestBenchmark {

    static final int BATCH_SIZE = 512;
    static final int SPANS_PER_TRACE = 20;
    static final int BATCHES = 100;
    static final int SPAN_COUNT = BATCHES * BATCH_SIZE;
    static final int TRACE_COUNT = SPAN_COUNT / SPANS_PER_TRACE;

    /** Sends every request and waits for each answer. */
    @Benchmark
    public void otlpProtobuf(Devserver state) throws Exception {
        for (byte[] body : state.requests) {
            HttpResponse<byte[]> response = state.http.send(HttpRequest.newBuilder(state.endpoint)
                    .header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("The devserver answered " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
        }
    }

    /** A devserver process on a new store, and the requests of one iteration. */
    @org.openjdk.jmh.annotations.State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Devserver {
        final HttpClient http = HttpClient.newHttpClient();
        Path directory;
        Process process;
        URI endpoint;
        List<byte[]> requests;

        /** Builds the requests of the next iteration. */
        @Setup(Level.Iteration)
        public void prepare() {
            requests = requests();
        }

        /** Starts a devserver on a new store. */
        @Setup(Level.Trial)
        public void start() throws Exception {
            directory = Directories.fresh("b8-devserver-");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-cp", System.getProperty("java.class.path"), LoupeDevServer.class.getName(),
                    "--store", directory.toString(), "--port", String.valueOf(port))
                    .redirectErrorStream(true).start();
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = output.readLine()) != null && !line.startsWith("Open ")) {
                // skip until the server says where it serves
            }
            if (line == null) {
                throw new IllegalStateException("The devserver did not start (exit " + process.waitFor() + ")");
            }
            endpoint = URI.create(line.substring("Open ".length()).trim()).resolve("/v1/traces");
            Thread drain = new Thread(() -> output.lines().forEach(ignored -> { }), "b8-devserver-output");
            drain.setDaemon(true);
            drain.start();
        }

        /** Stops the devserver and deletes its store. */
        @TearDown(Level.Trial)
        public void stop() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            Directories.delete(directory);
        }
    }

    /** The requests of one iteration: new trace and span ids, the same content every time. */
    static List<byte[]> requests() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Resource resource = Resource.newBuilder().addAttributes(string("service.name", "bench-agent")).build();
        InstrumentationScope scope = InstrumentationScope.newBuilder().setName("bench").build();
        List<byte[]> requests = new ArrayList<>(BATCHES);
        long start = System.currentTimeMillis() * 1_000_000L;
        int traceIndex = 0;
        for (int batch = 0; batch < BATCHES; batch++) {
            ScopeSpans.Builder spans = ScopeSpans.newBuilder().setScope(scope);
            for (int trace = 0; trace < BATCH_SIZE / SPANS_PER_TRACE; trace++, traceIndex++) {
                ByteString traceId = bytes(random, 16);
                ByteString rootId = bytes(random, 8);
                spans.addSpans(Span.newBuilder().setTraceId(traceId).setSpanId(rootId).setName("ingest-agent")
                        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + 50_000_000L)
                        .addAttributes(string("gen_ai.operation.name", "invoke_agent"))
                        .addAttributes(string("user.id", "user-" + traceIndex % 100))
                        .addAttributes(string("session.id", "session-" + traceIndex / 10)));
                for (int step = 1; step < SPANS_PER_TRACE; step++) {
                    Span.Builder span = Span.newBuilder().setTraceId(traceId).setSpanId(bytes(random, 8))
                            .setParentSpanId(rootId)
                            .setStartTimeUnixNano(start + step * 1_000_000L)
                            .setEndTimeUnixNano(start + step * 1_000_000L + 500_000L);
                    switch (step % 3) {
                        case 0 -> span.setName("chat gpt-4o-mini")
                                .addAttributes(string("gen_ai.operation.name", "chat"))
                                .addAttributes(string("gen_ai.request.model", "gpt-4o-mini"))
                                .addAttributes(string("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":"
                                        + "[{\"type\":\"text\",\"content\":\"prompt " + step + "\"}]}]"))
                                .addAttributes(integer("gen_ai.usage.input_tokens", 120))
                                .addAttributes(integer("gen_ai.usage.output_tokens", 45));
                        case 1 -> span.setName("execute_tool search")
                                .addAttributes(string("gen_ai.operation.name", "execute_tool"))
                                .addAttributes(string("gen_ai.tool.call.arguments", "{\"q\":\"arguments " + step
                                        + "\"}"))
                                .addAttributes(string("gen_ai.tool.call.result", "result " + step));
                        default -> span.setName("step")
                                .addAttributes(string("input.value", "step " + step));
                    }
                    spans.addSpans(span);
                }
            }
            requests.add(ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                    .setResource(resource).addScopeSpans(spans)).build().toByteArray());
        }
        return requests;
    }

    private static ByteString bytes(ThreadLocalRandom random, int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        bytes[0] |= 1;   // never all zero
        return ByteString.copyFrom(bytes);
    }

    private static KeyValue string(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }
}
