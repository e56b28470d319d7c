package dev.loupe.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Figures a benchmark learns besides its time (records dropped, rows written), handed from the forked benchmark JVMs
 * to the suite: each fork appends {@code key=value} lines to the file named by the system property
 * {@value #PROPERTY}, which the suite reads when JMH is done.
 */
final class RunFacts {

    static final String PROPERTY = "loupe.bench.facts";

    private RunFacts() {
    }

    /** Records one figure, and prints it so a run read by eye shows it too. */
    static void record(String key, Object value) {
        System.out.println("[loupe-bench] " + key + " = " + value);
        String file = System.getProperty(PROPERTY);
        if (file == null) {
            return;
        }
        try {
            Files.writeString(Path.of(file), key + "=" + value + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException failure) {
            throw new UncheckedIOException("Cannot record " + key + " in " + file, failure);
        }
    }

    /** Reads the figures recorded so far; a key recorded twice keeps its last value. */
    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> facts = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    facts.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
        }
        return facts;
    }
}
