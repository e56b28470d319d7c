package dev.loupe.devserver;

import dev.loupe.internal.ShutdownHooks;
import dev.loupe.store.TraceStore;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

/**
 * Starts the Loupe devserver: a web UI and a Langfuse-shaped REST API over a trace store, by default
 * {@code ~/.loupe/store}, listening on {@code http://127.0.0.1:7070/}. Run {@code java -jar loupe-devserver.jar --help}
 * for the options.
 */
public final class LoupeDevServer {

    /** Exit status for arguments that cannot be used. */
    static final int BAD_ARGUMENTS = 2;
    /** Exit status for a server that cannot start, for example on a port in use. */
    static final int CANNOT_START = 1;

    private LoupeDevServer() {
    }

    /** Starts the devserver with the given command line arguments and serves until the process is stopped. */
    public static void main(String[] args) {
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(List.of(args));
        } catch (IllegalArgumentException bad) {
            System.err.println("loupe-devserver: " + bad.getMessage());
            System.err.println("Run with --help to see the options.");
            System.exit(BAD_ARGUMENTS);
            return;
        }
        if (commandLine.help()) {
            System.out.print(CommandLine.USAGE);
            return;
        }
        try {
            Running running = start(commandLine, System.out);
            // Closed at exit before H2 closes its databases (a hook of its own would race H2's and close the store
            // after H2 had, which H2 logs as a failure in the store's .trace.db file).
            ShutdownHooks.register(running::close);
        } catch (IllegalStateException cannotStart) {
            System.err.println("loupe-devserver: " + cannotStart.getMessage());
            System.exit(CANNOT_START);
        }
    }

    /**
     * Opens the store, seeds the demo data if asked, starts serving and prints where.
     *
     * @throws IllegalStateException when the store cannot be opened or the address cannot be listened on
     */
    static Running start(CommandLine commandLine, PrintStream out) {
        TraceStore store = TraceStore.open(commandLine.store());
        try {
            if (commandLine.demo()) {
                int seeded = DemoData.seed(store, Instant.now());
                out.println(seeded > 0
                        ? "Recorded " + seeded + " demo traces and a test run (environment '" + DemoData.ENVIRONMENT
                                + "')"
                        : "The demo traces are already in the store (environment '" + DemoData.ENVIRONMENT
                                + "'); not recording them again");
            }
            DevServer server = DevServer.start(store, commandLine.host(), commandLine.port());
            out.println("Loupe devserver: serving the store " + store.location());
            out.println("Open " + server.url());
            out.flush();
            return new Running(store, server);
        } catch (RuntimeException failure) {
            store.close();
            throw failure;
        }
    }

    /** A started devserver and the store it serves; closing it stops the server and then closes the store. */
    record Running(TraceStore store, DevServer server) implements AutoCloseable {

        /** Stops serving and closes the store. */
        @Override
        public void close() {
            try {
                server.close();
            } finally {
                store.close();
            }
        }
    }
}
