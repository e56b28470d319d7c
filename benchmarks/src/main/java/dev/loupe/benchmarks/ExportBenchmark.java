package dev.loupe.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.opentelemetry.export.OtlpExport;
import dev.loupe.opentelemetry.export.OtlpExportStats;
import dev.loupe.store.ObservationQuery;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ExporterStats;
import dev.loupe.trace.Tracer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * What the OTLP export adds to B2's ingest: the same {@value IngestBenchmark#OBSERVATION_COUNT} observations in
 * traces of {@value IngestBenchmark#OBSERVATIONS_PER_TRACE}, recorded into a new H2 file store, once with an
 * {@link OtlpExport} alongside the store that posts every span over loopback HTTP to a receiver that decodes them
 * with the opentelemetry-proto classes, and once with the store alone. The time runs until {@code tracer.flush()}
 * returns, which waits for the export's spans to be taken as well. Neither side may drop.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ExportBenchmark {

    /** Records the workload into a new file store and exports it over loopback OTLP/HTTP. */
    @Benchmark
    public void storeAndExport(Exporting state) {
        record(state.tracer);
    }

    /** Records the workload into a new file store only, as B2 does. */
    @Benchmark
    public void storeOnly(StoreOnly state) {
        record(state.tracer);
    }

    private static void record(Tracer tracer) {
        for (int index = 0; index < IngestBenchmark.TRACE_COUNT; index++) {
            IngestBenchmark.recordTrace(tracer, index);
        }
        if (!tracer.flush(Duration.ofMinutes(10))) {
            throw new IllegalStateException("Loupe did not write and export the traces within 10 minutes");
        }
    }

    /** A tracer writing to a new file store, and the OTLP export to a loopback receiver alongside it. */
    @State(Scope.Thread)
    public static class Exporting {
        Path directory;
        TraceStore store;
        OtlpExport export;
        Tracer tracer;
        HttpServer receiver;
        final AtomicLong received = new AtomicLong();

        /** Starts the receiver, once per trial. */
        @Setup(Level.Trial)
        public void startReceiver() throws IOException {
            receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            receiver.createContext("/v1/traces", exchange -> {
                try (exchange; InputStream body = exchange.getRequestBody()) {
                    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
                    long spans = 0;
                    for (ResourceSpans resource : request.getResourceSpansList()) {
                        for (ScopeSpans scope : resource.getScopeSpansList()) {
                            spans += scope.getSpansCount();
                        }
                    }
                    received.addAndGet(spans);
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            receiver.setExecutor(Executors.newSingleThreadExecutor());
            receiver.start();
        }

        /** Opens a new file store, and a tracer that writes to it and exports. */
        @Setup(Level.Iteration)
        public void open() {
            received.set(0);
            directory = Directories.fresh("export-");
            store = TraceStore.open(directory);
            export = OtlpExport.builder()
                    .endpoint("http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces")
                    .maxQueueSize(IngestBenchmark.OBSERVATION_COUNT * 2).maxQueueBytes(1L << 30)
                    .flushTimeout(Duration.ofMinutes(10)).build();
            tracer = TracerBuilder.create().store(store).sink(export).offerTimeout(Duration.ofMinutes(1))
                    .maxBatchSize(IngestBenchmark.BATCH_SIZE).shutdownHook(false).build();
        }

        /** Checks that every record was stored and every span taken, and closes the tracer and store. */
        @TearDown(Level.Iteration)
        public void checkAndClose() {
            ExporterStats stats = tracer.stats();
            OtlpExportStats exported = export.stats();
            tracer.close();
            long observations = store.observations(ObservationQuery.builder().page(PageRequest.first(1)).build())
                    .totalItems();
            store.close();
            Directories.delete(directory);
            RunFacts.record("export.spansDropped", exported.dropped());
            RunFacts.record("export.requests", exported.requests());
            if (stats.lost() > 0 || observations != IngestBenchmark.OBSERVATION_COUNT
                    || exported.exported() != IngestBenchmark.OBSERVATION_COUNT || exported.dropped() > 0
                    || received.get() != IngestBenchmark.OBSERVATION_COUNT) {
                throw new IllegalStateException("Loupe stored " + observations + " observations (" + stats
                        + ") and exported " + exported + ", the receiver took " + received.get() + " spans; expected "
                        + IngestBenchmark.OBSERVATION_COUNT);
            }
        }

        /** Stops the receiver. */
        @TearDown(Level.Trial)
        public void stopReceiver() {
            receiver.stop(0);
            ((java.util.concurrent.ExecutorService) receiver.getExecutor()).shutdownNow();
        }
    }

    /** A tracer writing to a new file store, as in B2. */
    @State(Scope.Thread)
    public static class StoreOnly {
        Path directory;
        TraceStore store;
        Tracer tracer;

        /** Opens a new file store and a tracer that writes to it. */
        @Setup(Level.Iteration)
        public void open() {
            directory = Directories.fresh("export-reference-");
            store = TraceStore.open(directory);
            tracer = TracerBuilder.create().store(store).offerTimeout(Duration.ofMinutes(1))
                    .maxBatchSize(IngestBenchmark.BATCH_SIZE).shutdownHook(false).build();
        }

        /** Checks that every record was stored and closes the tracer and store. */
        @TearDown(Level.Iteration)
        public void checkAndClose() {
            ExporterStats stats = tracer.stats();
            tracer.close();
            store.close();
            Directories.delete(directory);
            if (stats.lost() > 0) {
                throw new IllegalStateException("Loupe lost records: " + stats);
            }
        }
    }
}
