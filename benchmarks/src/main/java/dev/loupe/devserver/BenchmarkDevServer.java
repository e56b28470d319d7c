package dev.loupe.devserver;

import dev.loupe.store.TraceStore;
import java.net.URI;

/**
 * A devserver started by the benchmark suite, whose classes live in another package: the devserver has no public API
 * of its own beyond its command line, so this bridge in its package starts one on a free loopback port.
 */
public final class BenchmarkDevServer implements AutoCloseable {

    private final DevServer server;

    private BenchmarkDevServer(DevServer server) {
        this.server = server;
    }

    /** Starts serving this store on a free port of 127.0.0.1, to any client. */
    public static BenchmarkDevServer start(TraceStore store) {
        return new BenchmarkDevServer(DevServer.start(store, "127.0.0.1", 0));
    }

    /** Returns the address the server answers on, such as {@code http://127.0.0.1:41234/}. */
    public URI url() {
        return server.url();
    }

    /** Stops serving, once what clients sent is written; the store stays open. */
    @Override
    public void close() {
        server.close();
    }
}
