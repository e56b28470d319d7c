package dev.loupe.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.model.TraceTree;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store written by an earlier version of Loupe opens with this one, its data carried over. */
class SchemaUpgradeTest {

    @TempDir
    Path directory;

    private String url() {
        return "jdbc:h2:file:" + directory.resolve("loupe") + ";AUTO_SERVER=TRUE";
    }

    /** Creates the store as schema version 2 left it, with a trace that has two tags in the old tag table. */
    private void writeVersionTwoStore() throws Exception {
        Flyway.configure().dataSource(url(), "loupe", "").locations("classpath:db/loupe")
                .table("loupe_schema_history").target("2").load().migrate();
        try (Connection connection = DriverManager.getConnection(url(), "loupe", "")) {
            OffsetDateTime start = Instant.parse("2026-01-01T10:00:00Z").atOffset(ZoneOffset.UTC);
            try (PreparedStatement trace = connection.prepareStatement(
                    "INSERT INTO traces (id, name, start_time, updated_at) VALUES (?, ?, ?, ?)")) {
                trace.setString(1, "old-trace");
                trace.setString(2, "support-agent");
                trace.setObject(3, start);
                trace.setObject(4, start);
                trace.executeUpdate();
            }
            try (PreparedStatement tag = connection.prepareStatement(
                    "INSERT INTO trace_tags (trace_id, tag) VALUES (?, ?)")) {
                for (String value : new String[] {"vip", "support"}) {
                    tag.setString(1, "old-trace");
                    tag.setString(2, value);
                    tag.executeUpdate();
                }
            }
        }
    }

    @Test
    void tagsOfAVersionTwoStoreSurviveTheUpgradeAndCanBeFiltered() throws Exception {
        writeVersionTwoStore();

        try (TraceStore store = TraceStore.open(directory)) {
            TraceTree trace = store.trace("old-trace").orElseThrow();
            assertThat(trace.trace().tags()).containsExactly("support", "vip");
            assertThat(store.traces(TraceQuery.builder().tags("vip").build()).items())
                    .extracting(summary -> summary.trace().id()).containsExactly("old-trace");
            assertThat(store.traces(TraceQuery.builder().tags("vi").build()).items()).isEmpty();
        }
    }

    @Test
    void aTraceWithoutTagsInAVersionTwoStoreHasNoneAfterTheUpgrade() throws Exception {
        Flyway.configure().dataSource(url(), "loupe", "").locations("classpath:db/loupe")
                .table("loupe_schema_history").target("2").load().migrate();
        try (Connection connection = DriverManager.getConnection(url(), "loupe", "");
                PreparedStatement trace = connection.prepareStatement(
                        "INSERT INTO traces (id, start_time, updated_at) VALUES ('bare', ?, ?)")) {
            OffsetDateTime start = Instant.parse("2026-01-01T10:00:00Z").atOffset(ZoneOffset.UTC);
            trace.setObject(1, start);
            trace.setObject(2, start);
            trace.executeUpdate();
        }

        try (TraceStore store = TraceStore.open(directory)) {
            assertThat(store.trace("bare").orElseThrow().trace().tags()).isEmpty();
        }
    }
}
