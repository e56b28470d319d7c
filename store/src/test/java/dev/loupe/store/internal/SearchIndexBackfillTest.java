package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.OBSERVATIONS;
import static dev.loupe.store.internal.generated.Tables.TRACES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.model.MatchedObservation;
import dev.loupe.model.Observation;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceSummary;
import dev.loupe.store.MetadataFilter;
import dev.loupe.store.TraceQuery;
import dev.loupe.trace.ObservationType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchIndexBackfillTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456Z");

    @TempDir
    Path directory;

    @Test
    void aStoreWrittenBeforeSearchIsIndexedWhenItIsUpgraded() throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve(H2TraceStore.DATABASE_NAME) + ";AUTO_SERVER=TRUE";
        Flyway.configure().dataSource(url, "loupe", "").locations("classpath:db/loupe").table(Schema.HISTORY_TABLE)
                .target("4").load().migrate();
        try (Connection connection = DriverManager.getConnection(url, "loupe", "")) {
            DSLContext version4 = DSL.using(connection, SQLDialect.H2,
                    new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER).withRenderSchema(false));
            Trace trace = Trace.builder("old-trace").name("legacy checkout").timestamp(T0).build();
            Observation observation = Observation.builder("old-span", "old-trace").type(ObservationType.SPAN)
                    .name("payment").startTime(T0).statusMessage("card declined by the bank").build();
            version4.insertInto(TRACES).set(Rows.withFigures(Rows.traceRow(trace, T0),
                    dev.loupe.model.TraceStats.of(T0, List.of(observation)))).execute();
            version4.insertInto(OBSERVATIONS).set(Rows.observationRow(observation, T0)).execute();
            version4.update(TRACES).set(TRACES.METADATA, org.jooq.JSON.valueOf("{\"region\":\"eu\"}"))
                    .where(TRACES.ID.eq("old-trace")).execute();
        }

        try (H2TraceStore store = H2TraceStore.openFile(directory)) {
            List<TraceSummary> found = store.traces(TraceQuery.builder().search("declined").build()).items();

            assertThat(found).extracting(summary -> summary.trace().id()).containsExactly("old-trace");
            assertThat(found.get(0).matches()).extracting(MatchedObservation::id).containsExactly("old-span");
            assertThat(store.traces(TraceQuery.builder().search("legacy").build()).items()).hasSize(1);
            assertThat(store.traces(TraceQuery.builder().metadata(MetadataFilter.keyEquals("region", "eu")).build())
                    .items()).hasSize(1);
        }
    }

    @Test
    void aStoreOfVersion5IsIndexedAgainAsPostingsNewestFirstWhenItIsUpgraded() throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve(H2TraceStore.DATABASE_NAME) + ";AUTO_SERVER=TRUE";
        Flyway.configure().dataSource(url, "loupe", "").locations("classpath:db/loupe").table(Schema.HISTORY_TABLE)
                .target("5").load().migrate();
        try (Connection connection = DriverManager.getConnection(url, "loupe", "")) {
            DSLContext version5 = DSL.using(connection, SQLDialect.H2,
                    new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER).withRenderSchema(false));
            for (int i = 0; i < 3; i++) {
                Instant start = T0.plusSeconds(i);
                Trace trace = Trace.builder("trace-" + i).name("refund request " + i).timestamp(start).build();
                version5.insertInto(TRACES).set(Rows.withFigures(Rows.traceRow(trace, start),
                        dev.loupe.model.TraceStats.of(start, List.of()))).execute();
                // Version 5's word table held a row per word and trace; version 6 drops it and indexes anew.
                version5.insertInto(DSL.table("search_words")).values("refund", start, "trace-" + i).execute();
            }
        }

        try (H2TraceStore store = H2TraceStore.openFile(directory)) {
            assertThat(store.traces(TraceQuery.builder().search("refund").build()).items())
                    .extracting(summary -> summary.trace().id()).containsExactly("trace-2", "trace-1", "trace-0");
            assertThat(store.traces(TraceQuery.builder().search("request 1").build()).items())
                    .extracting(summary -> summary.trace().id()).containsExactly("trace-1");
        }
    }
}
