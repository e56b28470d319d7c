package dev.loupe.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The suite's figures, one entry per benchmark id: Loupe's figure, the reference measured in the same run, the unit,
 * the ratio as the issue defines it, and whether it meets its target. Written as {@code summary.json} and
 * {@code summary.md}.
 */
final class Summary {

    private final List<Map<String, Object>> entries = new ArrayList<>();

    private Summary() {
    }

    static Summary of(Collection<RunResult> runs, Map<String, String> facts, QueueFootprint.Result heap,
            DiskFootprint.Result disk) {
        Summary summary = new Summary();
        summary.traceRecording(runs, facts);
        summary.ingest(runs);
        summary.queries(runs);
        summary.search(runs);
        summary.junitExtension(runs);
        summary.noopTracing(runs);
        summary.startup(runs);
        summary.llmReplay(runs);
        summary.httpIngest(runs);
        summary.langChain4j(runs, facts);
        summary.observe(runs);
        summary.springAi(runs);
        summary.spanProcessor(runs, facts);
        summary.otlpIngest(runs);
        summary.export(runs, facts);
        if (heap != null) {
            summary.heap(heap);
        }
        if (disk != null) {
            summary.disk(disk);
        }
        return summary;
    }

    private void traceRecording(Collection<RunResult> runs, Map<String, String> facts) {
        Optional<RunResult> loupe = find(runs, TraceRecordingBenchmark.class, "loupe", null);
        Optional<RunResult> otel = find(runs, TraceRecordingBenchmark.class, "openTelemetry", null);
        if (loupe.isEmpty() || otel.isEmpty()) {
            return;
        }
        Map<String, Object> entry = entry("B1", "application-thread cost of one trace (root + 3 children)",
                score(loupe.get()), score(otel.get()), "ns per trace", "<= 1.0", true);
        entry.put("loupeError", error(loupe.get()));
        entry.put("referenceError", error(otel.get()));
        entry.put("loupeAllocBytesPerTrace", allocation(loupe.get()));
        entry.put("referenceAllocBytesPerTrace", allocation(otel.get()));
        entry.put("loupeAppThreadAllocBytesPerTrace", number(facts.get("B1.loupe.appThreadAllocBytesPerTrace")));
        entry.put("referenceAppThreadAllocBytesPerTrace", number(facts.get("B1.otel.appThreadAllocBytesPerTrace")));
        entry.put("loupeRecords", number(facts.get("B1.loupe.records")));
        entry.put("loupeDropped", number(facts.get("B1.loupe.dropped")));
        entry.put("referenceSpans", number(facts.get("B1.otel.records")));
        entry.put("referenceDropped", number(facts.get("B1.otel.dropped")));
        // Both sides drop a record that finds the queue full (the same policy), so both times count. A dropped record
        // costs its recording but not the final queue insert, so the side that drops a larger share is flattered by
        // that much: the shares are reported, and the side that drops more is named.
        Double loupeShare = share(facts.get("B1.loupe.dropped"), facts.get("B1.loupe.records"));
        Double referenceShare = share(facts.get("B1.otel.dropped"), facts.get("B1.otel.records"));
        entry.put("loupeDroppedShare", loupeShare);
        entry.put("referenceDroppedShare", referenceShare);
        entry.put("loupeConvertedPerSecond", number(facts.get("B1.loupe.convertedPerSecond")));
        if (loupeShare != null && referenceShare != null && loupeShare > referenceShare) {
            entry.put("note", String.format(java.util.Locale.ROOT, "Loupe dropped %.0f%% of its records, OpenTelemetry"
                    + " %.0f%% of its spans: a dropped record skips only the queue insert", loupeShare * 100,
                    referenceShare * 100));
        }
        entries.add(entry);
        if (loupeShare != null && referenceShare != null) {
            // The writer keeps up with the loop when Loupe drops no larger a share than twice OpenTelemetry's.
            Map<String, Object> drops = entry("B1-drops", "share of records dropped in B1's loop (the writer's "
                    + "throughput: " + facts.get("B1.loupe.convertedPerSecond") + " records converted per second)",
                    loupeShare, referenceShare, "share dropped", "<= 2.0", false);
            double ratio = referenceShare == 0 ? (loupeShare == 0 ? 1.0 : Double.POSITIVE_INFINITY)
                    : loupeShare / referenceShare;
            drops.put("ratio", round(ratio, 3));
            drops.put("met", ratio <= 2.0);
            entries.add(drops);
        }
    }

    private static Double share(String part, String whole) {
        Long numerator = number(part);
        Long denominator = number(whole);
        return numerator == null || denominator == null || denominator == 0 ? null
                : round((double) numerator / denominator, 3);
    }

    private void ingest(Collection<RunResult> runs) {
        Optional<RunResult> loupe = find(runs, IngestBenchmark.class, "loupe", null);
        Optional<RunResult> raw = find(runs, IngestBenchmark.class, "rawJdbc", null);
        if (loupe.isEmpty() || raw.isEmpty()) {
            return;
        }
        double loupeRate = IngestBenchmark.OBSERVATION_COUNT / (score(loupe.get()) / 1_000);
        double rawRate = IngestBenchmark.OBSERVATION_COUNT / (score(raw.get()) / 1_000);
        Map<String, Object> entry = entry("B2", "end-to-end ingest of 200k observations in traces of 20 into H2 files",
                round(loupeRate, 0), round(rawRate, 0), "observations per second", ">= 0.7", false);
        entry.put("ratio", round(loupeRate / rawRate, 3));
        entry.put("met", loupeRate / rawRate >= 0.7);
        entry.put("loupeMillis", round(score(loupe.get()), 1));
        entry.put("referenceMillis", round(score(raw.get()), 1));
        entry.put("loupeAllocBytesPerRun", allocation(loupe.get()));
        entries.add(entry);
    }

    private void httpIngest(Collection<RunResult> runs) {
        Optional<RunResult> http = find(runs, HttpIngestBenchmark.class, "overHttp", null);
        Optional<RunResult> inProcess = find(runs, HttpIngestBenchmark.class, "inProcess", null);
        if (http.isEmpty() || inProcess.isEmpty()) {
            return;
        }
        // The same traces both ways: events per second over HTTP against the same number per second in process.
        double httpRate = HttpIngestBenchmark.EVENT_COUNT / (score(http.get()) / 1_000);
        double inProcessRate = HttpIngestBenchmark.EVENT_COUNT / (score(inProcess.get()) / 1_000);
        Map<String, Object> entry = entry("ingest-http", "Langfuse ingestion over loopback HTTP, batches of "
                + HttpIngestBenchmark.EVENTS_PER_BATCH + " events, vs B2's in-process ingest of the same "
                + HttpIngestBenchmark.TRACE_COUNT + " traces", round(httpRate, 0), round(inProcessRate, 0),
                "events per second", ">= 0.5", false);
        entry.put("ratio", round(httpRate / inProcessRate, 3));
        entry.put("met", httpRate / inProcessRate >= 0.5);
        entry.put("loupeMillis", round(score(http.get()), 1));
        entry.put("referenceMillis", round(score(inProcess.get()), 1));
        entries.add(entry);
    }

    private void spanProcessor(Collection<RunResult> runs, Map<String, String> facts) {
        Optional<RunResult> loupe = find(runs, SpanProcessorBenchmark.class, "loupeProcessor", null);
        Optional<RunResult> simple = find(runs, SpanProcessorBenchmark.class, "simpleSpanProcessor", null);
        if (loupe.isEmpty() || simple.isEmpty()) {
            return;
        }
        Map<String, Object> entry = entry("otel-processor", "an ended OpenTelemetry GenAI span: LoupeSpanProcessor vs "
                + "SimpleSpanProcessor + InMemorySpanExporter", score(loupe.get()), score(simple.get()),
                "ns per span", "<= 1.5", true);
        entry.put("loupeError", error(loupe.get()));
        entry.put("referenceError", error(simple.get()));
        entry.put("loupeAllocBytesPerSpan", allocation(loupe.get()));
        entry.put("referenceAllocBytesPerSpan", allocation(simple.get()));
        entry.put("loupeSpans", number(facts.get("otel-processor.loupe.spans")));
        entry.put("loupeDroppedSpans", number(facts.get("otel-processor.loupe.droppedSpans")));
        entry.put("loupeRecords", number(facts.get("otel-processor.loupe.records")));
        entry.put("loupeDroppedRecords", number(facts.get("otel-processor.loupe.droppedRecords")));
        entries.add(entry);
    }

    /** otlp-ingest against B2's Loupe rate: both must have run. */
    private void otlpIngest(Collection<RunResult> runs) {
        Optional<RunResult> otlp = find(runs, OtlpIngestBenchmark.class, "otlpProtobuf", null);
        Optional<RunResult> inProcess = find(runs, IngestBenchmark.class, "loupe", null);
        if (otlp.isEmpty() || inProcess.isEmpty()) {
            return;
        }
        double otlpRate = OtlpIngestBenchmark.SPAN_COUNT / (score(otlp.get()) / 1_000);
        double inProcessRate = IngestBenchmark.OBSERVATION_COUNT / (score(inProcess.get()) / 1_000);
        Map<String, Object> entry = entry("otlp-ingest", "OTLP/protobuf ingest over loopback HTTP into the devserver (batches "
                + "of 512 spans, traces of 20) vs B2's in-process rate", round(otlpRate, 0), round(inProcessRate, 0),
                "spans (observations) per second", ">= 0.5", false);
        entry.put("ratio", round(otlpRate / inProcessRate, 3));
        entry.put("met", otlpRate / inProcessRate >= 0.5);
        entry.put("loupeMillis", round(score(otlp.get()), 1));
        entries.add(entry);
    }

    private void queries(Collection<RunResult> runs) {
        for (String benchmark : List.of("listPage", "treeLoad", "listCount")) {
            Optional<RunResult> large = find(runs, QueryBenchmark.class, benchmark, "100000");
            Optional<RunResult> small = find(runs, QueryBenchmark.class, benchmark, "10000");
            if (large.isEmpty() || small.isEmpty()) {
                continue;
            }
            Map<String, Object> entry = switch (benchmark) {
                case "listPage" -> entry("B3", "first page (50) of traces by name and tag, newest first: 100k traces vs"
                        + " 10k", score(large.get()), score(small.get()), "µs per query", "<= 2.0", true);
                case "treeLoad" -> entry("B3-tree", "one trace tree of 100 observations: 100k traces vs 10k",
                        score(large.get()), score(small.get()), "µs per query", "<= 1.5", true);
                // Information, not a target: an exact total reads every match, 10 times as many in the larger store.
                default -> entry("B3-count", "the same first page with the exact total of matches (1,000 vs 100):"
                        + " 100k traces vs 10k", score(large.get()), score(small.get()), "µs per query", "none", true);
            };
            entry.put("loupeError", error(large.get()));
            entry.put("referenceError", error(small.get()));
            entries.add(entry);
        }
    }

    private void search(Collection<RunResult> runs) {
        Optional<RunResult> large = find(runs, SearchBenchmark.class, "searchPage", "100000");
        Optional<RunResult> small = find(runs, SearchBenchmark.class, "searchPage", "10000");
        if (large.isEmpty() || small.isEmpty()) {
            return;
        }
        Map<String, Object> entry = entry("search", "first page (50) of a full-text search matching 1% of traces, newest "
                + "first: 100k traces (400k observations) vs 10k", score(large.get()), score(small.get()),
                "µs per query", "<= 2.0", true);
        // The second target is absolute: under 50 ms at 100k traces.
        entry.put("absoluteTargetMicros", 50_000);
        entry.put("absoluteMet", score(large.get()) < 50_000);
        entry.put("met", Boolean.TRUE.equals(entry.get("met")) && score(large.get()) < 50_000);
        entry.put("loupeError", error(large.get()));
        entry.put("referenceError", error(small.get()));
        entries.add(entry);
        Optional<RunResult> largeMetadata = find(runs, SearchBenchmark.class, "metadataPage", "100000");
        Optional<RunResult> smallMetadata = find(runs, SearchBenchmark.class, "metadataPage", "10000");
        if (largeMetadata.isPresent() && smallMetadata.isPresent()) {
            // Information, not a target yet: the filter reads every match before it sorts.
            Map<String, Object> metadata = entry("metadata", "first page (50) of traces by a metadata key = value "
                    + "matching 2% of traces, newest first: 100k traces vs 10k", score(largeMetadata.get()),
                    score(smallMetadata.get()), "µs per query", "none", true);
            metadata.put("loupeError", error(largeMetadata.get()));
            metadata.put("referenceError", error(smallMetadata.get()));
            entries.add(metadata);
        }
    }

    private void junitExtension(Collection<RunResult> runs) {
        Optional<RunResult> with = find(runs, JUnitExtensionBenchmark.class, "withTraceCapture", null);
        Optional<RunResult> without = find(runs, JUnitExtensionBenchmark.class, "withoutExtension", null);
        if (with.isEmpty() || without.isEmpty()) {
            return;
        }
        double perTestWith = score(with.get()) / 1_000;
        double perTestWithout = score(without.get()) / 1_000;
        Map<String, Object> entry = entry("B4", "1,000 trivial tests through EngineTestKit, with TraceCapture vs without",
                round(perTestWith, 3), round(perTestWithout, 3), "ms per test", "<= 1 ms added per test", false);
        entry.put("ratio", round(perTestWith - perTestWithout, 3));
        entry.put("met", perTestWith - perTestWithout <= 1.0);
        entry.put("loupeErrorMillisPerRun", error(with.get()));
        entry.put("referenceErrorMillisPerRun", error(without.get()));
        entries.add(entry);
    }

    private void noopTracing(Collection<RunResult> runs) {
        Optional<RunResult> traced = find(runs, NoopTracingBenchmark.class, "tracedCallback", null);
        Optional<RunResult> plain = find(runs, NoopTracingBenchmark.class, "plainCall", null);
        if (traced.isEmpty() || plain.isEmpty()) {
            return;
        }
        // Two nested callbacks (a span and a generation) per call: the cost of one is half the difference.
        double added = (score(traced.get()) - score(plain.get())) / 2;
        Map<String, Object> entry = entry("B5", "a traced callback with tracing off (loupe-api alone, or"
                + " loupe.enabled=false): span + generation around a body vs the body", round(score(traced.get()), 2),
                round(score(plain.get()), 2), "ns per call", "<= 30 ns added per callback", false);
        entry.put("ratio", round(added, 2));
        entry.put("met", added <= 30);
        entry.put("loupeError", error(traced.get()));
        entry.put("referenceError", error(plain.get()));
        entries.add(entry);
    }

    private void startup(Collection<RunResult> runs) {
        Optional<RunResult> with = find(runs, StartupBenchmark.class, "withTraceCapture", null);
        Optional<RunResult> without = find(runs, StartupBenchmark.class, "withoutExtension", null);
        if (with.isEmpty() || without.isEmpty()) {
            return;
        }
        double added = score(with.get()) - score(without.get());
        Map<String, Object> entry = entry("B6", "one trivial test in a fresh JVM (as from the IDE), with TraceCapture"
                + " and its test store vs without", round(score(with.get()), 1), round(score(without.get()), 1),
                "ms per JVM run", "<= 300 ms added", false);
        entry.put("ratio", round(added, 1));
        entry.put("met", added <= 300);
        entry.put("loupeError", error(with.get()));
        entry.put("referenceError", error(without.get()));
        entries.add(entry);
    }

    private void llmReplay(Collection<RunResult> runs) {
        Optional<RunResult> replayed = find(runs, LlmReplayBenchmark.class, "replayed", null);
        Optional<RunResult> direct = find(runs, LlmReplayBenchmark.class, "direct", null);
        if (replayed.isEmpty() || direct.isEmpty()) {
            return;
        }
        double addedMillis = (score(replayed.get()) - score(direct.get())) / 1_000;
        Map<String, Object> entry = entry("replay", "a chat call replayed by the LLM proxy from its recording (traced,"
                + " in a test session of its own) vs the same call answered by a loopback model server",
                round(score(replayed.get()), 1), round(score(direct.get()), 1), "µs per call", "<= 2 ms added", false);
        entry.put("ratio", round(addedMillis, 3));
        entry.put("met", addedMillis <= 2);
        entry.put("loupeError", error(replayed.get()));
        entry.put("referenceError", error(direct.get()));
        entries.add(entry);
    }

    private void langChain4j(Collection<RunResult> runs, Map<String, String> facts) {
        Optional<RunResult> modelCaptured = find(runs, LangChain4jBenchmark.class, "modelCallCaptured", null);
        Optional<RunResult> modelPlain = find(runs, LangChain4jBenchmark.class, "modelCallPlain", null);
        Optional<RunResult> answerCaptured = find(runs, LangChain4jBenchmark.class, "invocationCaptured", null);
        Optional<RunResult> answerPlain = find(runs, LangChain4jBenchmark.class, "invocationPlain", null);
        Optional<RunResult> toolsCaptured = find(runs, LangChain4jBenchmark.class, "invocationWithToolsCaptured", null);
        Optional<RunResult> toolsPlain = find(runs, LangChain4jBenchmark.class, "invocationWithToolsPlain", null);
        if (modelCaptured.isEmpty() || modelPlain.isEmpty() || answerCaptured.isEmpty() || answerPlain.isEmpty()
                || toolsCaptured.isEmpty() || toolsPlain.isEmpty()) {
            return;
        }
        double perModelCall = score(modelCaptured.get()) - score(modelPlain.get());
        Map<String, Object> model = entry("langchain4j", "LangChain4j: a chat model call with Loupe's ChatModelListener vs"
                + " without (in-process model, no HTTP)", round(score(modelCaptured.get()), 1),
                round(score(modelPlain.get()), 1), "ns per call", "none", false);
        model.put("ratio", round(perModelCall, 1));
        model.put("loupeError", error(modelCaptured.get()));
        model.put("referenceError", error(modelPlain.get()));
        model.put("dropped", dropped(facts, "modelCallCaptured"));
        model.put("internalErrors", number(facts.get("langchain4j.modelCallCaptured.internalErrors")));
        entries.add(model);

        double perAnswer = score(answerCaptured.get()) - score(answerPlain.get());
        double perToolsInvocation = score(toolsCaptured.get()) - score(toolsPlain.get());
        // The tool invocation adds TOOLS tool calls and one model request to the plain one.
        double perToolCall = (perToolsInvocation - perAnswer - perModelCall) / LangChain4jBenchmark.TOOLS;
        Map<String, Object> tools = entry("langchain4j-tool", "LangChain4j: an AI service invocation with "
                + LangChain4jBenchmark.TOOLS + " tool calls (2 model requests) with Loupe's AI service listeners vs"
                + " without; the ratio is the cost added per tool call", round(score(toolsCaptured.get()), 1),
                round(score(toolsPlain.get()), 1), "ns per invocation", "none", false);
        tools.put("ratio", round(perToolCall, 1));
        tools.put("addedPerInvocationWithoutTools", round(perAnswer, 1));
        tools.put("addedPerInvocationWithTools", round(perToolsInvocation, 1));
        tools.put("loupeError", error(toolsCaptured.get()));
        tools.put("referenceError", error(toolsPlain.get()));
        tools.put("dropped", dropped(facts, "invocationWithToolsCaptured"));
        tools.put("internalErrors", number(facts.get("langchain4j.invocationWithToolsCaptured.internalErrors")));
        entries.add(tools);
    }

    private static String dropped(Map<String, String> facts, String method) {
        return facts.get("langchain4j." + method + ".dropped") + " of " + facts.get("langchain4j." + method + ".records");
    }

    private void observe(Collection<RunResult> runs) {
        Optional<RunResult> plain = find(runs, ObserveBenchmark.class, "plainCall", null);
        Optional<RunResult> callback = find(runs, ObserveBenchmark.class, "callbackSpan", null);
        Optional<RunResult> agent = find(runs, ObserveBenchmark.class, "agentWoven", null);
        Optional<RunResult> spring = find(runs, ObserveBenchmark.class, "springAspect", null);
        if (plain.isEmpty() || callback.isEmpty() || agent.isEmpty() || spring.isEmpty()) {
            return;
        }
        Map<String, Object> woven = entry("observe", "an @Observe call woven by the agent vs the same body in a"
                + " callback-style tracer.span(...) recording the same input and output", score(agent.get()),
                score(callback.get()), "ns per call", "<= 1.5", true);
        woven.put("loupeError", error(agent.get()));
        woven.put("referenceError", error(callback.get()));
        woven.put("addedOverUnannotatedNanos", round(score(agent.get()) - score(plain.get()), 1));
        entries.add(woven);
        Map<String, Object> proxied = entry("observe-aspect", "an @Observe call of a Spring bean through the loupe-spring"
                + " aspect vs the same callback-style span", score(spring.get()), score(callback.get()),
                "ns per call", "none", true);
        proxied.put("loupeError", error(spring.get()));
        proxied.put("referenceError", error(callback.get()));
        proxied.put("addedOverUnannotatedNanos", round(score(spring.get()) - score(plain.get()), 1));
        proxied.put("unannotatedNanos", round(score(plain.get()), 2));
        entries.add(proxied);
    }

    private void springAi(Collection<RunResult> runs) {
        for (String call : List.of("model", "tool")) {
            Optional<RunResult> with = find(runs, SpringAiHandlerBenchmark.class, call + "CallWithHandler", null);
            Optional<RunResult> without = find(runs, SpringAiHandlerBenchmark.class, call + "CallWithoutHandler",
                    null);
            if (with.isEmpty() || without.isEmpty()) {
                continue;
            }
            double added = score(with.get()) - score(without.get());
            Map<String, Object> entry = entry("spring-ai-" + call, "loupe-spring-ai: a Spring AI " + call
                    + " call's observation with the Loupe handler vs without it (the " + call + "'s own work left"
                    + " out)", round(score(with.get()), 1), round(score(without.get()), 1), "ns per " + call
                    + " call", "<= 50 µs added per call", false);
            entry.put("ratio", round(added, 1));
            entry.put("met", added <= 50_000);
            entry.put("loupeError", error(with.get()));
            entry.put("referenceError", error(without.get()));
            entries.add(entry);
        }
    }

    private void export(Collection<RunResult> runs, Map<String, String> facts) {
        Optional<RunResult> exporting = find(runs, ExportBenchmark.class, "storeAndExport", null);
        Optional<RunResult> storeOnly = find(runs, ExportBenchmark.class, "storeOnly", null);
        if (exporting.isEmpty() || storeOnly.isEmpty()) {
            return;
        }
        double exportingRate = IngestBenchmark.OBSERVATION_COUNT / (score(exporting.get()) / 1_000);
        double storeOnlyRate = IngestBenchmark.OBSERVATION_COUNT / (score(storeOnly.get()) / 1_000);
        // Information, not a target: what exporting every span over loopback OTLP/HTTP costs B2's ingest.
        Map<String, Object> entry = entry("export", "B2's ingest with the OTLP export alongside the store (every span"
                + " posted over loopback HTTP, protobuf) vs the store alone", round(exportingRate, 0),
                round(storeOnlyRate, 0), "observations per second", "none", false);
        entry.put("ratio", round(exportingRate / storeOnlyRate, 3));
        entry.put("loupeMillis", round(score(exporting.get()), 1));
        entry.put("referenceMillis", round(score(storeOnly.get()), 1));
        entry.put("requests", number(facts.get("export.requests")));
        entry.put("spansDropped", number(facts.get("export.spansDropped")));
        entries.add(entry);
    }

    private void disk(DiskFootprint.Result disk) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", "disk");
        entry.put("what", "file store after close: " + DiskFootprint.TRACES + " small traces (4 observations and a"
                + " score each) recorded in a loop, vs the same files before close");
        entry.put("loupe", round(disk.bytesPerObservationAfterClose(), 1));
        entry.put("reference", round(disk.bytesPerObservationBeforeClose(), 1));
        entry.put("unit", "bytes per observation on disk");
        entry.put("ratio", round(disk.bytesPerObservationAfterClose() / disk.bytesPerObservationBeforeClose(), 3));
        entry.put("target", "<= 1024 bytes per observation after close");
        entry.put("met", disk.bytesPerObservationAfterClose() <= 1024);
        entry.put("bytesAfterClose", disk.bytesAfterClose());
        entry.put("bytesBeforeClose", disk.bytesBeforeClose());
        entry.put("closeMillis", disk.closeMillis());
        entries.add(entry);
    }

    private void heap(QueueFootprint.Result heap) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", "heap");
        entry.put("what", "heap retained by the full exporter queue (" + heap.records() + " records, B1's traces)");
        entry.put("loupe", round(heap.bytesPerObservation(), 1));
        entry.put("reference", null);
        entry.put("unit", "bytes per queued observation");
        entry.put("ratio", null);
        entry.put("bytesPerQueuedRecord", round(heap.bytesPerRecord(), 1));
        entry.put("queueBytes", heap.queueBytes());
        entry.put("queuedRecords", heap.records());
        entry.put("queuedObservations", heap.observations());
        entry.put("heapGrowthBytesPerObservation", round((double) heap.heapGrowthBytes() / heap.observations(), 1));
        entries.add(entry);
    }

    private static Map<String, Object> entry(String id, String what, double loupe, double reference, String unit,
            String target, boolean ratioOfFigures) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", id);
        entry.put("what", what);
        entry.put("loupe", round(loupe, 3));
        entry.put("reference", round(reference, 3));
        entry.put("unit", unit);
        entry.put("ratio", null);
        entry.put("target", target);
        entry.put("met", null);
        if (ratioOfFigures) {
            double ratio = loupe / reference;
            entry.put("ratio", round(ratio, 3));
            if (!target.equals("none")) {
                double limit = Double.parseDouble(target.replaceAll("[^0-9.]", ""));
                entry.put("met", target.startsWith("<=") ? ratio <= limit : ratio >= limit);
            }
        }
        return entry;
    }

    /** Notes on each entry of this run when and under what load it was measured. */
    void stamp(BenchmarkSuite.RunConditions conditions) {
        for (Map<String, Object> entry : entries) {
            entry.put("measured", conditions.start.toString());
            entry.put("loadAverage", String.format(Locale.ROOT, "%.2f-%.2f", conditions.loadAtStart,
                    conditions.loadAtEnd));
        }
    }

    /**
     * Adds the entries of an earlier summary whose ids this run did not measure, in the order of the suite's ids;
     * an entry without its own date gets the earlier run's.
     */
    @SuppressWarnings("unchecked")
    void keepOthersFrom(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        Map<String, Object> earlier = new ObjectMapper().readValue(file.toFile(), Map.class);
        if (Boolean.TRUE.equals(earlier.get("quick")) || !(earlier.get("results") instanceof List<?> results)) {
            return;
        }
        List<Object> measured = entries.stream().map(entry -> entry.get("id")).toList();
        for (Object result : results) {
            Map<String, Object> entry = new LinkedHashMap<>((Map<String, Object>) result);
            if (measured.contains(entry.get("id")) || measured.stream().anyMatch(id -> String.valueOf(entry.get("id"))
                    .startsWith(id + "-"))) {
                continue;
            }
            entry.putIfAbsent("measured", earlier.get("date"));
            entry.putIfAbsent("loadAverage", earlier.get("loadAverageAtStart") + "-" + earlier.get("loadAverageAtEnd"));
            entries.add(entry);
        }
        List<String> order = new ArrayList<>(BenchmarkSuite.IDS);
        entries.sort(Comparator.comparingInt(entry -> {
            String id = String.valueOf(entry.get("id"));
            int dash = id.indexOf('-');
            int index = order.indexOf(dash > 0 ? id.substring(0, dash) : id);
            return index < 0 ? order.size() : index;
        }));
    }

    void writeJson(Path file, BenchmarkSuite.RunConditions conditions) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("date", conditions.start.toString());
        document.put("machine", conditions.machine());
        document.put("jvm", conditions.jvm());
        document.put("quick", conditions.quick);
        document.put("seconds", conditions.seconds);
        document.put("loadAverageAtStart", round(conditions.loadAtStart, 2));
        document.put("loadAverageAtEnd", round(conditions.loadAtEnd, 2));
        document.put("results", entries);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), document);
    }

    void writeMarkdown(Path file, BenchmarkSuite.RunConditions conditions) throws IOException {
        StringBuilder text = new StringBuilder("# Loupe benchmark results\n\n");
        text.append("- date: ").append(conditions.start).append(conditions.quick ? " (quick trial run)" : "")
                .append("\n- machine: ").append(conditions.machine())
                .append("\n- JVM: ").append(conditions.jvm())
                .append(String.format(Locale.ROOT, "%n- load average: %.2f at start, %.2f at end; %d s in all%n",
                        conditions.loadAtStart, conditions.loadAtEnd, conditions.seconds))
                .append("- command: `java -jar benchmarks/target/loupe-benchmarks.jar")
                .append(conditions.arguments.isEmpty() ? "" : " " + conditions.arguments).append("`\n\n");
        text.append("| id | what | Loupe | reference | unit | ratio | target | met |\n");
        text.append("|---|---|---:|---:|---|---:|---|---|\n");
        for (Map<String, Object> entry : entries) {
            text.append("| ").append(entry.get("id")).append(" | ").append(entry.get("what")).append(" | ")
                    .append(format(entry.get("loupe"))).append(" | ").append(format(entry.get("reference")))
                    .append(" | ").append(entry.get("unit")).append(" | ").append(format(entry.get("ratio")))
                    .append(" | ").append(entry.getOrDefault("target", "—")).append(" | ")
                    .append(entry.get("met") == null ? "—" : (Boolean) entry.get("met") ? "yes" : "**no**")
                    .append(" |\n");
        }
        text.append('\n');
        Map<String, List<String>> byRun = new LinkedHashMap<>();
        for (Map<String, Object> entry : entries) {
            byRun.computeIfAbsent(entry.get("measured") + " (load average " + entry.get("loadAverage") + ")",
                    run -> new ArrayList<>()).add(String.valueOf(entry.get("id")));
        }
        if (byRun.size() > 1) {
            byRun.forEach((run, ids) -> text.append("- ").append(String.join(", ", ids)).append(" measured ")
                    .append(run).append('\n'));
        }
        for (Map<String, Object> entry : entries) {
            switch ((String) entry.get("id")) {
                case "B1" -> text.append(String.format(Locale.ROOT,
                        "- B1 allocation per trace, all threads (gc.alloc.rate.norm): Loupe %s B, OpenTelemetry %s B; "
                                + "application thread only: Loupe %s B, OpenTelemetry %s B. Dropped: Loupe %s of %s "
                                + "records, OpenTelemetry %s of %s spans.%n",
                        format(entry.get("loupeAllocBytesPerTrace")), format(entry.get("referenceAllocBytesPerTrace")),
                        entry.get("loupeAppThreadAllocBytesPerTrace"), entry.get("referenceAppThreadAllocBytesPerTrace"),
                        entry.get("loupeDropped"), entry.get("loupeRecords"), entry.get("referenceDropped"),
                        entry.get("referenceSpans")));
                case "B2" -> text.append(String.format(Locale.ROOT,
                        "- B2 time for 200k observations: Loupe %s ms, raw JDBC %s ms.%n",
                        format(entry.get("loupeMillis")), format(entry.get("referenceMillis"))));
                case "B4" -> text.append("- B4 ratio is the time added per test, in ms.\n");
                case "ingest-http" -> text.append(String.format(Locale.ROOT,
                        "- ingest-http time for %d events (%d traces): over HTTP %s ms, in process %s ms.%n",
                        HttpIngestBenchmark.EVENT_COUNT, HttpIngestBenchmark.TRACE_COUNT,
                        format(entry.get("loupeMillis")), format(entry.get("referenceMillis"))));
                case "otel-processor" -> text.append(String.format(Locale.ROOT,
                        "- otel-processor: spans dropped by Loupe's span queue: %s of %s (records dropped by the exporter: %s of "
                                + "%s); allocation per span: Loupe %s B, OpenTelemetry %s B.%n",
                        format(entry.get("loupeDroppedSpans")), format(entry.get("loupeSpans")),
                        format(entry.get("loupeDroppedRecords")), format(entry.get("loupeRecords")),
                        format(entry.get("loupeAllocBytesPerSpan")), format(entry.get("referenceAllocBytesPerSpan"))));
                case "otlp-ingest" -> text.append(String.format(Locale.ROOT,
                        "- otlp-ingest: time for %d spans over OTLP: %s ms; B2's in-process rate is the reference.%n",
                        OtlpIngestBenchmark.SPAN_COUNT, format(entry.get("loupeMillis"))));
                case "export" -> text.append(String.format(Locale.ROOT,
                        "- Export: 200k observations stored and exported in %s ms (%s requests), stored only in %s ms."
                                + "%n", format(entry.get("loupeMillis")), entry.get("requests"),
                        format(entry.get("referenceMillis"))));
                case "search" -> text.append(String.format(Locale.ROOT,
                        "- search at 100k traces: %s µs per search page (target under 50,000 µs).%n",
                        format(entry.get("loupe"))));
                case "B6" -> text.append("- B6 ratio is the time the extension adds to a fresh JVM that runs one "
                        + "test, in ms.\n");
                case "disk" -> text.append(String.format(Locale.ROOT,
                        "- Disk: %,d bytes before close, %,d after; closing (which compacts) took %d ms.%n",
                        ((Number) entry.get("bytesBeforeClose")).longValue(),
                        ((Number) entry.get("bytesAfterClose")).longValue(),
                        ((Number) entry.get("closeMillis")).longValue()));
                case "replay" -> text.append("- replay ratio is the time the proxy adds to one call, in ms.\n");
                case "langchain4j" -> text.append(String.format(Locale.ROOT, "- langchain4j ratio is the time "
                        + "Loupe's chat model listener adds to one model call, in ns; records dropped: %s; adapter "
                        + "failures: %s.%n",
                        entry.get("dropped"), entry.get("internalErrors")));
                case "langchain4j-tool" -> text.append(String.format(Locale.ROOT, "- langchain4j-tool ratio is the "
                        + "time added per tool call, in ns: (added to the invocation with tools - added to one answered "
                        + "at once - the langchain4j row) / %d; added per invocation: %s ns without tools, %s ns with; "
                        + "records dropped: %s; "
                        + "adapter failures: %s.%n", LangChain4jBenchmark.TOOLS,
                        format(entry.get("addedPerInvocationWithoutTools")),
                        format(entry.get("addedPerInvocationWithTools")), entry.get("dropped"),
                        entry.get("internalErrors")));
                case "observe" -> text.append(String.format(Locale.ROOT,
                        "- observe: time added per annotated call over the same call unannotated: %s ns woven by the "
                                + "agent.%n",
                        format(entry.get("addedOverUnannotatedNanos"))));
                case "observe-aspect" -> text.append(String.format(Locale.ROOT,
                        "- observe-aspect: time added per annotated call over the same call unannotated (%s ns): %s ns "
                                + "through the Spring aspect.%n",
                        format(entry.get("unannotatedNanos")), format(entry.get("addedOverUnannotatedNanos"))));
                case "spring-ai-model", "spring-ai-tool" -> text.append("- " + entry.get("id")
                        + " ratio is the time the handler adds to one call, in ns.\n");
                case "B5" -> text.append("- B5 ratio is the time one no-op callback adds, in ns (half the difference: "
                        + "each call runs two nested callbacks).\n");
                case "heap" -> text.append(String.format(Locale.ROOT,
                        "- Heap: %s bytes per queued record (observations and trace records); heap growth while "
                                + "filling, as a cross-check: %s bytes per observation.%n",
                        format(entry.get("bytesPerQueuedRecord")), format(entry.get("heapGrowthBytesPerObservation"))));
                default -> {
                }
            }
        }
        Files.writeString(file, text.toString());
    }

    private static String format(Object value) {
        if (value == null) {
            return "—";
        }
        if (value instanceof Double number) {
            return number >= 1_000 ? String.format(Locale.ROOT, "%,.0f", number)
                    : number >= 10 ? String.format(Locale.ROOT, "%.1f", number)
                    : String.format(Locale.ROOT, "%.3f", number);
        }
        return value.toString();
    }

    private static Optional<RunResult> find(Collection<RunResult> runs, Class<?> type, String method, String traces) {
        String name = type.getName() + "." + method;
        return runs.stream().filter(run -> run.getParams().getBenchmark().equals(name))
                .filter(run -> traces == null || traces.equals(run.getParams().getParam("traces")))
                .findFirst();
    }

    private static double score(RunResult run) {
        return run.getPrimaryResult().getScore();
    }

    private static Double error(RunResult run) {
        double error = run.getPrimaryResult().getScoreError();
        return Double.isNaN(error) ? null : round(error, 3);
    }

    private static Double allocation(RunResult run) {
        Result<?> allocation = run.getSecondaryResults().get("gc.alloc.rate.norm");
        return allocation == null ? null : round(allocation.getScore(), 1);
    }

    private static Long number(String value) {
        return value == null ? null : Long.valueOf(value.trim());
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
