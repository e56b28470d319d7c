package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.METADATA_ENTRIES;
import static dev.loupe.store.internal.generated.Tables.OBSERVATIONS;
import static dev.loupe.store.internal.generated.Tables.TRACES;

import dev.loupe.model.Observation;
import dev.loupe.model.Trace;
import dev.loupe.store.internal.generated.tables.records.MetadataEntriesRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.TableRecord;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * Migration 5.1: flattens the metadata of the traces and observations that a store upgraded from before version 5
 * already holds into the metadata entries that migration 5 created. A Java migration because metadata is flattened by
 * {@link MetadataEntries}; on a new store it finds nothing to do. (It also filled version 5's word table, which
 * version 6 replaced: migration 6.1, {@link SearchIndexBackfill}, indexes the stored words now.)
 */
final class MetadataEntriesBackfill extends BaseJavaMigration {

    /** Traces indexed per round of reads and batched inserts. */
    private static final int TRACES_PER_ROUND = 500;

    @Override
    protected void init() {
        // The version and description are given below, not read from the class name.
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("5.1");
    }

    @Override
    public String getDescription() {
        return "index the traces stored before search";
    }

    @Override
    public void migrate(Context context) {
        DSLContext sql = DSL.using(context.getConnection(), SQLDialect.H2,
                new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER).withRenderSchema(false)
                        .withExecuteLogging(false));
        String after = "";
        while (true) {
            List<Trace> traces = sql.selectFrom(TRACES).where(TRACES.ID.gt(after)).orderBy(TRACES.ID)
                    .limit(TRACES_PER_ROUND).fetch(Rows::trace);
            if (traces.isEmpty()) {
                return;
            }
            Map<String, List<Observation>> observations = new HashMap<>();
            for (List<String> ids : TraceWriter.inLists(traces.stream().map(Trace::id).toList())) {
                for (Observation observation : sql.selectFrom(OBSERVATIONS).where(OBSERVATIONS.TRACE_ID.in(ids))
                        .fetch(Rows::observation)) {
                    observations.computeIfAbsent(observation.traceId(), id -> new ArrayList<>()).add(observation);
                }
            }
            List<TableRecord<?>> rows = new ArrayList<>();
            for (Trace trace : traces) {
                List<Observation> ofTrace = observations.getOrDefault(trace.id(), List.of());
                addEntries(rows, trace.id(), TraceWriter.TRACE_DOCUMENT, trace.metadata());
                for (Observation observation : ofTrace) {
                    addEntries(rows, trace.id(), observation.id(), observation.metadata());
                }
            }
            if (!rows.isEmpty()) {
                sql.batchInsert(rows).execute();
            }
            after = traces.get(traces.size() - 1).id();
        }
    }

    private static void addEntries(List<TableRecord<?>> rows, String traceId, String observationId,
            String metadata) {
        for (MetadataEntries.Entry entry : MetadataEntries.of(metadata)) {
            rows.add(new MetadataEntriesRecord(traceId, observationId, entry.path(), entry.value()));
        }
    }

    /** Names the tables this migration fills, for messages. */
    @Override
    public String toString() {
        return "MetadataEntriesBackfill[" + METADATA_ENTRIES.getName() + "]";
    }
}
