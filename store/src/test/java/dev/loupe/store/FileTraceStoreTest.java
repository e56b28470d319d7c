package dev.loupe.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.model.Score;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileTraceStoreTest extends TraceStoreConformanceTest {

    @TempDir
    Path directory;

    @Override
    TraceStore openStore() {
        return TraceStore.open(directory);
    }

    /** Opens a plain JDBC connection to the store's database, beside the store's own connections. */
    private Connection rawConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("loupe") + ";AUTO_SERVER=TRUE",
                "loupe", "");
    }

    /** Returns the values of one column of the rows a query selects. */
    private List<Object> select(String query, Object... parameters) throws SQLException {
        try (Connection connection = rawConnection();
                PreparedStatement statement = connection.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Object> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getObject(1));
                }
            }
            return values;
        }
    }

    private void writeRecordsWithEveryJsonColumn() {
        write(trace("trace-1").input("{\"question\":\"reset?\"}").output("[\"step 1\",\"step 2\"]")
                        .metadata("{\"channel\":\"chat\"}").build(),
                span("gen-1", "trace-1").type(ObservationType.GENERATION).input("{\"role\":\"user\"}")
                        .output("{\"role\":\"assistant\"}").metadata("{\"retry\":false}")
                        .modelParameters("{\"temperature\":0.2}").usage(Usage.of(3, 4))
                        .cost(new Cost(Map.of(Usage.TOTAL, new BigDecimal("0.5")))).build(),
                Score.builder("score-1", "quality").traceId("trace-1").value(1).metadata("{\"judge\":\"ana\"}")
                        .build());
    }

    @ParameterizedTest(name = "{0}.{1}")
    @CsvSource({
            "traces, input", "traces, metadata",
            "observations, input", "observations, output", "observations, metadata",
            "observations, model_parameters", "observations, usage_details", "observations, cost_details",
            "scores, metadata"})
    void jsonColumnsHoldJsonObjectsNotJsonStrings(String table, String column) throws SQLException {
        writeRecordsWithEveryJsonColumn();

        assertThat(select("SELECT CAST(" + column + " AS VARCHAR) FROM " + table))
                .singleElement().asString().startsWith("{");
        assertThat(select("SELECT " + column + " IS JSON OBJECT FROM " + table)).containsExactly(true);
    }

    @Test
    void aJsonArrayIsStoredAsAJsonArray() throws SQLException {
        writeRecordsWithEveryJsonColumn();

        assertThat(select("SELECT output IS JSON ARRAY FROM traces")).containsExactly(true);
    }

    @Test
    void aJsonStringPayloadIsStoredAsAJsonScalar() throws SQLException {
        write(trace("trace-1").input("\"plain text\"").build());

        assertThat(select("SELECT input IS JSON SCALAR FROM traces")).containsExactly(true);
        assertThat(select("SELECT CAST(input AS VARCHAR) FROM traces")).containsExactly("\"plain text\"");
    }

    @Test
    void reopeningTheStoreKeepsItsData() {
        write(trace("trace-1").userId("user-1").build(), span("obs-1", "trace-1").endTime(at(1)).build(),
                Score.builder("score-1", "quality").traceId("trace-1").value(1).build());
        TraceTree written = storedTrace("trace-1");
        store.close();

        store = TraceStore.open(directory);

        assertThat(storedTrace("trace-1")).isEqualTo(written);
    }

    /** The versions of the migration scripts, in order: what a store opened by this build must have applied. */
    private static List<String> migrationVersions() throws java.io.IOException {
        try (var scripts = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/loupe"))) {
            // The SQL migrations, and the Java migrations that index the rows stored before search (5.1, 6.1, 7.1).
            return java.util.stream.Stream.concat(scripts.map(script -> script.getFileName().toString())
                            .filter(name -> name.matches("V\\d+__.*\\.sql"))
                            .map(name -> name.substring(1, name.indexOf("__"))),
                            java.util.stream.Stream.of("5.1", "6.1", "7.1"))
                    .sorted(java.util.Comparator.comparingDouble(Double::parseDouble))
                    .toList();
        }
    }

    @Test
    void theSchemaHistoryRecordsEveryMigrationOnce() throws Exception {
        assertThat(select("SELECT \"version\" FROM \"loupe_schema_history\""
                + " WHERE \"version\" IS NOT NULL AND \"success\" ORDER BY \"installed_rank\""))
                .containsExactlyElementsOf(migrationVersions());
    }

    @Test
    void reopeningTheStoreDoesNotMigrateItAgain() throws Exception {
        store.close();
        store = TraceStore.open(directory);
        store.close();
        store = TraceStore.open(directory);

        assertThat(select("SELECT \"version\" FROM \"loupe_schema_history\" WHERE \"version\" IS NOT NULL"
                + " ORDER BY \"installed_rank\""))
                .containsExactlyElementsOf(migrationVersions());
    }

    @Test
    void theStoreCreatesItsDirectoryWhenMissing() {
        Path nested = directory.resolve("not/yet/there");

        try (TraceStore created = TraceStore.open(nested)) {
            created.write(batch(trace("trace-1").build()));

            assertThat(created.trace("trace-1")).isPresent();
            assertThat(created.location()).isEqualTo(nested.toAbsolutePath().normalize().toString());
        }
    }

    @Test
    void aSecondConnectionSeesWhatTheStoreWrote() throws SQLException {
        write(trace("trace-1").build());

        assertThat(select("SELECT id FROM traces")).containsExactly("trace-1");
    }
}
