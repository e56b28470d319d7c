package dev.loupe.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileTraceStoreTest extends TraceStoreConformanceTest {

    @TempDir
    Path directory;

    @Override
    TraceStore openStore() {
        return TraceStore.open(directory);
    }
}
