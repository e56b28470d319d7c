package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.METADATA_POSTINGS;
import static dev.loupe.store.internal.generated.Tables.OBSERVATIONS;
import static dev.loupe.store.internal.generated.Tables.TRACES;

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
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * Migration 7.1: indexes, for metadata filters, the metadata of the traces and observations a store upgraded from
 * before version 7 already holds, into the posting rows that migration 7 created. A Java migration because metadata
 * is flattened by {@link MetadataEntries}, which SQL cannot call; on a new store it finds nothing to do. Traces are
 * read in the order they started, a round at a time, so that each round's rows cover a span of time of their own.
 */
final class MetadataIndexBackfill extends BaseJavaMigration {

    /** Traces indexed per round of reads and batched inserts. */
    private static final int TRACES_PER_ROUND = 500;

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
        DSLContext sql = DSL.using(context.getConnection(), SQLDialect.H2,
                new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER).withRenderSchema(false)
                        .withExecuteLogging(false));
        MetadataIndex index = new MetadataIndex(sql);
        Trace last = null;
        while (true) {
            var page = sql.selectFrom(TRACES);
            List<Trace> traces = (last == null ? page.orderBy(TRACES.START_TIME, TRACES.ID)
                    : page.where(DSL.row(TRACES.START_TIME, TRACES.ID).gt(last.timestamp(), last.id()))
                            .orderBy(TRACES.START_TIME, TRACES.ID))
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
            last = traces.get(traces.size() - 1);
        }
    }

    /** Names the table this migration fills, for messages. */
    @Override
    public String toString() {
        return "MetadataIndexBackfill[" + METADATA_POSTINGS.getName() + "]";
    }
}
