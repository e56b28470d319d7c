package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.OBSERVATIONS;
import static dev.loupe.store.internal.generated.Tables.SCORES;
import static dev.loupe.store.internal.generated.Tables.TRACES;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.model.TraceStats;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSON;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Writes batches of records in one transaction with Langfuse's merge rules. New rows, the common case, go in
 * through JDBC batches of a statement rendered once by jOOQ (the engine's own speed); rows that exist already are
 * read, merged in Java by the read model's merge rules, and updated. Afterwards the figures of every trace touched
 * (counts, tokens, cost, end, latency) are added up again from its observations by {@link TraceStats.Accumulator},
 * the one definition of them. Which value goes into which column is {@link Rows}' business alone.
 *
 * <p>The search index ({@link SearchIndex}: the words of each trace and all its observations, cut by
 * {@link SearchText}) and the metadata entries (flattened by {@link MetadataEntries}) are written in the same
 * transaction, from the very rows stored. A new row's words and entries go in; for an updated row, those the merged
 * row has and the stored one had not. When an update takes words away, the trace's words are worked out again from
 * all its stored rows, since another of its observations may still hold them; metadata entries, kept per row, go
 * out directly. Whatever the merge rules, the index holds what the stored rows hold. The words indexed for the
 * traces written last are remembered ({@link RecentTraceWords}), so that a trace written over many batches is not
 * listed again for the words it holds already.
 */
final class TraceWriter {

    /** The columns of a trace's own record: all but its figures, which are added up whenever a write touches it. */
    private static final List<Field<?>> RECORD_COLUMNS = TRACES.fieldStream()
            .filter(column -> !Rows.TRACE_FIGURE_COLUMNS.contains(column)).toList();

    /** The longest IN list a query gets; see {@link #inLists}. */
    static final int IN_LIST_LENGTH = 64;

    private final DSLContext sql;
    private final Clock clock;
    private final BatchStatement insertTrace;
    private final BatchStatement updateTrace;
    private final BatchStatement updateFigures;
    private final BatchStatement insertObservation;
    private final BatchStatement updateObservation;
    private final BatchStatement insertScore;
    private final BatchStatement updateScore;
    private final SearchIndex index;
    private final RecentTraceWords indexedWords = new RecentTraceWords(RecentTraceWords.MAX_WORDS);
    private final MetadataIndex metadataIndex;
    private final List<BatchStatement> statements;
    /** Of the batch being written: the words its rows add, by trace id. */
    private final Map<String, Set<String>> words = new HashMap<>();
    /** Of the batch being written: the words its updated rows no longer have, by trace id. */
    private final Map<String, Set<String>> lostWords = new HashMap<>();
    /** Of the batch being written: the stored traces whose start it moves, with the start they had. */
    private final Map<String, Instant> movedTraces = new HashMap<>();
    /** Of the batch being written: the traces it inserts. */
    private final Set<String> newTraces = new HashSet<>();
    /** Of the batch being written: the metadata entries its rows gain, with their trace and observation ids. */
    private final List<DocumentEntry> gainedEntries = new ArrayList<>();
    /** Of the batch being written: the metadata entries its updated rows no longer have. */
    private final List<DocumentEntry> lostEntries = new ArrayList<>();

    /** A metadata entry of one document: a trace's own metadata (observation id {@link #TRACE_DOCUMENT}) or an
     * observation's. */
    private record DocumentEntry(String traceId, String observationId, MetadataEntries.Entry entry) {
    }

    TraceWriter(DSLContext sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
        this.insertTrace = BatchStatement.insert(sql, TRACES);
        this.updateTrace = BatchStatement.update(sql, TRACES, RECORD_COLUMNS, TRACES.ID);
        this.updateFigures = BatchStatement.update(sql, TRACES, Rows.TRACE_FIGURE_COLUMNS, TRACES.ID);
        this.insertObservation = BatchStatement.insert(sql, OBSERVATIONS);
        this.updateObservation = BatchStatement.update(sql, OBSERVATIONS, List.of(OBSERVATIONS.fields()),
                OBSERVATIONS.ID);
        this.insertScore = BatchStatement.insert(sql, SCORES);
        this.updateScore = BatchStatement.update(sql, SCORES, List.of(SCORES.fields()), SCORES.ID);
        this.index = new SearchIndex(sql);
        this.metadataIndex = new MetadataIndex(sql);
        this.statements = List.of(insertTrace, updateTrace, updateFigures, insertObservation, updateObservation,
                insertScore, updateScore);
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
            words.clear();
            lostWords.clear();
            movedTraces.clear();
            newTraces.clear();
            gainedEntries.clear();
            lostEntries.clear();
            Map<String, Instant> starts = new HashMap<>();
            Map<String, Trace> storedTraces = writeTraces(connection, tx, traces, observations, now, starts);
            writeObservations(connection, observations, storedObservations, now);
            writeIndex(connection, tx, starts);
            writeScores(connection, tx, scores, optimistic, now);
            updateFigures(connection, tx, storedTraces);
            connection.commit();
            indexedWords.commit();
        } catch (SQLException | RuntimeException failure) {
            indexedWords.rollback();
            connection.rollback();
            statements.forEach(BatchStatement::clear);
            throw failure;
        }
    }

    /**
     * Inserts new traces with their figures, added up here from the batch's observations (all a new trace has), and
     * merges traces that were stored before. Returns the merged stored traces, whose figures are added up again from
     * the stored observations once this batch's are written.
     */
    private Map<String, Trace> writeTraces(Connection connection, DSLContext tx, Map<String, Trace> incoming,
            Map<String, Observation> observations, Instant now, Map<String, Instant> starts) throws SQLException {
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
                Trace started = trace.timestamp() == null ? trace.toBuilder().timestamp(now).build() : trace;
                TraceStats stats = TraceStats.of(started.timestamp(),
                        newTraceObservations.getOrDefault(started.id(), List.of()));
                insertTrace.add(Rows.withFigures(Rows.traceRow(started, now), stats));
                starts.put(started.id(), started.timestamp());
                newTraces.add(started.id());
                index(started.id(), TRACE_DOCUMENT, Set.of(), SearchText.words(started),
                        Set.of(), MetadataEntries.of(started.metadata()));
            } else {
                Trace result = stored.mergedWith(trace);
                if (!result.equals(stored)) {
                    updateTrace.add(Rows.traceRow(result, now));
                    if (!result.timestamp().equals(stored.timestamp())) {
                        movedTraces.put(result.id(), stored.timestamp());
                    }
                    index(result.id(), TRACE_DOCUMENT, SearchText.words(stored),
                            SearchText.words(result), MetadataEntries.of(stored.metadata()),
                            MetadataEntries.of(result.metadata()));
                }
                starts.put(result.id(), result.timestamp());
                merged.put(result.id(), result);
            }
        }
        insertTrace.execute(connection);
        updateTrace.execute(connection);
        return merged;
    }

    private static Map<String, Observation> stored(DSLContext tx, Collection<String> observationIds) {
        Map<String, Observation> stored = new HashMap<>();
        for (List<String> ids : inLists(observationIds)) {
            for (var row : tx.selectFrom(OBSERVATIONS).where(OBSERVATIONS.ID.in(ids)).fetch()) {
                stored.put(row.getId(), Rows.observationToMerge(row));
            }
        }
        return stored;
    }

    private void writeObservations(Connection connection, Map<String, Observation> incoming,
            Map<String, Observation> existing, Instant now) throws SQLException {
        if (incoming.isEmpty()) {
            return;
        }
        for (Observation observation : incoming.values()) {
            Observation stored = existing.get(observation.id());
            if (stored == null) {
                insertObservation.add(Rows.observationRow(observation, now));
                index(observation.traceId(), observation.id(), Set.of(),
                        SearchText.words(observation), Set.of(), MetadataEntries.of(observation.metadata()));
            } else {
                Observation result = stored.mergedWith(observation);
                if (!result.equals(stored)) {
                    updateObservation.add(Rows.observationRow(result, now));
                    index(result.traceId(), result.id(), SearchText.words(stored),
                            SearchText.words(result), MetadataEntries.of(stored.metadata()),
                            MetadataEntries.of(result.metadata()));
                }
            }
        }
        insertObservation.execute(connection);
        updateObservation.execute(connection);
    }

    /** The observation id of a trace's own document in the search index and the metadata entries. */
    static final String TRACE_DOCUMENT = "";

    /**
     * Notes the index changes of one document (a trace's own fields, or an observation) from what the stored row had
     * to what the written row has: its new words for its trace, and its metadata entries.
     */
    private void index(String traceId, String observationId, Set<String> oldWords,
            Set<String> newWords, Set<MetadataEntries.Entry> oldEntries, Set<MetadataEntries.Entry> newEntries) {
        Set<String> traceWords = words.computeIfAbsent(traceId, id -> new HashSet<>());
        for (String word : newWords) {
            if (!oldWords.contains(word)) {
                traceWords.add(word);
            }
        }
        for (String word : oldWords) {
            if (!newWords.contains(word)) {
                lostWords.computeIfAbsent(traceId, id -> new HashSet<>()).add(word);
            }
        }
        for (MetadataEntries.Entry entry : oldEntries) {
            if (!newEntries.contains(entry)) {
                lostEntries.add(new DocumentEntry(traceId, observationId, entry));
            }
        }
        for (MetadataEntries.Entry entry : newEntries) {
            if (!oldEntries.contains(entry)) {
                gainedEntries.add(new DocumentEntry(traceId, observationId, entry));
            }
        }
    }

    /**
     * Writes the words noted for each trace that the index does not hold for it yet (a trace new in this batch holds
     * none; of the others, the words remembered as indexed are left out). A lost word goes out unless another row of
     * its trace still has it, and a trace whose start moved has its words written again under the new start: both
     * work the trace's words out from all its stored rows.
     */
    private void writeIndex(Connection connection, DSLContext tx, Map<String, Instant> starts) throws SQLException {
        Set<String> reworded = new HashSet<>(lostWords.keySet());
        reworded.addAll(movedTraces.keySet());
        reworded.removeAll(newTraces);
        Map<String, List<SearchIndex.Posting>> removed = new HashMap<>();
        Map<String, Set<String>> allWords = new HashMap<>();
        Map<MetadataEntries.Entry, List<MetadataIndex.Document>> entriesGone = new HashMap<>();
        Map<MetadataEntries.Entry, List<MetadataIndex.Document>> entriesAdded = new HashMap<>();
        for (String traceId : reworded) {
            // The writes of this batch are in the transaction already: these are the rows as stored.
            Trace trace = tx.selectFrom(TRACES).where(TRACES.ID.eq(traceId)).fetchOne(Rows::trace);
            List<Observation> observations = tx.selectFrom(OBSERVATIONS).where(OBSERVATIONS.TRACE_ID.eq(traceId))
                    .fetch(Rows::observation);
            Set<String> now = SearchText.words(trace, observations);
            boolean moved = movedTraces.containsKey(traceId);
            if (moved) {
                // Every metadata entry of the trace is listed under its old start: list them all again.
                moveEntries(trace, observations, movedTraces.get(traceId), entriesGone, entriesAdded);
            }
            Instant before = moved ? movedTraces.get(traceId) : starts.get(traceId);
            Set<String> gone = new HashSet<>(lostWords.getOrDefault(traceId, Set.of()));
            if (moved) {
                gone.addAll(now);
            } else {
                gone.removeAll(now);
            }
            for (String word : gone) {
                removed.computeIfAbsent(word, w -> new ArrayList<>()).add(SearchIndex.Posting.of(before, traceId));
            }
            words.put(traceId, moved ? now : words.getOrDefault(traceId, Set.of()));
            allWords.put(traceId, now);
        }
        index.remove(tx, removed);
        Map<String, List<SearchIndex.Posting>> added = new HashMap<>();
        for (Map.Entry<String, Set<String>> traceWords : words.entrySet()) {
            String traceId = traceWords.getKey();
            boolean fresh = newTraces.contains(traceId) || movedTraces.containsKey(traceId);
            Set<String> known = fresh ? Set.of() : indexedWords.get(traceId);
            SearchIndex.Posting posting = SearchIndex.Posting.of(starts.get(traceId), traceId);
            for (String word : traceWords.getValue()) {
                if (!known.contains(word)) {
                    added.computeIfAbsent(word, w -> new ArrayList<>()).add(posting);
                }
            }
            // What the trace now holds: all of it for a new or reworded trace, else at least these words.
            Set<String> all = allWords.get(traceId);
            if (all != null || newTraces.contains(traceId)) {
                indexedWords.replace(traceId, all != null ? all : traceWords.getValue());
            } else {
                indexedWords.add(traceId, traceWords.getValue());
            }
        }
        index.add(connection, added);
        for (DocumentEntry lost : lostEntries) {
            if (!movedTraces.containsKey(lost.traceId())) {
                entriesGone.computeIfAbsent(lost.entry(), e -> new ArrayList<>()).add(MetadataIndex.Document.of(
                        starts.get(lost.traceId()), lost.traceId(), lost.observationId()));
            }
        }
        for (DocumentEntry gained : gainedEntries) {
            if (!movedTraces.containsKey(gained.traceId())) {
                entriesAdded.computeIfAbsent(gained.entry(), e -> new ArrayList<>()).add(MetadataIndex.Document.of(
                        starts.get(gained.traceId()), gained.traceId(), gained.observationId()));
            }
        }
        metadataIndex.remove(tx, entriesGone);
        metadataIndex.add(connection, entriesAdded);
    }

    /**
     * Notes every metadata entry of a trace whose start moved to be taken out under its old start (with those this
     * batch took away, which were listed there too) and listed again under its new one.
     */
    private void moveEntries(Trace trace, List<Observation> observations, Instant before,
            Map<MetadataEntries.Entry, List<MetadataIndex.Document>> gone,
            Map<MetadataEntries.Entry, List<MetadataIndex.Document>> added) {
        String traceId = trace.id();
        List<DocumentEntry> now = new ArrayList<>();
        MetadataEntries.of(trace.metadata()).forEach(entry -> now.add(new DocumentEntry(traceId, TRACE_DOCUMENT,
                entry)));
        for (Observation observation : observations) {
            MetadataEntries.of(observation.metadata()).forEach(entry -> now.add(new DocumentEntry(traceId,
                    observation.id(), entry)));
        }
        List<DocumentEntry> listedBefore = new ArrayList<>(now);
        lostEntries.stream().filter(lost -> lost.traceId().equals(traceId)).forEach(listedBefore::add);
        for (DocumentEntry entry : listedBefore) {
            gone.computeIfAbsent(entry.entry(), e -> new ArrayList<>())
                    .add(MetadataIndex.Document.of(before, traceId, entry.observationId()));
        }
        for (DocumentEntry entry : now) {
            added.computeIfAbsent(entry.entry(), e -> new ArrayList<>())
                    .add(MetadataIndex.Document.of(trace.timestamp(), traceId, entry.observationId()));
        }
    }

    private void writeScores(Connection connection, DSLContext tx, Map<String, Score> incoming, boolean optimistic,
            Instant now) throws SQLException {
        if (incoming.isEmpty()) {
            return;
        }
        Map<String, Score> existing = new HashMap<>();
        for (List<String> ids : optimistic ? List.<List<String>>of() : inLists(incoming.keySet())) {
            for (var row : tx.selectFrom(SCORES).where(SCORES.ID.in(ids)).fetch()) {
                existing.put(row.getId(), Rows.score(row));
            }
        }
        for (Score score : incoming.values()) {
            Score stored = existing.get(score.id());
            if (stored == null) {
                insertScore.add(Rows.scoreRow(score, now));
            } else {
                Score result = stored.mergedWith(score);
                if (!result.equals(stored)) {
                    updateScore.add(Rows.scoreRow(result, now));
                }
            }
        }
        insertScore.execute(connection);
        updateScore.execute(connection);
    }

    /**
     * Adds up the figures of traces stored before from all their observations, stored and just written: the figure
     * columns each observation row keeps go into the same {@link TraceStats.Accumulator} that a new trace's
     * observations go into.
     */
    private void updateFigures(Connection connection, DSLContext tx, Map<String, Trace> traces) throws SQLException {
        if (traces.isEmpty()) {
            return;
        }
        Map<String, TraceStats.Accumulator> figuresByTrace = new HashMap<>();
        for (List<String> ids : inLists(traces.keySet())) {
            for (var row : tx.select(OBSERVATIONS.TRACE_ID).select(Rows.OBSERVATION_FIGURE_COLUMNS)
                    .from(OBSERVATIONS)
                    .where(OBSERVATIONS.TRACE_ID.in(ids))
                    .fetchInto(OBSERVATIONS)) {
                figuresByTrace.computeIfAbsent(row.getTraceId(), id -> new TraceStats.Accumulator())
                        .add(Rows.figures(row));
            }
        }
        for (Trace trace : traces.values()) {
            TraceStats stats = figuresByTrace.getOrDefault(trace.id(), new TraceStats.Accumulator())
                    .stats(trace.timestamp());
            updateFigures.add(Rows.figuresRow(trace.id(), stats));
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

    private static <T> Map<String, T> collapse(Collection<T> records, Function<T, String> id, BinaryOperator<T> merge) {
        Map<String, T> byId = new LinkedHashMap<>();
        for (T record : records) {
            byId.merge(id.apply(record), record, merge);
        }
        return byId;
    }

    /**
     * A statement rendered once by jOOQ and executed as a JDBC batch of rows, each a generated record filled by
     * {@link Rows}: parameter i is bound from the record's value of the statement's column i. JSON columns are bound
     * as UTF-8 bytes so H2 stores JSON documents, not JSON strings of them.
     */
    private static final class BatchStatement {
        private final String statement;
        /** For each parameter of the statement, in order: the index of its column in the table's records. */
        private final int[] columnIndexes;
        private final boolean[] json;
        private final List<Record> rows = new ArrayList<>();

        private BatchStatement(String statement, Table<?> table, List<? extends Field<?>> parameters) {
            this.statement = statement;
            this.columnIndexes = new int[parameters.size()];
            this.json = new boolean[parameters.size()];
            for (int i = 0; i < parameters.size(); i++) {
                Field<?> column = parameters.get(i);
                columnIndexes[i] = table.indexOf(column);
                if (columnIndexes[i] < 0) {
                    throw new IllegalArgumentException(column + " is not a column of " + table);
                }
                json[i] = column.getType() == JSON.class;
            }
        }

        /** {@code INSERT INTO table (every column) VALUES (...)}. */
        static BatchStatement insert(DSLContext sql, Table<?> table) {
            List<Field<?>> columns = List.of(table.fields());
            String statement = sql.insertInto(table).columns(columns)
                    .values(columns.stream().map(column -> DSL.val(null, column)).toList()).getSQL();
            return new BatchStatement(statement, table, columns);
        }

        /** {@code UPDATE table SET (these columns but the id) WHERE id = ...}. */
        static BatchStatement update(DSLContext sql, Table<?> table, List<Field<?>> columns, Field<String> id) {
            Map<Field<?>, Field<?>> assignments = new LinkedHashMap<>();
            List<Field<?>> parameters = new ArrayList<>();
            for (Field<?> column : columns) {
                if (!column.equals(id)) {
                    assignments.put(column, DSL.val(null, column));
                    parameters.add(column);
                }
            }
            parameters.add(id);
            String statement = sql.update(table).set(assignments).where(id.eq(DSL.val((String) null))).getSQL();
            return new BatchStatement(statement, table, parameters);
        }

        void add(Record row) {
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
                for (Record row : rows) {
                    for (int i = 0; i < columnIndexes.length; i++) {
                        Object value = row.get(columnIndexes[i]);
                        if (value != null && json[i]) {
                            prepared.setBytes(i + 1, ((JSON) value).data().getBytes(StandardCharsets.UTF_8));
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
