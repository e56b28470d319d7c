package dev.loupe.benchmarks;

import static dev.loupe.store.internal.generated.Tables.OBSERVATIONS;
import static dev.loupe.store.internal.generated.Tables.TRACES;

import dev.loupe.engine.ExportListener;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.internal.Json;
import dev.loupe.model.Observation;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.store.ObservationQuery;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ExporterStats;
import dev.loupe.trace.Tracer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSON;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
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
 * B2: sustained end-to-end ingest of {@value #OBSERVATION_COUNT} observations in {@value #TRACE_COUNT} traces of
 * {@value #OBSERVATIONS_PER_TRACE}. Loupe: the application thread records them through the tracer, the exporter writes
 * them to a new H2 file store, and the time runs until {@code tracer.flush()} returns (everything durable). The
 * producer never drops: its offer timeout is a minute, so a full queue slows it down instead. Raw JDBC: the same
 * trace and observation rows (those Loupe's exporter produces, with the trace figures Loupe computes) inserted with
 * {@link PreparedStatement#addBatch()} in transactions of {@value #BATCH_SIZE} rows into the same schema in a new
 * H2 file: the engine's own limit. Each iteration starts with an empty store.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class IngestBenchmark {

    static final int TRACE_COUNT = 10_000;
    static final int OBSERVATIONS_PER_TRACE = 20;
    static final int OBSERVATION_COUNT = TRACE_COUNT * OBSERVATIONS_PER_TRACE;
    /** The exporter's batch size, used by both sides. */
    static final int BATCH_SIZE = 2_048;
    static final String MODEL = "gpt-4o-mini";

    /** Records the workload through a tracer into a new file store and waits until it is written. */
    @Benchmark
    public void loupe(LoupeStore state) {
        for (int index = 0; index < TRACE_COUNT; index++) {
            recordTrace(state.tracer, index);
        }
        if (!state.tracer.flush(Duration.ofMinutes(10))) {
            throw new IllegalStateException("Loupe did not write the traces within 10 minutes");
        }
    }

    /** Inserts the same rows with JDBC batches into a new file store of the same schema. */
    @Benchmark
    public void rawJdbc(RawStore state) throws SQLException {
        Connection connection = state.connection;
        try (PreparedStatement traces = connection.prepareStatement(state.rows.insertTrace);
                PreparedStatement observations = connection.prepareStatement(state.rows.insertObservation)) {
            int tracesPerBatch = BATCH_SIZE / (OBSERVATIONS_PER_TRACE + 1);
            List<Object[]> traceRows = state.rows.traces;
            List<List<Object[]>> observationRows = state.rows.observations;
            for (int start = 0; start < traceRows.size(); start += tracesPerBatch) {
                int end = Math.min(traceRows.size(), start + tracesPerBatch);
                for (int trace = start; trace < end; trace++) {
                    bind(traces, traceRows.get(trace), state.rows.traceJson);
                    for (Object[] row : observationRows.get(trace)) {
                        bind(observations, row, state.rows.observationJson);
                    }
                }
                traces.executeBatch();
                observations.executeBatch();
                connection.commit();
            }
        }
    }

    /** Binds a row as Loupe's writer does (JSON columns as UTF-8 bytes) and adds it to the batch. */
    private static void bind(PreparedStatement statement, Object[] row, boolean[] json) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            Object value = row[i];
            if (value != null && json[i]) {
                statement.setBytes(i + 1, value.toString().getBytes(StandardCharsets.UTF_8));
            } else {
                statement.setObject(i + 1, value);
            }
        }
        statement.addBatch();
    }

    /** One trace of the workload: a root span and 19 children (generations with usage, tool calls, spans). */
    static void recordTrace(Tracer tracer, int index) {
        tracer.trace("ingest-agent", root -> {
            root.input("request " + index).userId("user-" + index % 100).sessionId("session-" + index / 10);
            for (int step = 1; step < OBSERVATIONS_PER_TRACE; step++) {
                int number = step;
                switch (step % 3) {
                    case 0 -> tracer.generation("llm-call", generation -> {
                        generation.model(MODEL).input("prompt " + number).usage(120, 45);
                        return "completion " + number;
                    });
                    case 1 -> tracer.tool("tool-call", tool -> {
                        tool.input("arguments " + number);
                        return "result " + number;
                    });
                    default -> tracer.span("step", span -> {
                        span.input("step " + number);
                        return "done " + number;
                    });
                }
            }
            return "answer " + index;
        });
    }

    /** A tracer writing to a new, empty file store; it may block but never drops. */
    @State(Scope.Thread)
    public static class LoupeStore {
        Path directory;
        TraceStore store;
        Tracer tracer;

        /** Opens a new file store and a tracer that writes to it. */
        @Setup(Level.Iteration)
        public void open() {
            directory = Directories.fresh("b2-loupe-");
            store = TraceStore.open(directory);
            tracer = TracerBuilder.create().store(store).offerTimeout(Duration.ofMinutes(1)).maxBatchSize(BATCH_SIZE)
                    .shutdownHook(false).build();
        }

        /** Checks that every row arrived and closes the tracer and store. */
        @TearDown(Level.Iteration)
        public void checkAndClose() {
            ExporterStats stats = tracer.stats();
            tracer.close();
            long traces = store.traces(TraceQuery.builder().page(PageRequest.first(1)).build()).totalItems();
            long observations = store.observations(ObservationQuery.builder().page(PageRequest.first(1)).build())
                    .totalItems();
            store.close();
            Directories.delete(directory);
            RunFacts.record("B2.loupe.dropped", stats.dropped());
            RunFacts.record("B2.loupe.failed", stats.failed());
            if (stats.lost() > 0 || traces != TRACE_COUNT || observations != OBSERVATION_COUNT) {
                throw new IllegalStateException("Loupe stored " + traces + " traces and " + observations
                        + " observations (" + stats + "); expected " + TRACE_COUNT + " and " + OBSERVATION_COUNT);
            }
        }
    }

    /** A JDBC connection to a new file store whose schema Loupe created, and the rows to insert. */
    @State(Scope.Thread)
    public static class RawStore {
        Rows rows;
        Path directory;
        Connection connection;

        /** Builds the rows to insert, once per trial. */
        @Setup(Level.Trial)
        public void prepareRows() {
            rows = Rows.recordedByLoupe();
        }

        /** Creates a new file store with Loupe's schema and connects to it with JDBC. */
        @Setup(Level.Iteration)
        public void open() throws SQLException {
            directory = Directories.fresh("b2-raw-");
            TraceStore.open(directory).close();
            connection = DriverManager.getConnection(
                    "jdbc:h2:file:" + directory.resolve("loupe") + ";AUTO_SERVER=TRUE", "loupe", "");
            connection.setAutoCommit(false);
        }

        /** Checks that every row arrived and closes the connection. */
        @TearDown(Level.Iteration)
        public void checkAndClose() throws SQLException {
            DSLContext sql = DSL.using(connection, SQLDialect.H2, Rows.SETTINGS);
            int traces = sql.fetchCount(TRACES);
            int observations = sql.fetchCount(OBSERVATIONS);
            connection.close();
            Directories.delete(directory);
            if (traces != TRACE_COUNT || observations != OBSERVATION_COUNT) {
                throw new IllegalStateException("Raw JDBC stored " + traces + " traces and " + observations
                        + " observations; expected " + TRACE_COUNT + " and " + OBSERVATION_COUNT);
            }
        }
    }

    /** The rows of the workload as Loupe stores them, and insert statements rendered from the schema. */
    static final class Rows {
        static final Settings SETTINGS = new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER)
                .withRenderSchema(false);
        private static final List<Field<?>> TRACE_COLUMNS = List.of(TRACES.ID, TRACES.NAME, TRACES.START_TIME,
                TRACES.END_TIME, TRACES.LATENCY_MICROS, TRACES.INPUT, TRACES.OUTPUT, TRACES.USER_ID,
                TRACES.SESSION_ID, TRACES.METADATA, TRACES.RELEASE, TRACES.VERSION, TRACES.ENVIRONMENT,
                TRACES.OBSERVATION_COUNT, TRACES.ERROR_COUNT, TRACES.INPUT_TOKENS, TRACES.OUTPUT_TOKENS,
                TRACES.TOTAL_TOKENS, TRACES.TOTAL_COST, TRACES.UPDATED_AT);
        private static final List<Field<?>> OBSERVATION_COLUMNS = List.of(OBSERVATIONS.ID, OBSERVATIONS.TRACE_ID,
                OBSERVATIONS.PARENT_OBSERVATION_ID, OBSERVATIONS.TYPE, OBSERVATIONS.NAME, OBSERVATIONS.START_TIME,
                OBSERVATIONS.END_TIME, OBSERVATIONS.COMPLETION_START_TIME, OBSERVATIONS.INPUT, OBSERVATIONS.OUTPUT,
                OBSERVATIONS.METADATA, OBSERVATIONS.LEVEL, OBSERVATIONS.STATUS_MESSAGE, OBSERVATIONS.VERSION,
                OBSERVATIONS.MODEL, OBSERVATIONS.MODEL_PARAMETERS, OBSERVATIONS.USAGE_DETAILS,
                OBSERVATIONS.COST_DETAILS, OBSERVATIONS.INPUT_TOKENS, OBSERVATIONS.OUTPUT_TOKENS,
                OBSERVATIONS.TOTAL_TOKENS, OBSERVATIONS.TOTAL_COST, OBSERVATIONS.PROMPT_NAME,
                OBSERVATIONS.PROMPT_VERSION);

        final String insertTrace = insert(TRACES, TRACE_COLUMNS);
        final String insertObservation = insert(OBSERVATIONS, OBSERVATION_COLUMNS);
        final boolean[] traceJson = json(TRACE_COLUMNS);
        final boolean[] observationJson = json(OBSERVATION_COLUMNS);
        final List<Object[]> traces = new ArrayList<>();
        final List<List<Object[]>> observations = new ArrayList<>();

        /** Records the workload with a Loupe tracer that has no store and keeps what its exporter produces. */
        static Rows recordedByLoupe() {
            List<Trace> traces = Collections.synchronizedList(new ArrayList<>());
            List<Observation> observations = Collections.synchronizedList(new ArrayList<>());
            ExportListener keep = new ExportListener() {
                @Override
                public void onExport(TraceBatch batch) {
                    traces.addAll(batch.traces());
                    observations.addAll(batch.observations());
                }
            };
            try (Tracer tracer = TracerBuilder.create().withoutStore().listener(keep).offerTimeout(Duration.ofMinutes(1))
                    .shutdownHook(false).build()) {
                for (int index = 0; index < TRACE_COUNT; index++) {
                    recordTrace(tracer, index);
                }
                tracer.flush(Duration.ofMinutes(5));
            }
            Map<String, List<Observation>> byTrace = new HashMap<>();
            for (Observation observation : observations) {
                byTrace.computeIfAbsent(observation.traceId(), id -> new ArrayList<>()).add(observation);
            }
            Rows rows = new Rows();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            traces.sort(Comparator.comparing(Trace::timestamp));
            for (Trace trace : traces) {
                List<Observation> members = byTrace.get(trace.id());
                rows.traces.add(traceRow(trace, members, now));
                rows.observations.add(members.stream().map(Rows::observationRow).toList());
            }
            if (rows.traces.size() != TRACE_COUNT || observations.size() != OBSERVATION_COUNT) {
                throw new IllegalStateException("Recorded " + rows.traces.size() + " traces and "
                        + observations.size() + " observations; expected " + TRACE_COUNT + " and " + OBSERVATION_COUNT);
            }
            return rows;
        }

        /** The trace row with the figures Loupe's writer computes from its observations. */
        private static Object[] traceRow(Trace trace, List<Observation> members, Instant now) {
            long input = 0;
            long output = 0;
            long total = 0;
            BigDecimal cost = null;
            Instant end = null;
            for (Observation observation : members) {
                if (observation.usage() != null) {
                    input += observation.usage().input() == null ? 0 : observation.usage().input();
                    output += observation.usage().output() == null ? 0 : observation.usage().output();
                    total += observation.usage().total() == null ? 0 : observation.usage().total();
                }
                if (observation.cost() != null && observation.cost().total() != null) {
                    cost = cost == null ? observation.cost().total() : cost.add(observation.cost().total());
                }
                if (observation.endTime() != null && (end == null || observation.endTime().isAfter(end))) {
                    end = observation.endTime();
                }
            }
            Long latency = end == null ? null : Duration.between(trace.timestamp(), end).toNanos() / 1_000;
            return new Object[] {trace.id(), trace.name(), trace.timestamp(), end, latency, trace.input(),
                    trace.output(), trace.userId(), trace.sessionId(), trace.metadata(), trace.release(),
                    trace.version(), trace.environment(), members.size(), 0, input, output, total, cost, now};
        }

        private static Object[] observationRow(Observation observation) {
            var usage = observation.usage();
            var cost = observation.cost();
            return new Object[] {observation.id(), observation.traceId(), observation.parentObservationId(),
                    observation.type().name(), observation.name(), observation.startTime(), observation.endTime(),
                    observation.completionStartTime(), observation.input(), observation.output(),
                    observation.metadata(), observation.level().name(), observation.statusMessage(),
                    observation.version(), observation.model(), observation.modelParameters(),
                    usage == null ? null : Json.write(usage.details(), Integer.MAX_VALUE),
                    cost == null ? null : Json.write(cost.details(), Integer.MAX_VALUE),
                    usage == null ? null : usage.input(), usage == null ? null : usage.output(),
                    usage == null ? null : usage.total(), cost == null ? null : cost.total(),
                    observation.promptName(), observation.promptVersion()};
        }

        private static String insert(Table<?> table, List<Field<?>> columns) {
            return DSL.using(SQLDialect.H2, SETTINGS).insertInto(table).columns(columns)
                    .values(columns.stream().map(column -> DSL.val(null, column)).toList()).getSQL();
        }

        private static boolean[] json(List<Field<?>> columns) {
            boolean[] json = new boolean[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                json[i] = columns.get(i).getType() == JSON.class;
            }
            return json;
        }
    }
}
