package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.store.TraceStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a store costs every test JVM: a store whose schema is current is opened without Flyway. */
class StoreStartupTest {

    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @Test
    void aStoreWhoseSchemaIsCurrentOpensWithoutLoadingFlyway() throws Exception {
        TraceStore.open(directory).close();

        try (ChildJvm child = ChildJvm.start(OpenStoreProgram.class, List.of("-Xlog:class+load=info:stdout"),
                directory.toString())) {
            child.awaitLine("OPENED", CHILD_TIMEOUT);
            assertThat(child.awaitExit(CHILD_TIMEOUT)).isZero();
            assertThat(child.transcript()).contains("org.h2.Driver").doesNotContain("org.flywaydb");
        }
    }

    @Test
    void aNewStoreIsCreatedByFlyway() throws Exception {
        try (ChildJvm child = ChildJvm.start(OpenStoreProgram.class, List.of("-Xlog:class+load=info:stdout"),
                directory.toString())) {
            child.awaitLine("OPENED", CHILD_TIMEOUT);
            assertThat(child.awaitExit(CHILD_TIMEOUT)).isZero();
            assertThat(child.transcript()).contains("org.flywaydb.core.Flyway");
        }
    }
}
