package dev.loupe.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch directories for stores: the suite's work directory, or the system's temporary one. */
final class Directories {

    /** System property naming the directory the suite gives its forks for scratch stores. */
    static final String WORK_PROPERTY = "loupe.bench.work";

    private Directories() {
    }

    /** Returns the directory for scratch stores, created if needed. */
    static Path work() {
        String work = System.getProperty(WORK_PROPERTY);
        Path directory = work != null ? Path.of(work) : Path.of(System.getProperty("java.io.tmpdir"), "loupe-bench");
        try {
            return Files.createDirectories(directory);
        } catch (IOException failure) {
            throw new UncheckedIOException("Cannot create the benchmark work directory " + directory, failure);
        }
    }

    /** Returns a new, empty directory under the work directory. */
    static Path fresh(String prefix) {
        try {
            return Files.createTempDirectory(work(), prefix);
        } catch (IOException failure) {
            throw new UncheckedIOException("Cannot create a directory under " + work(), failure);
        }
    }

    /** Deletes the directory and everything in it; a directory that is gone already is fine. */
    static void delete(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException failure) {
            throw new UncheckedIOException("Cannot delete " + directory, failure);
        }
    }
}
