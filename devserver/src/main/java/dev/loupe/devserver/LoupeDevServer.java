package dev.loupe.devserver;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.internal.ShutdownHooks;
import dev.loupe.replay.LlmProxy;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.Tracer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

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
        if (commandLine.maintains()) {
            try {
                maintain(commandLine, System.out);
                return;
            } catch (IllegalStateException cannotMaintain) {
                System.err.println("loupe-devserver: " + cannotMaintain.getMessage());
                System.exit(CANNOT_START);
            }
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
            DevServer server = DevServer.start(store, commandLine.host(), commandLine.port(), commandLine.keys());
            out.println("Loupe devserver: serving the store " + store.location());
            if (!commandLine.keys().required() && !DevServer.isLoopback(commandLine.host())) {
                out.println("Warning: listening on " + commandLine.host() + " without --public-key and --secret-key: "
                        + "anyone who can reach this address can read and write the traces. Start it with keys, "
                        + "or with --host 127.0.0.1.");
            }
            out.println("Open " + server.url());
            ProxyRunning proxy = null;
            if (commandLine.llmProxy() != null) {
                try {
                    proxy = ProxyRunning.start(commandLine.llmProxy(), commandLine.host(), store);
                } catch (RuntimeException failure) {
                    server.close();
                    throw failure;
                }
                out.println("LLM proxy (" + proxy.proxy().mode().name().toLowerCase(Locale.ROOT) + " "
                        + commandLine.llmProxy().upstream() + ", recordings in " + commandLine.llmProxy().recordings()
                        + "): point your client's base URL at " + proxy.proxy().baseUrl()
                        + " (OpenAI's clients: " + proxy.proxy().baseUrl() + "/v1)");
            }
            out.flush();
            return new Running(store, server, proxy);
        } catch (RuntimeException failure) {
            store.close();
            throw failure;
        }
    }

    /**
     * Prunes and compacts the store as the command line asks, saying what it did.
     *
     * @throws IllegalStateException when the store cannot be opened or maintained
     */
    static void maintain(CommandLine commandLine, PrintStream out) {
        long before = directorySize(commandLine.store());
        TraceStore store = TraceStore.open(commandLine.store());
        try {
            if (commandLine.pruneOlderThan() != null) {
                Instant cutoff = Instant.now().minus(commandLine.pruneOlderThan());
                long deleted = store.pruneOlderThan(cutoff);
                out.println("Deleted " + deleted + (deleted == 1 ? " trace" : " traces") + " that began before "
                        + cutoff + " from " + store.location());
            }
        } catch (RuntimeException failure) {
            store.close();
            throw failure;
        }
        if (!commandLine.compact()) {
            store.close();
        } else if (store.closeAndCompact()) {
            out.println("Compacted " + store.location() + ": " + megabytes(before) + " before, "
                    + megabytes(directorySize(commandLine.store())) + " now");
        } else {
            out.println("Another program has " + store.location() + " open: it is compacted when the last one "
                    + "closes it");
        }
        out.flush();
    }

    private static long directorySize(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException | UncheckedIOException unreadable) {
            return 0;
        }
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /**
     * A started devserver, the store it serves and the LLM proxy beside it (or null); closing it stops the proxy
     * (writing its recordings) and the server, then closes the store.
     */
    record Running(TraceStore store, DevServer server, ProxyRunning proxy) implements AutoCloseable {

        /** Stops the proxy and the server, and closes the store. */
        @Override
        public void close() {
            try {
                if (proxy != null) {
                    proxy.close();
                }
            } finally {
                try {
                    server.close();
                } finally {
                    store.close();
                }
            }
        }
    }

    /** The recording proxy for LLM calls, with the tracer that writes its calls into the served store. */
    record ProxyRunning(LlmProxy proxy, Tracer tracer) implements AutoCloseable {

        /**
         * Starts the proxy as the command line says.
         *
         * @throws IllegalStateException when its recordings cannot be read or its port cannot be listened on
         */
        static ProxyRunning start(CommandLine.LlmProxySettings settings, String host, TraceStore store) {
            Tracer tracer = TracerBuilder.create().store(store).retainForever().shutdownHook(false).build();
            try {
                return new ProxyRunning(LlmProxy.builder().mode(settings.mode()).upstream(settings.upstream())
                        .recordingsFile(settings.recordings()).listen(host, settings.port()).tracer(tracer).start(),
                        tracer);
            } catch (IllegalArgumentException | IllegalStateException failure) {
                tracer.close();
                throw new IllegalStateException("Cannot start the LLM proxy: " + failure.getMessage(), failure);
            }
        }

        /** Stops the proxy, writes its recordings, and writes its calls' traces. */
        @Override
        public void close() {
            try {
                proxy.close();
            } finally {
                tracer.close();
            }
        }
    }
}
