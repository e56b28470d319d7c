package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.OBSERVATIONS;
import static dev.loupe.store.internal.generated.Tables.SCORES;
import static dev.loupe.store.internal.generated.Tables.TRACES;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.model.TraceStats;
import dev.loupe.trace.ObservationLevel;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSON;
import org.jooq.Record8;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Writes batches of records in one transaction with Langfuse's merge rules. New rows, the common case, go in
 * through JDBC batches of a statement rendered once by jOOQ (the engine's own speed); rows that exist already are
 * read, merged in Java by the read model's merge rules, and updated. Afterwards the figures of every trace touched
 * (counts, tokens, cost, end, latency) are recomputed from its observations.
 */
final class TraceWriter {

    private static final List<Field<?>> TRACE_COLUMNS = List.of(TRACES.ID, TRACES.NAME, TRACES.START_TIME,
            TRACES.INPUT, TRACES.OUTPUT, TRACES.USER_ID, TRACES.SESSION_ID, TRACES.METADATA, TRACES.RELEASE,
            TRACES.VERSION, TRACES.ENVIRONMENT, TRACES.TAGS, TRACES.UPDATED_AT);
    private static final List<Field<?>> OBSERVATION_COLUMNS = List.of(OBSERVATIONS.ID, OBSERVATIONS.TRACE_ID,
            OBSERVATIONS.PARENT_OBSERVATION_ID, OBSERVATIONS.TYPE, OBSERVATIONS.NAME, OBSERVATIONS.START_TIME,
            OBSERVATIONS.END_TIME, OBSERVATIONS.COMPLETION_START_TIME, OBSERVATIONS.INPUT, OBSERVATIONS.OUTPUT,
            OBSERVATIONS.METADATA, OBSERVATIONS.LEVEL, OBSERVATIONS.STATUS_MESSAGE, OBSERVATIONS.VERSION,
            OBSERVATIONS.MODEL, OBSERVATIONS.MODEL_PARAMETERS, OBSERVATIONS.USAGE_DETAILS, OBSERVATIONS.COST_DETAILS,
            OBSERVATIONS.INPUT_TOKENS, OBSERVATIONS.OUTPUT_TOKENS, OBSERVATIONS.TOTAL_TOKENS, OBSERVATIONS.TOTAL_COST,
            OBSERVATIONS.PROMPT_NAME, OBSERVATIONS.PROMPT_VERSION);
    private static final List<Field<?>> SCORE_COLUMNS = List.of(SCORES.ID, SCORES.TRACE_ID, SCORES.OBSERVATION_ID,
            SCORES.SESSION_ID, SCORES.NAME, SCORES.DATA_TYPE, SCORES.NUMERIC_VALUE, SCORES.STRING_VALUE,
            SCORES.COMMENT, SCORES.SOURCE, SCORES.CREATED_AT, SCORES.METADATA);
    private static final List<Field<?>> FIGURE_COLUMNS = List.of(TRACES.OBSERVATION_COUNT, TRACES.ERROR_COUNT,
            TRACES.INPUT_TOKENS, TRACES.OUTPUT_TOKENS, TRACES.TOTAL_TOKENS, TRACES.TOTAL_COST, TRACES.END_TIME,
            TRACES.LATENCY_MICROS, TRACES.START_TIME);

    /** The longest IN list a query gets; see {@link #inLists}. */
    static final int IN_LIST_LENGTH = 64;

    private final DSLContext sql;
    private final Clock clock;
    private final BatchStatement insertTraceWithFigures;
    private final BatchStatement updateTrace;
    private final BatchStatement insertObservation;
    private final BatchStatement updateObservation;
    private final BatchStatement insertScore;
    private final BatchStatement updateScore;
    private final BatchStatement updateFigures;

    TraceWriter(DSLContext sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
        List<Field<?>> withFigures = new ArrayList<>(TRACE_COLUMNS);
        withFigures.addAll(FIGURE_COLUMNS.subList(0, FIGURE_COLUMNS.indexOf(TRACES.START_TIME)));
        this.insertTraceWithFigures = insert(TRACES, withFigures);
        this.updateTrace = update(TRACES, TRACE_COLUMNS, TRACES.ID);
        this.insertObservation = insert(OBSERVATIONS, OBSERVATION_COLUMNS);
        this.updateObservation = update(OBSERVATIONS, OBSERVATION_COLUMNS, OBSERVATIONS.ID);
        this.insertScore = insert(SCORES, SCORE_COLUMNS);
        this.updateScore = update(SCORES, SCORE_COLUMNS, SCORES.ID);
        this.updateFigures = update(TRACES, FIGURE_COLUMNS, TRACES.ID);
    }

    private BatchStatement insert(Table<?> table, List<Field<?>> columns) {
        String statement = sql.insertInto(table).columns(columns)
                .values(columns.stream().map(column -> DSL.val(null, column)).toList()).getSQL();
        return new BatchStatement(statement, columns, false);
    }

    private BatchStatement update(Table<?> table, List<Field<?>> columns, Field<String> id) {
        Map<Field<?>, Field<?>> assignments = new LinkedHashMap<>();
        columns.stream().filter(column -> column != id).forEach(column -> assignments.put(column, DSL.val(null, column)));
        String statement = sql.update(table).set(assignments).where(id.eq(DSL.val((String) null))).getSQL();
        List<Field<?>> bound = new ArrayList<>(columns);
        boolean idInRow = bound.remove(id);
        bound.add(id);
        // Rows are given in column order, id first; the statement binds the id last, in its WHERE clause.
        return new BatchStatement(statement, bound, idInRow && columns.get(0) == id);
    }

    /**
     * Writes the batch on this connection and commits; rolls back and rethrows on failure.
     *
     * @param optimistic whether to insert observations and scores without looking for stored ones first. The
     *                   tracer sends each of them once, so this is the fast path; a duplicate key (SQL state 23505)
     *                   makes the caller write the batch again with {@code optimistic} false, which merges.
     */
    void write(Connection connection, TraceBatch batch, boolean optimistic) throws SQLException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Map<String, Trace> traces = collapse(batch.traces(), Trace::id, Trace::mergedWith);
        Map<String, Observation> observations = collapse(batch.observations(), Observation::id,
                Observation::mergedWith);
        Map<String, Score> scores = collapse(batch.scores(), Score::id, Score::mergedWith);
        DSLContext tx = DSL.using(connection, sql.dialect(), sql.settings());
        // An observation stays in the trace it was first written to, even when a later record names another trace:
        // read it so before that other trace is given a row below. (A read only: nothing to roll back if it fails.)
        Map<String, Observation> storedObservations = optimistic ? Map.of() : stored(tx, observations.keySet());
        observations.replaceAll((id, observation) -> {
            Observation stored = storedObservations.get(id);
            return stored == null || stored.traceId().equals(observation.traceId()) ? observation
                    : Observation.builder(id, stored.traceId()).build().mergedWith(observation);
        });
        // Observations and scores may arrive before the trace record they belong to: give them a trace row.
        for (Observation observation : observations.values()) {
            traces.merge(observation.traceId(),
                    Trace.builder(observation.traceId()).timestamp(observation.startTime()).build(),
                    Trace::mergedWith);
        }
        for (Score score : scores.values()) {
            if (score.traceId() != null) {
                traces.merge(score.traceId(), Trace.builder(score.traceId()).timestamp(score.timestamp()).build(),
                        Trace::mergedWith);
            }
        }
        try {
            Map<String, Trace> storedTraces = writeTraces(connection, tx, traces, observations, now);
            writeObservations(connection, observations, storedObservations);
            writeScores(connection, tx, scores, optimistic);
            updateFigures(connection, tx, storedTraces);
            connection.commit();
        } catch (SQLException | RuntimeException failure) {
            connection.rollback();
            for (BatchStatement statement : List.of(insertTraceWithFigures, updateTrace,
                    insertObservation, updateObservation, insertScore, updateScore, updateFigures)) {
                statement.clear();
            }
            throw failure;
        }
    }

    /**
     * Inserts new traces with their figures, computed here from the batch's observations (all a new trace has), and
     * merges traces that were stored before. Returns the merged stored traces, whose figures SQL must recompute.
     */
    private Map<String, Trace> writeTraces(Connection connection, DSLContext tx, Map<String, Trace> incoming,
            Map<String, Observation> observations, Instant now) throws SQLException {
        Map<String, Trace> existing = new HashMap<>();
        for (List<String> ids : inLists(incoming.keySet())) {
            for (var row : tx.selectFrom(TRACES).where(TRACES.ID.in(ids)).fetch()) {
                existing.put(row.getId(), Rows.trace(row));
            }
        }
        Map<String, List<Observation>> newTraceObservations = new HashMap<>();
        for (Observation observation : observations.values()) {
            if (!existing.containsKey(observation.traceId())) {
                newTraceObservations.computeIfAbsent(observation.traceId(), id -> new ArrayList<>()).add(observation);
            }
        }
        Map<String, Trace> merged = new LinkedHashMap<>();
        for (Trace trace : incoming.values()) {
            Trace stored = existing.get(trace.id());
            if (stored == null) {
                Trace row = trace.timestamp() == null ? trace.toBuilder().timestamp(now).build() : trace;
                TraceStats stats = TraceStats.of(row.timestamp(),
                        newTraceObservations.getOrDefault(row.id(), List.of()));
                insertTraceWithFigures.add(withFigures(traceRow(row, now), stats));
            } else {
                Trace result = stored.mergedWith(trace);
                if (!result.equals(stored)) {
                    updateTrace.add(traceRow(result, now));
                }
                merged.put(result.id(), result);
            }
        }
        insertTraceWithFigures.execute(connection);
        updateTrace.execute(connection);
        return merged;
    }

    private static Object[] withFigures(Object[] row, TraceStats stats) {
        Object[] values = Arrays.copyOf(row, row.length + 8);
        int at = row.length;
        values[at++] = stats.observationCount();
        values[at++] = stats.errorCount();
        values[at++] = stats.inputTokens();
        values[at++] = stats.outputTokens();
        values[at++] = stats.totalTokens();
        values[at++] = stats.totalCost();
        values[at++] = stats.endTime();
        values[at] = stats.latency() == null ? null : stats.latency().toNanos() / 1_000;
        return values;
    }

    private static Map<String, Observation> stored(DSLContext tx, Collection<String> observationIds) {
        Map<String, Observation> stored = new HashMap<>();
        for (List<String> ids : inLists(observationIds)) {
            for (var row : tx.selectFrom(OBSERVATIONS).where(OBSERVATIONS.ID.in(ids)).fetch()) {
                stored.put(row.getId(), Rows.observation(row));
            }
        }
        return stored;
    }

    private void writeObservations(Connection connection, Map<String, Observation> incoming,
            Map<String, Observation> existing) throws SQLException {
        if (incoming.isEmpty()) {
            return;
        }
        for (Observation observation : incoming.values()) {
            Observation stored = existing.get(observation.id());
            if (stored == null) {
                insertObservation.add(observationRow(observation));
            } else {
                Observation result = stored.mergedWith(observation);
                if (!result.equals(stored)) {
                    updateObservation.add(observationRow(result));
                }
            }
        }
        insertObservation.execute(connection);
        updateObservation.execute(connection);
    }

    private void writeScores(Connection connection, DSLContext tx, Map<String, Score> incoming, boolean optimistic)
            throws SQLException {
        if (incoming.isEmpty()) {
            return;
        }
        Map<String, Score> existing = new HashMap<>();
        for (List<String> ids : optimistic ? List.<List<String>>of() : inLists(incoming.keySet())) {
            for (var row : tx.selectFrom(SCORES).where(SCORES.ID.in(ids)).fetch()) {
                existing.put(row.getId(), Rows.score(row));
            }
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        for (Score score : incoming.values()) {
            Score stored = existing.get(score.id());
            if (stored == null) {
                insertScore.add(scoreRow(score, now));
            } else {
                Score result = stored.mergedWith(score);
                if (!result.equals(stored)) {
                    updateScore.add(scoreRow(result, now));
                }
            }
        }
        insertScore.execute(connection);
        updateScore.execute(connection);
    }

    /** Recomputes counts, tokens, cost, end time and latency of the traces touched by this batch. */
    private void updateFigures(Connection connection, DSLContext tx, Map<String, Trace> traces) throws SQLException {
        if (traces.isEmpty()) {
            return;
        }
        Map<String, Record8<String, Integer, Integer, BigDecimal, BigDecimal, BigDecimal, BigDecimal, Instant>> figures =
                new HashMap<>();
        for (List<String> ids : inLists(traces.keySet())) {
            for (var row : tx.select(OBSERVATIONS.TRACE_ID, DSL.count(),
                            DSL.count().filterWhere(OBSERVATIONS.LEVEL.eq(ObservationLevel.ERROR.name())),
                            DSL.sum(OBSERVATIONS.INPUT_TOKENS), DSL.sum(OBSERVATIONS.OUTPUT_TOKENS),
                            DSL.sum(OBSERVATIONS.TOTAL_TOKENS), DSL.sum(OBSERVATIONS.TOTAL_COST),
                            DSL.max(OBSERVATIONS.END_TIME))
                    .from(OBSERVATIONS)
                    .where(OBSERVATIONS.TRACE_ID.in(ids))
                    .groupBy(OBSERVATIONS.TRACE_ID)
                    .fetch()) {
                figures.put(row.value1(), row);
            }
        }
        for (Trace trace : traces.values()) {
            var row = figures.get(trace.id());
            if (row == null) {
                updateFigures.add(new Object[] {0, 0, 0L, 0L, 0L, null, null, null, trace.timestamp(), trace.id()});
                continue;
            }
            Instant end = row.value8();
            Duration latency = end == null || trace.timestamp() == null ? null : Duration.between(trace.timestamp(), end);
            updateFigures.add(new Object[] {row.value2(), row.value3(), longOf(row.value4()), longOf(row.value5()),
                    longOf(row.value6()), row.value7(), end,
                    latency == null ? null : latency.toNanos() / 1_000, trace.timestamp(), trace.id()});
        }
        updateFigures.execute(connection);
    }

    /**
     * Splits ids into IN lists of at most {@value #IN_LIST_LENGTH}. H2 finds the rows of an IN list through the index,
     * then checks each row against the whole list again, element by element: one list of a whole batch's ids (up to
     * thousands) made the lookups cost rows × ids, the writer's biggest cost after inserting and committing.
     */
    static <T> List<List<T>> inLists(Collection<T> ids) {
        List<T> all = List.copyOf(ids);
        List<List<T>> lists = new ArrayList<>((all.size() + IN_LIST_LENGTH - 1) / IN_LIST_LENGTH);
        for (int start = 0; start < all.size(); start += IN_LIST_LENGTH) {
            lists.add(all.subList(start, Math.min(all.size(), start + IN_LIST_LENGTH)));
        }
        return lists;
    }

    private static long longOf(BigDecimal sum) {
        return sum == null ? 0 : sum.longValue();
    }

    private static Object[] traceRow(Trace trace, Instant now) {
        return new Object[] {trace.id(), trace.name(), trace.timestamp(), trace.input(), trace.output(),
                trace.userId(), trace.sessionId(), trace.metadata(), trace.release(), trace.version(),
                trace.environment(), Rows.tagsColumn(trace.tags()), now};
    }

    private static Object[] observationRow(Observation observation) {
        var usage = observation.usage();
        var cost = observation.cost();
        return new Object[] {observation.id(), observation.traceId(), observation.parentObservationId(),
                observation.type().name(), observation.name(),
                observation.startTime() != null ? observation.startTime()
                        : observation.endTime() != null ? observation.endTime() : Instant.now(),
                observation.endTime(), observation.completionStartTime(), observation.input(), observation.output(),
                observation.metadata(), observation.level().name(), observation.statusMessage(),
                observation.version(), observation.model(), observation.modelParameters(),
                usage == null ? null : Rows.usageJson(usage), cost == null ? null : Rows.costJson(cost),
                usage == null ? null : usage.input(), usage == null ? null : usage.output(),
                usage == null ? null : usage.total(), cost == null ? null : cost.total(),
                observation.promptName(), observation.promptVersion()};
    }

    private static Object[] scoreRow(Score score, Instant now) {
        return new Object[] {score.id(), score.traceId(), score.observationId(), score.sessionId(), score.name(),
                score.dataType().name(), score.value(), score.stringValue(), score.comment(), score.source(),
                score.timestamp() == null ? now : score.timestamp(), score.metadata()};
    }

    private static <T> Map<String, T> collapse(Collection<T> records, Function<T, String> id,
            java.util.function.BinaryOperator<T> merge) {
        Map<String, T> byId = new LinkedHashMap<>();
        for (T record : records) {
            byId.merge(id.apply(record), record, merge);
        }
        return byId;
    }

    /**
     * A statement rendered once by jOOQ and executed as a JDBC batch: each row is bound in column order. JSON
     * columns are bound as UTF-8 bytes so H2 stores JSON documents, not JSON strings of them.
     */
    private static final class BatchStatement {
        private final String statement;
        private final boolean[] json;
        private final List<Object[]> rows = new ArrayList<>();
        private final boolean idFirstInRow;

        BatchStatement(String statement, List<Field<?>> columns, boolean idFirstInRow) {
            this.statement = statement;
            this.idFirstInRow = idFirstInRow;
            this.json = new boolean[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                json[i] = columns.get(i).getType() == JSON.class;
            }
        }

        void add(Object[] row) {
            rows.add(row);
        }

        void clear() {
            rows.clear();
        }

        void execute(Connection connection) throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            try (PreparedStatement prepared = connection.prepareStatement(statement)) {
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        Object value = idFirstInRow ? row[(i + 1) % row.length] : row[i];
                        if (value != null && json[i]) {
                            prepared.setBytes(i + 1, value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        } else {
                            prepared.setObject(i + 1, value);
                        }
                    }
                    prepared.addBatch();
                }
                prepared.executeBatch();
            } finally {
                rows.clear();
            }
        }
    }
}
