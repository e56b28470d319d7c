package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.SEARCH_POSTINGS;

import dev.loupe.model.Trace;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jooq.DSLContext;

/**
 * Migration 6.1: indexes, for full-text search, the traces and observations a store upgraded from before version 6
 * already holds, into the posting rows that migration 6 created. A Java migration because words are cut by
 * {@link SearchText}, which SQL cannot call; on a new store it finds nothing to do. It reads the stored
 * traces through {@link StoredTraces}, in the order they started.
 */
final class SearchIndexBackfill extends BaseJavaMigration {

    @Override
    protected void init() {
        // The version and description are given below, not read from the class name.
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("6.1");
    }

    @Override
    public String getDescription() {
        return "index the stored traces for full-text search";
    }

    @Override
    public void migrate(Context context) throws SQLException {
        DSLContext sql = StoredTraces.sql(context.getConnection());
        SearchIndex index = new SearchIndex(sql);
        StoredTraces.inStartOrder(sql, (traces, observations) -> {
            Map<String, List<SearchIndex.Posting>> postings = new HashMap<>();
            for (Trace trace : traces) {
                SearchIndex.Posting posting = SearchIndex.Posting.of(trace.timestamp(), trace.id());
                for (String word : SearchText.words(trace, observations.getOrDefault(trace.id(), List.of()))) {
                    postings.computeIfAbsent(word, w -> new ArrayList<>()).add(posting);
                }
            }
            index.add(context.getConnection(), postings);
        });
    }

    /** Names the table this migration fills, for messages. */
    @Override
    public String toString() {
        return "SearchIndexBackfill[" + SEARCH_POSTINGS.getName() + "]";
    }
}
