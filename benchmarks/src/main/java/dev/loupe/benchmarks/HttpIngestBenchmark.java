package dev.loupe.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.devserver.BenchmarkDevServer;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.store.ObservationQuery;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.Tracer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * ingest-http: ingestion through Langfuse's ingestion API over loopback HTTP against B2's in-process ingest, on the same
 * {@value #TRACE_COUNT} traces of {@value IngestBenchmark#OBSERVATIONS_PER_TRACE} observations (B2's traces: a root
 * span and generations with usage, tool calls and spans under it). Over HTTP each trace is {@value #EVENTS_PER_TRACE}
 * events (a {@code trace-create} and a create per observation), sent by one client in batches of
 * {@value #EVENTS_PER_BATCH} to a devserver over a new H2 file store; the time runs until the last batch is answered,
 * which the devserver does once the batch is written. In process, B2's tracer records the same traces into a new file
 * store until {@code flush()} returns. The batches' JSON is built before the measurement, as an SDK builds it in the
 * application.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class HttpIngestBenchmark {

    static final int TRACE_COUNT = 2_000;
    static final int EVENTS_PER_TRACE = IngestBenchmark.OBSERVATIONS_PER_TRACE + 1;
    static final int EVENT_COUNT = TRACE_COUNT * EVENTS_PER_TRACE;
    static final int EVENTS_PER_BATCH = 100;

    /** Sends every batch to the devserver, one after the other, each answered once it is written. */
    @Benchmark
    public void overHttp(DevServerState state) throws IOException, InterruptedException {
        for (byte[] batch : state.batches) {
            HttpResponse<String> response = state.client.send(HttpRequest.newBuilder(state.ingestion)
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Basic cGstbGYtYmVuY2g6c2stbGYtYmVuY2g=")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(batch)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 207 || !response.body().endsWith("\"errors\":[]}")) {
                throw new IllegalStateException("The devserver answered " + response.statusCode() + ": "
                        + response.body().substring(Math.max(0, response.body().length() - 500)));
            }
        }
    }

    /** Records the same traces through a tracer in this process (B2's Loupe side) until they are written. */
    @Benchmark
    public void inProcess(TracerState state) {
        for (int index = 0; index < TRACE_COUNT; index++) {
            IngestBenchmark.recordTrace(state.tracer, index);
        }
        if (!state.tracer.flush(Duration.ofMinutes(10))) {
            throw new IllegalStateException("Loupe did not write the traces within 10 minutes");
        }
    }

    /** A devserver over a new, empty file store, and the workload's batches as JSON. */
    @State(Scope.Thread)
    public static class DevServerState {
        List<byte[]> batches;
        HttpClient client;
        Path directory;
        TraceStore store;
        BenchmarkDevServer server;
        URI ingestion;

        /** Builds the batches once per trial. */
        @Setup(Level.Trial)
        public void buildBatches() {
            batches = batches();
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        }

        /** Starts a devserver over a new file store. */
        @Setup(Level.Iteration)
        public void start() {
            directory = Directories.fresh("b7-http-");
            store = TraceStore.open(directory);
            server = BenchmarkDevServer.start(store);
            ingestion = server.url().resolve("/api/public/ingestion");
        }

        /** Checks that every trace and observation arrived, and stops the server. */
        @TearDown(Level.Iteration)
        public void checkAndStop() {
            server.close();
            check(store, "over HTTP");
            store.close();
            Directories.delete(directory);
        }
    }

    /** A tracer writing to a new, empty file store, as B2's; it may block but never drops. */
    @State(Scope.Thread)
    public static class TracerState {
        Path directory;
        TraceStore store;
        Tracer tracer;

        /** Opens a new file store and a tracer that writes to it. */
        @Setup(Level.Iteration)
        public void open() {
            directory = Directories.fresh("b7-tracer-");
            store = TraceStore.open(directory);
            tracer = TracerBuilder.create().store(store).offerTimeout(Duration.ofMinutes(1))
                    .maxBatchSize(IngestBenchmark.BATCH_SIZE).shutdownHook(false).build();
        }

        /** Checks that every trace and observation arrived, and closes the tracer and store. */
        @TearDown(Level.Iteration)
        public void checkAndClose() {
            tracer.close();
            check(store, "in process");
            store.close();
            Directories.delete(directory);
        }
    }

    private static void check(TraceStore store, String how) {
        long traces = store.traces(TraceQuery.builder().page(PageRequest.first(1)).build()).totalItems();
        long observations = store.observations(ObservationQuery.builder().page(PageRequest.first(1)).build())
                .totalItems();
        if (traces != TRACE_COUNT || observations != (long) TRACE_COUNT * IngestBenchmark.OBSERVATIONS_PER_TRACE) {
            throw new IllegalStateException("Loupe stored " + traces + " traces and " + observations
                    + " observations " + how + "; expected " + TRACE_COUNT + " and "
                    + TRACE_COUNT * IngestBenchmark.OBSERVATIONS_PER_TRACE);
        }
    }

    /** The workload as Langfuse ingestion batches, B2's traces event by event. */
    static List<byte[]> batches() {
        ObjectMapper mapper = new ObjectMapper();
        Instant start = Instant.parse("2026-01-05T10:00:00Z");
        List<ObjectNode> events = new ArrayList<>(EVENT_COUNT);
        for (int index = 0; index < TRACE_COUNT; index++) {
            String traceId = "b7-trace-" + index;
            Instant began = start.plusMillis(index * 100L);
            ObjectNode trace = mapper.createObjectNode().put("id", traceId).put("name", "ingest-agent")
                    .put("timestamp", began.toString()).put("input", "request " + index)
                    .put("output", "answer " + index).put("userId", "user-" + index % 100)
                    .put("sessionId", "session-" + index / 10);
            events.add(event(mapper, "trace-create", began, trace));
            String rootId = traceId + "-root";
            events.add(event(mapper, "span-create", began, mapper.createObjectNode().put("id", rootId)
                    .put("traceId", traceId).put("name", "ingest-agent").put("startTime", began.toString())
                    .put("endTime", began.plusMillis(90).toString()).put("input", "request " + index)
                    .put("output", "answer " + index)));
            for (int step = 1; step < IngestBenchmark.OBSERVATIONS_PER_TRACE; step++) {
                Instant at = began.plusMillis(step * 4L);
                ObjectNode body = mapper.createObjectNode().put("id", traceId + "-" + step).put("traceId", traceId)
                        .put("parentObservationId", rootId).put("startTime", at.toString())
                        .put("endTime", at.plusMillis(3).toString());
                String type;
                switch (step % 3) {
                    case 0 -> {
                        type = "generation-create";
                        body.put("name", "llm-call").put("model", IngestBenchmark.MODEL)
                                .put("input", "prompt " + step).put("output", "completion " + step);
                        body.putObject("usageDetails").put("input", 120).put("output", 45);
                    }
                    case 1 -> {
                        type = "tool-create";
                        body.put("name", "tool-call").put("input", "arguments " + step)
                                .put("output", "result " + step);
                    }
                    default -> {
                        type = "span-create";
                        body.put("name", "step").put("input", "step " + step).put("output", "done " + step);
                    }
                }
                events.add(event(mapper, type, at, body));
            }
        }
        List<byte[]> batches = new ArrayList<>();
        for (int from = 0; from < events.size(); from += EVENTS_PER_BATCH) {
            ObjectNode batch = mapper.createObjectNode();
            ArrayNode array = batch.putArray("batch");
            events.subList(from, Math.min(events.size(), from + EVENTS_PER_BATCH)).forEach(array::add);
            try {
                batches.add(mapper.writeValueAsBytes(batch));
            } catch (IOException impossible) {
                throw new UncheckedIOException(impossible);
            }
        }
        return batches;
    }

    private static ObjectNode event(ObjectMapper mapper, String type, Instant at, ObjectNode body) {
        ObjectNode event = mapper.createObjectNode().put("id", type + "-" + body.get("id").asText())
                .put("type", type).put("timestamp", at.toString());
        event.set("body", body);
        return event;
    }
}
