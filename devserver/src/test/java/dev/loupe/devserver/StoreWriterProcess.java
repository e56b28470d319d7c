package dev.loupe.devserver;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.trace.Tracer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second JVM that writes to a store, as a test run does while the devserver is open: it records one trace for
 * each line {@code trace NAME} it reads, answers {@code written NAME} once the trace is stored, and ends at the
 * end of its input.
 */
final class StoreWriterProcess {

    private StoreWriterProcess() {
    }

    /** Opens the store in the directory given as the only argument and records the traces asked for on stdin. */
    public static void main(String[] args) throws Exception {
        try (Tracer tracer = TracerBuilder.create().storePath(Path.of(args[0])).shutdownHook(false).build()) {
            System.out.println("ready");
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = commands.readLine(); line != null; line = commands.readLine()) {
                if (line.startsWith("trace ")) {
                    String name = line.substring("trace ".length());
                    tracer.trace(name, root -> {
                        root.userId("other-jvm");
                        return "written by process " + ProcessHandle.current().pid();
                    });
                    System.out.println(tracer.flush() ? "written " + name : "not written " + name);
                }
            }
        }
    }
}
