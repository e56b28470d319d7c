package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.METADATA_POSTINGS;

import dev.loupe.model.Observation;
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
 * Migration 7.1: indexes, for metadata filters, the metadata of the traces and observations a store upgraded from
 * before version 7 already holds, into the posting rows that migration 7 created. A Java migration because metadata
 * is flattened by {@link MetadataEntries}, which SQL cannot call; on a new store it finds nothing to do. It reads
 * the stored traces through {@link StoredTraces}, in the order they started.
 */
final class MetadataIndexBackfill extends BaseJavaMigration {

    @Override
    protected void init() {
        // The version and description are given below, not read from the class name.
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("7.1");
    }

    @Override
    public String getDescription() {
        return "index the stored metadata for metadata filters";
    }

    @Override
    public void migrate(Context context) throws SQLException {
        DSLContext sql = StoredTraces.sql(context.getConnection());
        MetadataIndex index = new MetadataIndex(sql);
        StoredTraces.inStartOrder(sql, (traces, observations) -> {
            Map<MetadataEntries.Entry, List<MetadataIndex.Document>> postings = new HashMap<>();
            for (Trace trace : traces) {
                for (MetadataEntries.Entry entry : MetadataEntries.of(trace.metadata())) {
                    postings.computeIfAbsent(entry, e -> new ArrayList<>()).add(MetadataIndex.Document.of(
                            trace.timestamp(), trace.id(), TraceWriter.TRACE_DOCUMENT));
                }
                for (Observation observation : observations.getOrDefault(trace.id(), List.of())) {
                    for (MetadataEntries.Entry entry : MetadataEntries.of(observation.metadata())) {
                        postings.computeIfAbsent(entry, e -> new ArrayList<>()).add(MetadataIndex.Document.of(
                                trace.timestamp(), trace.id(), observation.id()));
                    }
                }
            }
            index.add(context.getConnection(), postings);
        });
    }

    /** Names the table this migration fills, for messages. */
    @Override
    public String toString() {
        return "MetadataIndexBackfill[" + METADATA_POSTINGS.getName() + "]";
    }
}
