package dev.loupe.devserver;

import dev.loupe.store.TraceStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The running devserver: the web UI (static files from the jar) and the REST API over one trace store. It reads
 * the store on every request, so traces that another process writes show up without a restart.
 */
final class DevServer implements AutoCloseable {

    /** Where the web UI's files are in the jar. */
    static final String UI_DIRECTORY = "/dev/loupe/devserver/ui";

    // Everything stored is shown as text by the UI; this policy is the second line of defence should a bug ever
    // let stored markup into the page: no inline script, no script from elsewhere, no plugins, no framing.
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final Javalin app;
    private final String host;
    private final RecordIntake intake;
    private final InboxWatch inbox;

    private DevServer(Javalin app, String host, RecordIntake intake, InboxWatch inbox) {
        this.app = app;
        this.host = host;
        this.intake = intake;
        this.inbox = inbox;
    }

    /**
     * Starts serving the store on this address, to anyone; port 0 picks a free port.
     *
     * @throws IllegalStateException when the address cannot be listened on, saying why
     */
    static DevServer start(TraceStore store, String host, int port) {
        return start(store, host, port, ApiKeys.NONE);
    }

    /**
     * Starts serving the store on this address, its API to clients that have these keys; port 0 picks a free port.
     *
     * @throws IllegalStateException when the address cannot be listened on, saying why
     */
    static DevServer start(TraceStore store, String host, int port, ApiKeys keys) {
        boolean loopbackOnly = isLoopback(host);
        PublicApi api = new PublicApi(store);
        ComparisonApi comparisons = new ComparisonApi(store);
        RecordIntake intake = RecordIntake.into(store);
        IngestionApi ingestion = new IngestionApi(store, intake);
        OtlpReceiver otlp = new OtlpReceiver(intake);
        Javalin app = Javalin.create(config -> {
            AllowedMethods methods = new AllowedMethods(config.unsafe);
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(ApiJson.MAPPER, false));
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = UI_DIRECTORY;
                files.location = Location.CLASSPATH;
                // The UI is small and changes with the jar: always revalidate, never serve a stale script.
                files.headers = Map.of("Cache-Control", "no-cache");
            });
            config.routes.before(ctx -> {
                ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
                if (loopbackOnly) {
                    refuseForeignHost(ctx, host);
                }
                keys.check(ctx);
                methods.check(ctx);
            });
            api.addRoutes(config.routes);
            ingestion.addRoutes(config.routes);
            comparisons.addRoutes(config.routes);
            otlp.addRoutes(config.routes);
            ErrorResponses.install(config);
        });
        try {
            app.start(host, port);
        } catch (RuntimeException failure) {
            app.stop();
            intake.close();
            throw new IllegalStateException("Cannot listen on " + host + ":" + port + ": " + rootMessage(failure)
                    + ". Choose another --port, or stop the program that uses it.", failure);
        }
        return new DevServer(app, host, intake, InboxWatch.start(store));
    }

    /** Returns the port the server listens on. */
    int port() {
        return app.port();
    }

    /** Returns the address of the web UI, such as {@code http://127.0.0.1:7070/}. */
    URI url() {
        String shown = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        if ("0.0.0.0".equals(host) || "::".equals(host)) {
            shown = "localhost";
        }
        return URI.create("http://" + shown + ":" + port() + "/");
    }

    /** Stops serving and writes what clients sent; the store stays open (its owner closes it). */
    @Override
    public void close() {
        try {
            inbox.close();
            app.stop();
        } finally {
            intake.close();
        }
    }

    /**
     * Refuses requests addressed to another host name: a web page elsewhere could otherwise point its own name at
     * 127.0.0.1 (DNS rebinding) and read the traces through the browser of the person running the devserver.
     */
    private static void refuseForeignHost(Context ctx, String boundHost) {
        String header = ctx.header("Host");
        String name = header == null ? "" : header.toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            name = end < 0 ? name : name.substring(0, end + 1);
        } else if (name.indexOf(':') >= 0) {
            name = name.substring(0, name.indexOf(':'));
        }
        if (!LOOPBACK_NAMES.contains(name) && !name.equals(boundHost.toLowerCase(Locale.ROOT))
                && !name.endsWith(".localhost")) {
            throw ApiError.forbidden("This devserver only answers requests addressed to " + boundHost
                    + " or localhost, " + (header == null ? "named in the Host header; this request has none"
                            : "not to '" + header + "'"));
        }
    }

    /** Returns whether the address is this machine's loopback, unreachable from other machines. */
    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException unknown) {
            return false;
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
