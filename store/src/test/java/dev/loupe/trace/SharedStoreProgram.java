package dev.loupe.trace;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import java.nio.file.Path;

/**
 * Opens a file store that another JVM holds open, reports how many of that JVM's traces it sees, and records
 * traces of its own.
 */
public final class SharedStoreProgram {

    private SharedStoreProgram() {
    }

    /** Arguments: the store directory, the name of the other JVM's traces, and the number of traces to record. */
    public static void main(String[] arguments) {
        ChildProgram.startWatchdog();
        int traces = Integer.parseInt(arguments[2]);
        try (TraceStore store = TraceStore.open(Path.of(arguments[0]));
                Tracer tracer = TracerBuilder.create().store(store).shutdownHook(false).build()) {
            long seen = store.traces(TraceQuery.builder().name(arguments[1]).build()).totalItems();
            System.out.println("SAW " + seen);
            for (int i = 0; i < traces; i++) {
                ChildProgram.recordTrace(tracer, "child-trace", i);
            }
            System.out.println("WROTE flushed=" + tracer.flush() + " " + tracer.stats());
        }
        System.exit(0);
    }
}
