package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.TRACES;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.Field;
import org.jooq.Record2;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Brings a store's schema to the version of this Loupe, with the Flyway migrations under {@code db/loupe}. A store
 * whose schema history already holds that version is left alone without starting Flyway: opening a store happens in
 * every test JVM, and Flyway's start (its classes, scanning the class path for migrations, validating them) cost
 * about 200 ms of it.
 */
final class Schema {

    /** The version of the newest migration under {@code db/loupe}; {@code SchemaTest} checks it against the files. */
    static final int CURRENT_VERSION = 7;
    /** Flyway's schema history table, named when Loupe's first version created it. */
    static final String HISTORY_TABLE = "loupe_schema_history";

    private Schema() {
    }

    /** Migrates the store's schema unless its history says it is current. */
    static void migrate(DataSource pool, Connection connection) {
        if (isCurrent(connection)) {
            return;
        }
        Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/loupe")
                .table(HISTORY_TABLE)
                .javaMigrations(new MetadataEntriesBackfill(), new SearchIndexBackfill(), new MetadataIndexBackfill())
                .load()
                .migrate();
    }

    /**
     * Returns whether Flyway's history shows the current version (or a newer one, written by a newer Loupe, which
     * Flyway would leave alone too) applied, and no failed migration.
     */
    static boolean isCurrent(Connection connection) {
        // Flyway creates its table with quoted lower-case names: they are rendered quoted here, unlike the store's.
        Table<?> history = DSL.table(DSL.name(HISTORY_TABLE));
        Field<String> version = DSL.field(DSL.name("version"), String.class);
        Field<Boolean> success = DSL.field(DSL.name("success"), Boolean.class);
        try {
            // Asked first, so that a new store does not fail a query: H2 writes every failed statement to a .trace.db
            // file beside the database.
            try (ResultSet tables = connection.getMetaData().getTables(null, null, HISTORY_TABLE, null)) {
                if (!tables.next()) {
                    return false;
                }
            }
            List<Record2<String, Boolean>> rows = DSL.using(connection, SQLDialect.H2)
                    .select(version, success).from(history).where(version.isNotNull()).fetch();
            int newest = 0;
            for (Record2<String, Boolean> row : rows) {
                if (!Boolean.TRUE.equals(row.value2())) {
                    return false;
                }
                newest = Math.max(newest, majorVersion(row.value1()));
            }
            return newest >= CURRENT_VERSION;
        } catch (SQLException | DataAccessException unreadable) {
            return false;
        }
    }

    private static int majorVersion(String version) {
        try {
            return Integer.parseInt(version.split("\\.")[0].trim());
        } catch (NumberFormatException notNumeric) {
            return 0;
        }
    }

    /**
     * Loads and initialises jOOQ's rendering on a daemon thread while the caller connects to H2: the two are the
     * largest parts of opening a store, and on a machine with two cores they overlap instead of adding up.
     */
    static void warmUpInBackground() {
        Thread warmUp = new Thread(() -> {
            try {
                DSL.using(SQLDialect.H2).selectFrom(TRACES).where(TRACES.ID.eq("")).getSQL();
            } catch (RuntimeException | LinkageError ignored) {
                // only a head start: the store renders its statements itself anyway
            }
        }, "loupe-store-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }
}
