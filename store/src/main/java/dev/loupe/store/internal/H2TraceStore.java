package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.OBSERVATIONS;
import static dev.loupe.store.internal.generated.Tables.SCORES;
import static dev.loupe.store.internal.generated.Tables.TRACES;

import dev.loupe.internal.ShutdownHooks;
import dev.loupe.model.MatchedObservation;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Session;
import dev.loupe.model.SessionSummary;
import dev.loupe.model.TraceBatch;
import dev.loupe.model.TraceSummary;
import dev.loupe.model.TraceTree;
import dev.loupe.store.MetadataFilter;
import dev.loupe.store.ObservationQuery;
import dev.loupe.store.Page;
import dev.loupe.store.PageRequest;
import dev.loupe.store.ScoreQuery;
import dev.loupe.store.SessionQuery;
import dev.loupe.store.StoreUnavailableException;
import dev.loupe.store.TestRunStore;
import dev.loupe.store.TraceOrder;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import dev.loupe.store.internal.generated.tables.Traces;
import dev.loupe.store.internal.generated.tables.records.TracesRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.OrderField;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded H2 trace store: a file store (shared with other processes through H2's automatic server mode) or an
 * in-memory one. The schema is created and migrated by Flyway when the store opens, unless it is current already.
 */
public final class H2TraceStore implements TraceStore {

    static {
        // jOOQ prints a banner and tips on first use; a library must not.
        System.setProperty("org.jooq.no-logo", System.getProperty("org.jooq.no-logo", "true"));
        System.setProperty("org.jooq.no-tips", System.getProperty("org.jooq.no-tips", "true"));
    }

    private static final Logger LOG = LoggerFactory.getLogger(H2TraceStore.class);

    /** File name (without H2's extension) of the database inside a store directory. */
    static final String DATABASE_NAME = "loupe";
    private static final int MAX_CONNECTIONS = 16;

    private final String location;
    /** The database file of a file store, whose size decides compaction; null for an in-memory store. */
    private final Path databaseFile;
    /** How long a write waits for a shared store whose host process went away to be reachable again. */
    private static final Duration RECONNECT_DEADLINE = Duration.ofSeconds(30);

    private final ConnectionSource pool;
    private final DSLContext sql;
    /** Replaced when the connection is lost; guarded by {@link #writeLock}. */
    private Connection writeConnection;
    private final TraceWriter writer;
    private final TraceSearch search;
    private final MetadataIndex metadataIndex;
    private final H2TestRunStore testRuns;
    private final Object writeLock = new Object();
    private volatile boolean closed;

    private H2TraceStore(String url, String location, Path databaseFile) {
        this.location = location;
        this.databaseFile = databaseFile;
        this.pool = new ConnectionSource(url, MAX_CONNECTIONS);
        Settings settings = new Settings()
                .withRenderQuotedNames(RenderQuotedNames.NEVER)
                .withExecuteLogging(false)
                .withRenderSchema(false);
        this.sql = DSL.using(pool, SQLDialect.H2, settings);
        Schema.warmUpInBackground();
        try {
            // Held for the store's lifetime: it also keeps an in-memory database alive.
            this.writeConnection = pool.getConnection();
            this.writeConnection.setAutoCommit(false);
            Schema.migrate(pool, writeConnection);
        } catch (SQLException | RuntimeException failure) {
            pool.dispose();
            throw new IllegalStateException("Cannot open the Loupe store at " + location + ": " + rootMessage(failure)
                    + ". If another program holds it in exclusive mode, close that program; if the files are "
                    + "damaged, move the directory away and Loupe creates a new store.", failure);
        }
        this.writer = new TraceWriter(sql, Clock.systemUTC());
        this.search = new TraceSearch(sql);
        this.metadataIndex = new MetadataIndex(sql);
        this.testRuns = new H2TestRunStore(sql, this::checkOpen);
        ShutdownHooks.takeOverH2();
    }

    /** Opens the file store in this directory, creating the directory and the schema as needed. */
    public static H2TraceStore openFile(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (java.io.IOException | RuntimeException failure) {
            throw new IllegalStateException("Cannot create the Loupe store directory " + absolute + ": "
                    + failure.getMessage() + ". Choose a writable directory (setting loupe.store).", failure);
        }
        // AUTO_SERVER lets a second process (a devserver, another test JVM) open the same store.
        // H2 closes the database at JVM exit; ShutdownHooks makes tracers drain their queues first.
        // Commits reach the file within H2's write delay (500 ms); sync() forces them there for flush().
        String url = "jdbc:h2:file:" + absolute.resolve(DATABASE_NAME) + ";AUTO_SERVER=TRUE";
        return new H2TraceStore(url, absolute.toString(), absolute.resolve(DATABASE_NAME + ".mv.db"));
    }

    /** Opens a new, empty in-memory store. */
    public static H2TraceStore inMemory() {
        String name = "loupe-" + UUID.randomUUID();
        return new H2TraceStore("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=0", "memory:" + name, null);
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public void write(TraceBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        synchronized (writeLock) {
            checkOpen();
            whileReconnecting("write " + batch.size() + " records to", () -> writeOnce(batch));
        }
    }

    private void writeOnce(TraceBatch batch) {
        SQLException lastConflict = null;
        // The first attempt inserts observations and scores without looking for stored ones (the tracer sends
        // each once). A duplicate key means some were stored: the next attempts look them up and merge. Another
        // process writing the same ids may also win a race between a read and an insert: retrying merges then.
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                writer.write(writeConnection, batch, attempt == 0);
                return;
            } catch (SQLException failure) {
                if (ConnectionSource.isConnectionLost(failure)) {
                    throw new ConnectionLost(failure);
                }
                if (!"23505".equals(failure.getSQLState())) {
                    throw translate(failure, batch);
                }
                lastConflict = failure;
            } catch (DataAccessException failure) {
                if (ConnectionSource.isConnectionLost(failure)) {
                    throw new ConnectionLost(failure);
                }
                throw translate(failure, batch);
            }
        }
        throw translate(lastConflict, batch);
    }

    @Override
    public void sync() {
        synchronized (writeLock) {
            checkOpen();
            whileReconnecting("make durable what was written to", () -> {
                // CHECKPOINT is an H2 command jOOQ does not model: a constant statement with no values in it.
                try (var statement = writeConnection.createStatement()) {
                    statement.execute("CHECKPOINT");
                } catch (SQLException failure) {
                    if (ConnectionSource.isConnectionLost(failure)) {
                        throw new ConnectionLost(failure);
                    }
                    throw new IllegalStateException("Cannot make the Loupe store at " + location + " durable: "
                            + rootMessage(failure), failure);
                }
            });
        }
    }

    /**
     * Runs the work; when the connection is lost (the process that hosted a shared store went away), connects anew
     * and runs it again, until it succeeds or {@link #RECONNECT_DEADLINE} has passed. A new connection reaches the
     * process that hosts the store now, or opens it here. The work is one transaction: a lost one was rolled back.
     */
    private void whileReconnecting(String what, Runnable work) {
        long deadline = System.nanoTime() + RECONNECT_DEADLINE.toNanos();
        long pauseMillis = 50;
        while (true) {
            try {
                work.run();
                return;
            } catch (ConnectionLost lost) {
                if (System.nanoTime() - deadline > 0 || closed) {
                    throw new StoreUnavailableException("Cannot " + what + " the Loupe store at " + location
                            + ": the connection to it was lost (" + rootMessage(lost.getCause()) + ") and no "
                            + "process could host it again within " + RECONNECT_DEADLINE.toSeconds() + " s",
                            lost.getCause());
                }
                LOG.warn("Loupe lost its connection to the store at {} ({}); connecting again", location,
                        rootMessage(lost.getCause()));
                sleep(pauseMillis);
                pauseMillis = Math.min(1_000, pauseMillis * 2);
                reconnect();
            }
        }
    }

    /** Replaces the write connection and the pool; a failure to connect is left for the next attempt. */
    private void reconnect() {
        try {
            writeConnection.close();
        } catch (SQLException | RuntimeException ignored) {
            // it is dead already
        }
        pool.renew();
        try {
            Connection fresh = pool.getConnection();
            fresh.setAutoCommit(false);
            writeConnection = fresh;
            ShutdownHooks.takeOverH2();
        } catch (SQLException stillGone) {
            LOG.debug("Loupe could not reconnect to the store at {} yet: {}", location, rootMessage(stillGone));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A lost connection, passed from a write attempt to {@link #whileReconnecting}. */
    private static final class ConnectionLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConnectionLost(Throwable cause) {
            super(cause);
        }
    }

    private static RuntimeException translate(Exception failure, TraceBatch batch) {
        return translate(failure, batch.size() == 1 ? describe(batch) : "a batch of " + batch.size() + " records");
    }

    /**
     * Returns the exception that reports a failure to store {@code what}: an IllegalArgumentException that says what
     * to do when a value was at fault (SQL state class 22, or a missing required value), an IllegalStateException
     * otherwise.
     */
    static RuntimeException translate(Exception failure, String what) {
        String message = rootMessage(failure);
        String state = sqlState(failure);
        if (state != null && (state.startsWith("22") || state.equals("23502"))) {
            String advice = switch (state) {
                case "22001" -> "Shorten the value named above";
                case "22018" -> "Pass input, output, metadata and model parameters as JSON documents";
                case "23502" -> "Give the value named above";
                default -> "Correct the value named above";
            };
            return new IllegalArgumentException("Cannot store " + what + ": " + message
                    + ". " + advice + "; nothing stored before was changed.", failure);
        }
        return new IllegalStateException("Cannot store " + what + ": " + message, failure);
    }

    private static String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sqlFailure && sqlFailure.getSQLState() != null) {
                return sqlFailure.getSQLState();
            }
        }
        return null;
    }

    private static String describe(TraceBatch batch) {
        if (!batch.traces().isEmpty()) {
            return "trace " + batch.traces().get(0).id();
        }
        if (!batch.observations().isEmpty()) {
            Observation observation = batch.observations().get(0);
            return "observation '" + observation.name() + "' (" + observation.id() + ")";
        }
        return "score '" + batch.scores().get(0).name() + "' (" + batch.scores().get(0).id() + ")";
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage().split("; SQL statement")[0];
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The Loupe store at " + location + " is closed");
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // Traces

    @Override
    public Page<TraceSummary> traces(TraceQuery query) {
        checkOpen();
        if (query.search() == null && !query.metadata().isEmpty()
                && (query.order() == TraceOrder.TIMESTAMP_DESC || query.order() == TraceOrder.TIMESTAMP_ASC)) {
            return tracesByMetadata(query);
        }
        Condition where = DSL.and(traceConditions(query), metadataConditions(query));
        if (query.search() != null) {
            TraceSearch.Result found = search.traces(SearchQuery.parse(query.search()), where, query.order(),
                    order(query), query.page());
            return Page.of(summaries(found.rows(), found.matches()), query.page(), found.total());
        }
        long total = query.page().countTotal() ? sql.fetchCount(TRACES, where) : -1;
        List<TracesRecord> rows = sql.selectFrom(TRACES).where(where).orderBy(order(query))
                .limit(query.page().limit()).offset(query.page().offset()).fetch();
        return Page.of(summaries(rows), query.page(), total);
    }

    /** Trace ids read from the metadata index per step of {@link #tracesByMetadata}. */
    private static final int METADATA_CHUNK = 64;

    /**
     * A page of traces chosen by metadata filters, in time order: the index gives the matching traces with their
     * starts, which are put in list order here and read a chunk at a time, checked against the other filters, until
     * the page is full. Its cost follows the page and the number of matches, not the store: H2, given the matches as
     * a condition, read the traces in time order and compared each with every match.
     */
    private Page<TraceSummary> tracesByMetadata(TraceQuery query) {
        Map<String, Long> matches = null;
        for (MetadataFilter filter : query.metadata()) {
            Map<String, Long> starts = new HashMap<>();
            for (MetadataIndex.Document document : metadataIndex.documents(filter)) {
                starts.put(document.traceId(), document.start());
            }
            if (matches == null) {
                matches = starts;
            } else {
                matches.keySet().retainAll(starts.keySet());
            }
        }
        boolean newestFirst = query.order() == TraceOrder.TIMESTAMP_DESC;
        Comparator<Map.Entry<String, Long>> byStart = Map.Entry.<String, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey());
        List<String> ordered = matches.entrySet().stream().sorted(newestFirst ? byStart.reversed() : byStart)
                .map(Map.Entry::getKey).toList();
        Condition others = traceConditions(query);
        boolean onlyMetadata = others.equals(DSL.noCondition());
        PageRequest page = query.page();
        long wanted = page.offset() + page.limit();
        Comparator<TracesRecord> inChunk = Comparator.comparing(TracesRecord::getStartTime)
                .thenComparing(TracesRecord::getId);
        List<TracesRecord> found = new ArrayList<>();
        long matched = 0;
        for (List<String> chunk : TraceWriter.inLists(ordered)) {
            if (found.size() >= wanted && (!page.countTotal() || onlyMetadata)) {
                break;
            }
            List<TracesRecord> rows = new ArrayList<>(sql.selectFrom(TRACES).where(others).and(TRACES.ID.in(chunk))
                    .fetch());
            rows.sort(newestFirst ? inChunk.reversed() : inChunk);
            matched += rows.size();
            if (found.size() < wanted) {
                found.addAll(rows);
            }
        }
        long total = !page.countTotal() ? -1 : onlyMetadata ? ordered.size() : matched;
        int from = (int) Math.min(found.size(), page.offset());
        List<TracesRecord> rows = found.subList(from, (int) Math.min(found.size(), wanted));
        return Page.of(summaries(rows), page, total);
    }

    private List<TraceSummary> summaries(List<TracesRecord> rows) {
        return summaries(rows, Map.of());
    }

    private List<TraceSummary> summaries(List<TracesRecord> rows, Map<String, List<MatchedObservation>> matches) {
        List<String> ids = rows.stream().map(TracesRecord::getId).toList();
        Map<String, List<Score>> scores = new HashMap<>();
        if (!ids.isEmpty()) {
            for (var row : sql.selectFrom(SCORES).where(SCORES.TRACE_ID.in(ids))
                    .orderBy(SCORES.CREATED_AT, SCORES.ID).fetch()) {
                scores.computeIfAbsent(row.getTraceId(), id -> new ArrayList<>()).add(Rows.score(row));
            }
        }
        return rows.stream().map(row -> new TraceSummary(Rows.trace(row), Rows.stats(row),
                scores.getOrDefault(row.getId(), List.of()), matches.getOrDefault(row.getId(), List.of()))).toList();
    }

    private Condition traceConditions(TraceQuery query) {
        List<Condition> conditions = new ArrayList<>();
        if (!query.ids().isEmpty()) {
            conditions.add(TRACES.ID.in(query.ids()));
        }
        addEqual(conditions, TRACES.NAME, query.name());
        addEqual(conditions, TRACES.USER_ID, query.userId());
        addEqual(conditions, TRACES.SESSION_ID, query.sessionId());
        addEqual(conditions, TRACES.RELEASE, query.release());
        addEqual(conditions, TRACES.VERSION, query.version());
        addEqual(conditions, TRACES.ENVIRONMENT, query.environment());
        for (String tag : query.tags()) {
            // A check of the row itself: H2 reads traces in list order through an index and needs no subquery.
            conditions.add(TRACES.TAGS.contains(Rows.tagNeedle(tag)));
        }
        if (query.from() != null) {
            conditions.add(TRACES.START_TIME.ge(query.from()));
        }
        if (query.to() != null) {
            conditions.add(TRACES.START_TIME.lt(query.to()));
        }
        if (query.hasError() != null) {
            conditions.add(query.hasError() ? TRACES.ERROR_COUNT.gt(0) : TRACES.ERROR_COUNT.eq(0));
        }
        if (query.scoreName() != null) {
            Condition score = SCORES.TRACE_ID.eq(TRACES.ID).and(SCORES.NAME.eq(query.scoreName()));
            if (query.scoreMin() != null) {
                score = score.and(SCORES.NUMERIC_VALUE.ge(query.scoreMin()));
            }
            if (query.scoreMax() != null) {
                score = score.and(SCORES.NUMERIC_VALUE.le(query.scoreMax()));
            }
            conditions.add(DSL.exists(DSL.selectOne().from(SCORES).where(score)));
        }
        return DSL.and(conditions);
    }

    /** The metadata filters as conditions: each met by the trace's own metadata or an observation's. */
    private Condition metadataConditions(TraceQuery query) {
        List<Condition> conditions = new ArrayList<>();
        for (MetadataFilter filter : query.metadata()) {
            conditions.add(TraceSearch.among(TRACES.ID, metadataIndex.traceIds(filter)));
        }
        return DSL.and(conditions);
    }


    private static <T> void addEqual(List<Condition> conditions, org.jooq.Field<T> field, T value) {
        if (value != null) {
            conditions.add(field.eq(value));
        }
    }

    private static List<OrderField<?>> order(TraceQuery query) {
        return switch (query.order()) {
            // H2 sorts through an index only when the index begins with the ORDER BY's columns. Leading with the
            // column a filter fixes (it changes no order) lets it read the newest matches from that column's index
            // and stop when the page is full, however large the store.
            case TIMESTAMP_DESC -> query.name() != null
                    ? List.of(TRACES.NAME, TRACES.START_TIME.desc(), TRACES.ID.desc())
                    : query.sessionId() != null
                    ? List.of(TRACES.SESSION_ID, TRACES.START_TIME.desc(), TRACES.ID.desc())
                    : query.userId() != null
                    ? List.of(TRACES.USER_ID, TRACES.START_TIME.desc(), TRACES.ID.desc())
                    : List.of(TRACES.START_TIME.desc(), TRACES.ID.desc());
            case TIMESTAMP_ASC -> List.of(TRACES.START_TIME.asc(), TRACES.ID.asc());
            case LATENCY_DESC -> List.of(TRACES.LATENCY_MICROS.desc().nullsLast(), TRACES.ID.desc());
            case LATENCY_ASC -> List.of(TRACES.LATENCY_MICROS.asc().nullsLast(), TRACES.ID.asc());
        };
    }

    @Override
    public Optional<TraceTree> trace(String traceId) {
        checkOpen();
        if (traceId == null) {
            return Optional.empty();
        }
        TracesRecord row = sql.selectFrom(TRACES).where(TRACES.ID.eq(traceId)).fetchOne();
        if (row == null) {
            return Optional.empty();
        }
        List<Observation> observations = sql.selectFrom(OBSERVATIONS).where(OBSERVATIONS.TRACE_ID.eq(traceId))
                .orderBy(OBSERVATIONS.START_TIME, OBSERVATIONS.ID).fetch(Rows::observation);
        List<Score> scores = sql.selectFrom(SCORES).where(SCORES.TRACE_ID.eq(traceId))
                .orderBy(SCORES.CREATED_AT, SCORES.ID).fetch(Rows::score);
        return Optional.of(TraceTree.of(Rows.trace(row), observations, scores));
    }

    // -------------------------------------------------------------------------------------------------------------
    // Observations

    @Override
    public Page<Observation> observations(ObservationQuery query) {
        checkOpen();
        List<Condition> conditions = new ArrayList<>();
        addEqual(conditions, OBSERVATIONS.TRACE_ID, query.traceId());
        addEqual(conditions, OBSERVATIONS.TYPE, query.type() == null ? null : query.type().name());
        addEqual(conditions, OBSERVATIONS.NAME, query.name());
        addEqual(conditions, OBSERVATIONS.PARENT_OBSERVATION_ID, query.parentObservationId());
        addEqual(conditions, OBSERVATIONS.LEVEL, query.level() == null ? null : query.level().name());
        addEqual(conditions, OBSERVATIONS.MODEL, query.model());
        if (query.from() != null) {
            conditions.add(OBSERVATIONS.START_TIME.ge(query.from()));
        }
        if (query.to() != null) {
            conditions.add(OBSERVATIONS.START_TIME.lt(query.to()));
        }
        for (MetadataFilter filter : query.metadata()) {
            conditions.add(TraceSearch.among(OBSERVATIONS.ID, metadataIndex.observationIds(filter)));
        }
        SearchQuery searched = query.search() == null ? null : SearchQuery.parse(query.search());
        if (searched != null) {
            conditions.add(inTracesHoldingEveryWord(searched, query.traceId()));
        }
        Condition where = DSL.and(conditions);
        if (searched != null) {
            return observationsHolding(searched, where, query.page());
        }
        long total = query.page().countTotal() ? sql.fetchCount(OBSERVATIONS, where) : -1;
        List<Observation> items = sql.selectFrom(OBSERVATIONS).where(where)
                .orderBy(OBSERVATIONS.START_TIME, OBSERVATIONS.ID)
                .limit(query.page().limit()).offset(query.page().offset())
                .fetch(Rows::observation);
        return Page.of(items, query.page(), total);
    }

    /**
     * The condition that the observation's trace holds every word of the search: for the one trace the query names,
     * read from the index rows of its time; otherwise the traces that hold every word, from the index.
     */
    private Condition inTracesHoldingEveryWord(SearchQuery searched, String traceId) {
        if (traceId == null) {
            return TraceSearch.among(OBSERVATIONS.TRACE_ID, search.tracesHoldingEveryWord(searched));
        }
        Instant start = sql.select(TRACES.START_TIME).from(TRACES).where(TRACES.ID.eq(traceId))
                .fetchOne(TRACES.START_TIME);
        return start != null && search.holdsEveryWord(searched, start, traceId) ? DSL.noCondition()
                : DSL.falseCondition();
    }

    /**
     * Lists the observations, among those of traces that hold every word, that hold every term themselves: the
     * index knows traces, so each candidate's own text is read, a chunk at a time, until the page is full (or, for
     * the total, all candidates are read).
     */
    private Page<Observation> observationsHolding(SearchQuery searched, Condition where, PageRequest page) {
        long wanted = page.countTotal() ? Long.MAX_VALUE : page.offset() + page.limit();
        List<Observation> found = new ArrayList<>();
        int chunk = 500;
        for (int offset = 0; found.size() < wanted; offset += chunk) {
            List<Observation> candidates = sql.selectFrom(OBSERVATIONS).where(where)
                    .orderBy(OBSERVATIONS.START_TIME, OBSERVATIONS.ID).limit(chunk).offset(offset)
                    .fetch(Rows::observation);
            for (Observation candidate : candidates) {
                java.util.Set<String> words = SearchText.words(candidate);
                if (searched.terms().stream().allMatch(term -> TraceSearch.holds(candidate, words, term))) {
                    found.add(candidate);
                }
            }
            if (candidates.size() < chunk) {
                break;
            }
        }
        int from = (int) Math.min(found.size(), page.offset());
        return Page.of(found.subList(from, Math.min(found.size(), from + page.limit())), page,
                page.countTotal() ? found.size() : -1);
    }

    @Override
    public Optional<Observation> observation(String observationId) {
        checkOpen();
        return sql.selectFrom(OBSERVATIONS).where(OBSERVATIONS.ID.eq(observationId)).fetchOptional(Rows::observation);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Sessions

    @Override
    public Page<SessionSummary> sessions(SessionQuery query) {
        checkOpen();
        // The filters choose sessions by one of their traces; a chosen session is then described by all its traces.
        Traces matching = TRACES.as("matching");
        List<Condition> filters = new ArrayList<>();
        addEqual(filters, matching.USER_ID, query.userId());
        if (query.from() != null) {
            filters.add(matching.START_TIME.ge(query.from()));
        }
        if (query.to() != null) {
            filters.add(matching.START_TIME.lt(query.to()));
        }
        Condition where = TRACES.SESSION_ID.isNotNull();
        if (!filters.isEmpty()) {
            where = where.and(TRACES.SESSION_ID.in(
                    DSL.select(matching.SESSION_ID).from(matching).where(DSL.and(filters))));
        }
        long total = query.page().countTotal()
                ? sql.fetchValue(DSL.select(DSL.countDistinct(TRACES.SESSION_ID)).from(TRACES).where(where))
                : -1;
        var rows = sql.select(TRACES.SESSION_ID, DSL.count(), DSL.min(TRACES.START_TIME), DSL.max(TRACES.START_TIME))
                .from(TRACES).where(where)
                .groupBy(TRACES.SESSION_ID)
                .orderBy(DSL.max(TRACES.START_TIME).desc(), TRACES.SESSION_ID)
                .limit(query.page().limit()).offset(query.page().offset())
                .fetch();
        List<String> ids = rows.map(row -> row.value1());
        Map<String, List<String>> users = usersOf(ids);
        List<SessionSummary> items = rows.map(row -> new SessionSummary(row.value1(), row.value2(), row.value3(),
                row.value4(), users.getOrDefault(row.value1(), List.of())));
        return Page.of(items, query.page(), total);
    }

    private Map<String, List<String>> usersOf(Collection<String> sessionIds) {
        Map<String, TreeSet<String>> users = new LinkedHashMap<>();
        if (!sessionIds.isEmpty()) {
            for (var row : sql.selectDistinct(TRACES.SESSION_ID, TRACES.USER_ID).from(TRACES)
                    .where(TRACES.SESSION_ID.in(sessionIds)).and(TRACES.USER_ID.isNotNull()).fetch()) {
                users.computeIfAbsent(row.value1(), id -> new TreeSet<>()).add(row.value2());
            }
        }
        return users.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    @Override
    public Optional<Session> session(String sessionId) {
        checkOpen();
        if (sessionId == null) {
            return Optional.empty();
        }
        List<TracesRecord> rows = sql.selectFrom(TRACES).where(TRACES.SESSION_ID.eq(sessionId))
                .orderBy(TRACES.START_TIME, TRACES.ID).fetch();
        List<Score> scores = sql.selectFrom(SCORES)
                .where(SCORES.SESSION_ID.eq(sessionId)).and(SCORES.TRACE_ID.isNull())
                .orderBy(SCORES.CREATED_AT, SCORES.ID).fetch(Rows::score);
        if (rows.isEmpty() && scores.isEmpty()) {
            return Optional.empty();
        }
        List<TraceSummary> traces = summaries(rows);
        SessionSummary summary = new SessionSummary(sessionId, rows.size(),
                rows.isEmpty() ? null : rows.get(0).getStartTime(),
                rows.isEmpty() ? null : rows.get(rows.size() - 1).getStartTime(),
                traces.stream().map(t -> t.trace().userId()).filter(java.util.Objects::nonNull).distinct().sorted()
                        .toList());
        return Optional.of(new Session(summary, traces, scores));
    }

    // -------------------------------------------------------------------------------------------------------------
    // Scores

    @Override
    public Page<Score> scores(ScoreQuery query) {
        checkOpen();
        List<Condition> conditions = new ArrayList<>();
        addEqual(conditions, SCORES.NAME, query.name());
        addEqual(conditions, SCORES.TRACE_ID, query.traceId());
        addEqual(conditions, SCORES.OBSERVATION_ID, query.observationId());
        addEqual(conditions, SCORES.SESSION_ID, query.sessionId());
        addEqual(conditions, SCORES.DATA_TYPE, query.dataType() == null ? null : query.dataType().name());
        addEqual(conditions, SCORES.SOURCE, query.source());
        if (query.minValue() != null) {
            conditions.add(SCORES.NUMERIC_VALUE.ge(query.minValue()));
        }
        if (query.maxValue() != null) {
            conditions.add(SCORES.NUMERIC_VALUE.le(query.maxValue()));
        }
        if (query.from() != null) {
            conditions.add(SCORES.CREATED_AT.ge(query.from()));
        }
        if (query.to() != null) {
            conditions.add(SCORES.CREATED_AT.lt(query.to()));
        }
        Condition where = DSL.and(conditions);
        long total = query.page().countTotal() ? sql.fetchCount(SCORES, where) : -1;
        List<Score> items = sql.selectFrom(SCORES).where(where).orderBy(SCORES.CREATED_AT.desc(), SCORES.ID.desc())
                .limit(query.page().limit()).offset(query.page().offset())
                .fetch(Rows::score);
        return Page.of(items, query.page(), total);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Test runs

    @Override
    public TestRunStore testRuns() {
        return testRuns;
    }

    @Override
    public long pruneOlderThan(Instant cutoff) {
        java.util.Objects.requireNonNull(cutoff, "cutoff");
        synchronized (writeLock) {
            checkOpen();
            long[] deleted = new long[1];
            whileReconnecting("prune", () -> deleted[0] = pruneOnce(cutoff));
            return deleted[0];
        }
    }

    private long pruneOnce(Instant cutoff) {
        try {
            DSLContext connected = DSL.using(writeConnection, SQLDialect.H2, sql.settings());
            long deleted = 0;
            int batch;
            do {
                batch = StoreMaintenance.pruneBatch(connected, cutoff);
                writeConnection.commit();
                deleted += batch;
            } while (batch == StoreMaintenance.PRUNE_BATCH);
            return deleted;
        } catch (SQLException | DataAccessException failure) {
            try {
                writeConnection.rollback();
            } catch (SQLException ignored) {
                // the connection is gone; the transaction with it
            }
            if (ConnectionSource.isConnectionLost(failure)) {
                throw new ConnectionLost(failure);
            }
            throw new IllegalStateException("Cannot prune the Loupe store at " + location + ": "
                    + rootMessage(failure), failure);
        }
    }

    /**
     * Closes the store, and compacts its file when that is worth it (it has grown to twice its size after the last
     * compaction) and no other connection has the database open.
     */
    @Override
    public void close() {
        close(false);
    }

    @Override
    public boolean closeAndCompact() {
        return close(true);
    }

    private boolean close(boolean compactAlways) {
        synchronized (writeLock) {
            if (closed) {
                return false;
            }
            closed = true;
            // Idle pooled connections go first: they would count as other sessions of the database.
            pool.dispose();
            boolean compacted = false;
            if (databaseFile != null) {
                try {
                    compacted = StoreMaintenance.compactIfAlone(writeConnection, databaseFile, compactAlways);
                } catch (SQLException | RuntimeException failure) {
                    LOG.warn("Loupe could not compact the store at {}: {}", location, rootMessage(failure));
                }
            }
            try {
                writeConnection.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
            return compacted;
        }
    }

    /** Returns the store's location. */
    @Override
    public String toString() {
        return "H2TraceStore[" + location + "]";
    }
}
