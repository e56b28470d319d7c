package dev.loupe.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmark suite and writes its results: JMH's JSON ({@code jmh-result.json}), {@code summary.json} with
 * one entry per benchmark id and {@code summary.md}, into {@code benchmarks/results/}.
 *
 * <p>A run of some ids (not {@code --quick}) keeps the other ids' rows of the summary already in the results
 * directory, each with the date and load of the run that measured it, so that benchmarks can be rerun one at a time
 * on a quiet machine.
 *
 * <p>Arguments: the ids to run ({@code B1 B2 B3 B4 B5 B6 export ingest-http langchain4j observe otel-processor
 * otlp-ingest replay search spring-ai heap disk}; all when none is given), and {@code --quick} for a trial with fewer and
 * shorter iterations. The system property {@code loupe.bench.results} names another results directory.
 */
public final class BenchmarkSuite {

    /** Benchmark ids and the JMH benchmark classes that measure them. */
    static final Map<String, Class<?>> BENCHMARKS = Map.ofEntries(
            Map.entry("B1", TraceRecordingBenchmark.class),
            Map.entry("B2", IngestBenchmark.class),
            Map.entry("B3", QueryBenchmark.class),
            Map.entry("B4", JUnitExtensionBenchmark.class),
            Map.entry("B5", NoopTracingBenchmark.class),
            Map.entry("B6", StartupBenchmark.class),
            Map.entry("export", ExportBenchmark.class),
            Map.entry("ingest-http", HttpIngestBenchmark.class),
            Map.entry("langchain4j", LangChain4jBenchmark.class),
            Map.entry("observe", ObserveBenchmark.class),
            Map.entry("otel-processor", SpanProcessorBenchmark.class),
            Map.entry("otlp-ingest", OtlpIngestBenchmark.class),
            Map.entry("replay", LlmReplayBenchmark.class),
            Map.entry("search", SearchBenchmark.class),
            Map.entry("spring-ai", SpringAiHandlerBenchmark.class));
    static final List<String> IDS = List.of("B1", "B2", "B3", "B4", "B5", "B6", "export", "ingest-http", "langchain4j",
            "observe", "otel-processor", "otlp-ingest", "replay", "search", "spring-ai", "heap",
            "disk");

    private BenchmarkSuite() {
    }

    /** Runs the benchmarks named in the arguments (all when none) and writes the results and summaries. */
    public static void main(String[] arguments) throws Exception {
        boolean quick = false;
        Set<String> ids = new LinkedHashSet<>();
        for (String argument : arguments) {
            if (argument.equals("--quick")) {
                quick = true;
            } else if (IDS.contains(argument)) {
                ids.add(argument);
            } else {
                System.err.println("Unknown argument '" + argument + "': give benchmark ids among " + IDS
                        + " (none runs all) and optionally --quick");
                System.exit(2);
            }
        }
        if (ids.isEmpty()) {
            ids.addAll(IDS);
        }
        Path results = resultsDirectory();
        Files.createDirectories(results);
        Path work = Files.createTempDirectory("loupe-bench-");
        Path facts = work.resolve("facts.properties");
        RunConditions conditions = RunConditions.start(quick, arguments);
        try {
            Collection<RunResult> runs = new ArrayList<>();
            List<String> includes = ids.stream().filter(BENCHMARKS::containsKey)
                    .map(id -> "^" + BENCHMARKS.get(id).getName().replace(".", "\\.") + "\\.").toList();
            if (!includes.isEmpty()) {
                ChainedOptionsBuilder options = new OptionsBuilder()
                        .addProfiler(GCProfiler.class)
                        .resultFormat(ResultFormatType.JSON)
                        .result(results.resolve("jmh-result.json").toString())
                        .jvmArgsPrepend("-D" + Directories.WORK_PROPERTY + "=" + work,
                                "-D" + RunFacts.PROPERTY + "=" + facts)
                        .shouldFailOnError(true);
                includes.forEach(options::include);
                if (quick) {
                    options.warmupIterations(1).measurementIterations(2)
                            .warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1));
                }
                runs.addAll(new Runner(options.build()).run());
            }
            QueueFootprint.Result heap = null;
            if (ids.contains("heap")) {
                heap = QueueFootprint.measure();
            }
            DiskFootprint.Result disk = null;
            if (ids.contains("disk")) {
                disk = DiskFootprint.measure();
            }
            conditions.finish();
            Summary summary = Summary.of(runs, RunFacts.read(facts), heap, disk);
            summary.stamp(conditions);
            if (!quick) {
                // A full run replaces everything; a run of some ids keeps the other rows of the last full runs.
                summary.keepOthersFrom(results.resolve("summary.json"));
            }
            summary.writeJson(results.resolve("summary.json"), conditions);
            summary.writeMarkdown(results.resolve("summary.md"), conditions);
            System.out.println();
            System.out.println(Files.readString(results.resolve("summary.md")));
            System.out.println("Results are in " + results);
        } finally {
            Directories.delete(work);
        }
    }

    /** {@code benchmarks/results}: next to {@code target}, where the jar (or the classes) of this module are. */
    private static Path resultsDirectory() throws Exception {
        String configured = System.getProperty("loupe.bench.results");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        Path code = Path.of(BenchmarkSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return code.getParent().getParent().resolve("results");
    }

    /** What the machine was like during the run: it is shared, so its load is part of the result. */
    static final class RunConditions {
        final boolean quick;
        final String arguments;
        final Instant start = Instant.now();
        final double loadAtStart;
        double loadAtEnd;
        long seconds;

        private RunConditions(boolean quick, String[] arguments) {
            this.quick = quick;
            this.arguments = String.join(" ", arguments);
            this.loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }

        static RunConditions start(boolean quick, String[] arguments) {
            return new RunConditions(quick, arguments);
        }

        void finish() {
            loadAtEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            seconds = TimeUnit.MILLISECONDS.toSeconds(Instant.now().toEpochMilli() - start.toEpochMilli());
        }

        String machine() {
            String cpu = "unknown CPU";
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith("model name")) {
                        cpu = line.substring(line.indexOf(':') + 1).trim();
                        break;
                    }
                }
            } catch (Exception unavailable) {
                // not Linux: the CPU stays unknown
            }
            return String.format(Locale.ROOT, "%s, %d cores, %s %s (%s)", cpu,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                    System.getProperty("os.version"), System.getProperty("os.arch"));
        }

        String jvm() {
            return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        }
    }
}
