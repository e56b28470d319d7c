package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.OBSERVATIONS;
import static dev.loupe.store.internal.generated.Tables.SCORES;
import static dev.loupe.store.internal.generated.Tables.TEST_RESULTS;
import static dev.loupe.store.internal.generated.Tables.TEST_RUNS;
import static dev.loupe.store.internal.generated.Tables.TRACES;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * Keeps a file store small: pruning deletes old traces with everything that hangs off them, and compaction rewrites
 * the database file without the space H2 leaves behind.
 *
 * <p>H2's MVStore appends changed pages to the file and reuses the space of old ones only later, so a store written
 * in many small transactions ends up several times larger than its data (20,000 small traces: about 300 MB for a few
 * MB of data). {@code SHUTDOWN COMPACT} rewrites the file with live data alone, but closes the database for every
 * connection, so it runs only when the store's own connection is the database's only session.
 */
final class StoreMaintenance {

    /** Traces deleted per transaction while pruning, so that pruning a large store does not hold it in one. */
    static final int PRUNE_BATCH = 1_000;
    /** Below this size a file is not worth compacting at close (a new store takes a few hundred KB). */
    static final long MIN_COMPACT_BYTES = 4L << 20;

    private StoreMaintenance() {
    }

    /**
     * Deletes up to {@link #PRUNE_BATCH} traces that began before the cutoff, with their observations and scores,
     * then session scores given before it and test runs (with their results) that began before it. Returns the
     * number of traces deleted; the caller commits, and calls again until it returns less than a batch.
     */
    static int pruneBatch(DSLContext sql, Instant cutoff) {
        // Oldest first: the index rows that list these traces are then the ones with the oldest starts.
        var oldest = sql.select(TRACES.ID, TRACES.START_TIME).from(TRACES).where(TRACES.START_TIME.lt(cutoff))
                .orderBy(TRACES.START_TIME, TRACES.ID).limit(PRUNE_BATCH).fetch();
        List<String> ids = oldest.map(row -> row.value1());
        if (!ids.isEmpty()) {
            long upTo = SearchIndex.micros(oldest.get(oldest.size() - 1).value2());
            Set<String> pruned = new HashSet<>(ids);
            new SearchIndex(sql).prune(sql, upTo, pruned);
            new MetadataIndex(sql).prune(sql, upTo, pruned);
            sql.deleteFrom(SCORES).where(SCORES.TRACE_ID.in(ids)).execute();
            sql.deleteFrom(OBSERVATIONS).where(OBSERVATIONS.TRACE_ID.in(ids)).execute();
            sql.deleteFrom(TRACES).where(TRACES.ID.in(ids)).execute();
        }
        if (ids.size() < PRUNE_BATCH) {
            sql.deleteFrom(SCORES).where(SCORES.TRACE_ID.isNull()).and(SCORES.CREATED_AT.lt(cutoff)).execute();
            // A run is kept or deleted whole: its results name traces of the same time.
            var oldRuns = DSL.select(TEST_RUNS.ID).from(TEST_RUNS).where(TEST_RUNS.START_TIME.lt(cutoff));
            sql.deleteFrom(TEST_RESULTS).where(TEST_RESULTS.RUN_ID.in(oldRuns)).execute();
            sql.deleteFrom(TEST_RUNS).where(TEST_RUNS.START_TIME.lt(cutoff)).execute();
        }
        return ids.size();
    }

    /**
     * Compacts the database file when no other session has the database open (another connection of this process,
     * or another process through H2's automatic server mode) and, unless {@code always}, when the file has grown to
     * twice its size after the last compaction. Closes the connection's database when it compacts; returns whether
     * it did.
     */
    static boolean compactIfAlone(Connection connection, Path databaseFile, boolean always)
            throws SQLException {
        // The size first: it is a file attribute, while counting sessions is a query, which a test JVM closing its
        // small test store need not pay for.
        Path mark = databaseFile.resolveSibling(H2TraceStore.DATABASE_NAME + ".compacted");
        long size = size(databaseFile);
        if (!always && size < Math.max(MIN_COMPACT_BYTES, 2 * lastCompactedSize(mark))) {
            return false;
        }
        Settings settings = new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER).withExecuteLogging(false);
        DSLContext sql = DSL.using(connection, SQLDialect.H2, settings);
        int sessions = sql.fetchCount(DSL.table(DSL.name("INFORMATION_SCHEMA", "SESSIONS")));
        if (sessions != 1) {
            return false;
        }
        connection.commit();
        try (Statement statement = connection.createStatement()) {
            // An H2 command jOOQ does not model: a constant statement with no values in it. It rewrites the file
            // with live data only, then closes the database.
            statement.execute("SHUTDOWN COMPACT");
        }
        try {
            Files.writeString(mark, Long.toString(size(databaseFile)));
        } catch (IOException unwritable) {
            // without the mark, the next close compacts again: slower, not wrong
        }
        return true;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException unreadable) {
            return 0;
        }
    }

    private static long lastCompactedSize(Path mark) {
        try {
            return Long.parseLong(Files.readString(mark).trim());
        } catch (IOException | NumberFormatException none) {
            return 0;
        }
    }
}
