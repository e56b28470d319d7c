package dev.loupe.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {

    @TempDir
    Path directory;

    @Test
    void theCurrentVersionIsThatOfTheNewestMigration() throws Exception {
        Path migrations = Path.of(Schema.class.getResource("/db/loupe").toURI());
        try (Stream<Path> files = Files.list(migrations)) {
            int newest = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("V[0-9]+__.*\\.sql"))
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__")))).max().orElse(0);
            assertThat(Schema.CURRENT_VERSION).as("Schema.CURRENT_VERSION").isEqualTo(newest);
        }
    }

    @Test
    void aStoreIsCurrentOnceOpenedAndANewDatabaseIsNot() throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("loupe") + ";AUTO_SERVER=TRUE";
        try (Connection empty = DriverManager.getConnection(url, "loupe", "")) {
            assertThat(Schema.isCurrent(empty)).isFalse();
        }
        H2TraceStore.openFile(directory).close();
        try (Connection opened = DriverManager.getConnection(url, "loupe", "")) {
            assertThat(Schema.isCurrent(opened)).isTrue();
        }
    }

    @Test
    void checkingANewDatabaseFailsNoStatementThatH2WouldLog() throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("loupe") + ";AUTO_SERVER=TRUE";
        try (Connection empty = DriverManager.getConnection(url, "loupe", "")) {
            assertThat(Schema.isCurrent(empty)).isFalse();
        }
        assertThat(directory.resolve("loupe.trace.db")).doesNotExist();
    }
}
