package dev.loupe.devserver;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.replay.ReplayMode;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

/**
 * The devserver's command line, parsed: which store to open, where to listen, whether to seed demo data.
 *
 * @param store where the store lives
 * @param host  the address to listen on
 * @param port  the port to listen on; 0 picks a free one
 * @param demo  whether to seed the demo data set before serving
 * @param help  whether only the usage was asked for
 * @param pruneOlderThan the age beyond which traces are deleted before exiting, instead of serving; null for none
 * @param compact whether to compact the store's file and exit, instead of serving
 * @param keys    the API keys clients must send, or {@link ApiKeys#NONE} to serve any client
 * @param llmProxy the recording proxy for LLM calls to run beside the server, or null for none
 */
record CommandLine(Path store, String host, int port, boolean demo, boolean help, Duration pruneOlderThan,
        boolean compact, ApiKeys keys, LlmProxySettings llmProxy) {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 7070;
    static final int DEFAULT_LLM_PROXY_PORT = 7071;
    static final String DEFAULT_LLM_UPSTREAM = "https://api.openai.com";
    static final Path DEFAULT_LLM_RECORDINGS = Paths.get("loupe-llm-recordings.json");

    /**
     * How to run the recording proxy for LLM calls.
     *
     * @param mode       record, replay or auto
     * @param upstream   the provider's root URL
     * @param recordings the recordings file
     * @param port       the port it listens on, on the devserver's address
     */
    record LlmProxySettings(ReplayMode mode, String upstream, Path recordings, int port) {
    }

    static final String USAGE = """
            Usage: java -jar loupe-devserver.jar [--store PATH] [--port N] [--host ADDRESS] [--demo] [--help]
                   [--public-key KEY --secret-key KEY]
                   [--llm-proxy MODE [--llm-upstream URL] [--llm-recordings FILE] [--llm-proxy-port N]]
                   java -jar loupe-devserver.jar [--store PATH] [--prune-older-than AGE] [--compact]

            Serves a web UI and a Langfuse-shaped REST API (/api/public/...) over a Loupe trace store.
            With --prune-older-than or --compact it maintains the store instead, and exits.

              --store PATH      the store directory to open (default: %s)
                                another program, such as a test run, may write to it at the same time
              --port N          the port to listen on, 0 to 65535; 0 picks a free port (default: %d)
              --host ADDRESS    the address to listen on (default: %s, this machine only)
              --demo            first records a demo data set into the store through the tracing API
              --public-key KEY, --secret-key KEY
                                the keys API clients must send as HTTP Basic credentials (public key as
                                user name, secret key as password), as Langfuse SDKs do; without them
                                any client is served, and a warning is printed unless --host is loopback.
                                Langfuse SDKs send traces to /api/public/ingestion (at most %d MiB per
                                request) or, over OpenTelemetry, to /api/public/otel/v1/traces
              --help            prints this text and exits
              --prune-older-than AGE
                                deletes the traces that began more than AGE ago (such as 30d, 12h or 90m),
                                with their observations and scores, and the test runs as old, then exits;
                                the default store does this by itself for traces older than 30 days
              --compact         rewrites the store's file with live data only, then exits; when another
                                program has the store open it is compacted when the last one closes it
              --llm-proxy MODE  also runs Loupe's recording proxy for LLM calls, for apps in any language:
                                point their OpenAI-compatible or Anthropic client's base URL at it;
                                MODE is record (call the provider and keep each exchange), replay (answer
                                from the recordings only) or auto (replay what is recorded, record the rest);
                                each call is a generation in the store, marked recorded or replayed
              --llm-upstream URL
                                the provider's root URL to record from (default: %s)
              --llm-recordings FILE
                                the recordings file, read and written (default: %s)
              --llm-proxy-port N
                                the proxy's port, on the --host address (default: %d)
            """.formatted(TracerBuilder.DEFAULT_STORE, DEFAULT_PORT, DEFAULT_HOST,
            IngestionApi.MAX_BODY_BYTES / (1024 * 1024), DEFAULT_LLM_UPSTREAM, DEFAULT_LLM_RECORDINGS,
            DEFAULT_LLM_PROXY_PORT);

    /**
     * Parses the arguments; {@code --name value} and {@code --name=value} are both accepted.
     *
     * @throws IllegalArgumentException naming the argument and saying what is expected
     */
    static CommandLine parse(List<String> arguments) {
        Path store = TracerBuilder.DEFAULT_STORE;
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        boolean demo = false;
        boolean help = false;
        Duration pruneOlderThan = null;
        boolean compact = false;
        ReplayMode llmMode = null;
        String llmUpstream = null;
        Path llmRecordings = null;
        Integer llmPort = null;
        String publicKey = null;
        String secretKey = null;
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            String name = argument;
            String inlineValue = null;
            int equals = argument.indexOf('=');
            if (argument.startsWith("--") && equals > 0) {
                name = argument.substring(0, equals);
                inlineValue = argument.substring(equals + 1);
            }
            switch (name) {
                case "--store" -> {
                    String value = inlineValue != null ? inlineValue : valueAfter(arguments, i++, name, "a directory");
                    store = storePath(value);
                }
                case "--port" -> {
                    String value = inlineValue != null ? inlineValue
                            : valueAfter(arguments, i++, name, "a port number such as 7070");
                    port = port("--port", value);
                }
                case "--host" -> {
                    String value = inlineValue != null ? inlineValue
                            : valueAfter(arguments, i++, name, "an address such as 127.0.0.1");
                    if (value.isBlank()) {
                        throw new IllegalArgumentException("--host is empty: give an address such as 127.0.0.1");
                    }
                    host = value.trim();
                }
                case "--demo" -> demo = flag(name, inlineValue);
                case "--help", "-h" -> help = flag(name, inlineValue);
                case "--prune-older-than" -> {
                    String value = inlineValue != null ? inlineValue
                            : valueAfter(arguments, i++, name, "an age such as 30d, 12h or 90m");
                    try {
                        pruneOlderThan = TracerBuilder.parseAge(value);
                    } catch (IllegalArgumentException notAnAge) {
                        throw new IllegalArgumentException("--prune-older-than " + notAnAge.getMessage(), notAnAge);
                    }
                }
                case "--compact" -> compact = flag(name, inlineValue);
                case "--public-key" -> publicKey = inlineValue != null ? inlineValue
                        : valueAfter(arguments, i++, name, "the public key clients send, such as pk-lf-local");
                case "--secret-key" -> secretKey = inlineValue != null ? inlineValue
                        : valueAfter(arguments, i++, name, "the secret key clients send, such as sk-lf-local");
                case "--llm-proxy" -> {
                    String value = inlineValue != null ? inlineValue
                            : valueAfter(arguments, i++, name, "a mode: record, replay or auto");
                    llmMode = ReplayMode.parse(value, "--llm-proxy");
                }
                case "--llm-upstream" -> llmUpstream = inlineValue != null ? inlineValue
                        : valueAfter(arguments, i++, name, "the provider's root URL, such as https://api.openai.com");
                case "--llm-recordings" -> {
                    String value = inlineValue != null ? inlineValue
                            : valueAfter(arguments, i++, name, "a file such as recordings.json");
                    llmRecordings = path(name, value);
                }
                case "--llm-proxy-port" -> {
                    String value = inlineValue != null ? inlineValue
                            : valueAfter(arguments, i++, name, "a port number such as 7071");
                    llmPort = port(name, value);
                }
                default -> throw new IllegalArgumentException("Unknown argument '" + argument
                        + "': use --store PATH, --port N, --host ADDRESS, --demo, --public-key KEY, --secret-key KEY,"
                        + " --prune-older-than AGE, --compact, --llm-proxy MODE (with --llm-upstream URL,"
                        + " --llm-recordings FILE, --llm-proxy-port N) or --help");
            }
        }
        LlmProxySettings llmProxy = null;
        if (llmMode != null) {
            llmProxy = new LlmProxySettings(llmMode, llmUpstream == null ? DEFAULT_LLM_UPSTREAM : llmUpstream,
                    llmRecordings == null ? DEFAULT_LLM_RECORDINGS : llmRecordings,
                    llmPort == null ? DEFAULT_LLM_PROXY_PORT : llmPort);
        } else if (llmUpstream != null || llmRecordings != null || llmPort != null) {
            throw new IllegalArgumentException("--llm-upstream, --llm-recordings and --llm-proxy-port set up the LLM "
                    + "proxy: add --llm-proxy record, replay or auto");
        }
        if ((pruneOlderThan != null || compact) && demo) {
            throw new IllegalArgumentException("--demo serves the store, which --prune-older-than and --compact do "
                    + "not: run them one after the other");
        }
        if (llmProxy != null && (pruneOlderThan != null || compact)) {
            throw new IllegalArgumentException("--llm-proxy runs beside the server, which --prune-older-than and "
                    + "--compact do not start: run them one after the other");
        }
        return new CommandLine(store, host, port, demo, help, pruneOlderThan, compact,
                new ApiKeys(publicKey, secretKey), llmProxy);
    }

    /** Returns whether the command maintains the store (and exits) instead of serving it. */
    boolean maintains() {
        return pruneOlderThan != null || compact;
    }

    private static String valueAfter(List<String> arguments, int index, String name, String expected) {
        if (index + 1 >= arguments.size() || arguments.get(index + 1).startsWith("--")) {
            throw new IllegalArgumentException(name + " needs a value: " + expected);
        }
        return arguments.get(index + 1);
    }

    private static boolean flag(String name, String inlineValue) {
        if (inlineValue != null) {
            throw new IllegalArgumentException(name + " takes no value, but was given '" + inlineValue + "'");
        }
        return true;
    }

    private static Path storePath(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("--store is empty: give the store directory");
        }
        return path("--store", value);
    }

    private static Path path(String name, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is empty: give a path");
        }
        try {
            return Paths.get(value.trim());
        } catch (java.nio.file.InvalidPathException invalid) {
            throw new IllegalArgumentException(name + " '" + value + "' is not a valid path: " + invalid.getReason(),
                    invalid);
        }
    }

    private static int port(String name, String value) {
        int port;
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException(name + " is '" + value + "': use a port number from 0 to 65535",
                    notANumber);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " is " + port + ": use a port number from 0 to 65535");
        }
        return port;
    }
}
