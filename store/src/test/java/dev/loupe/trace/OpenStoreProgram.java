package dev.loupe.trace;

import dev.loupe.store.TraceStore;
import java.nio.file.Path;

/** Opens the file store in the directory given as argument, says so, and closes it. */
public final class OpenStoreProgram {

    private OpenStoreProgram() {
    }

    /** Argument: the store directory. */
    public static void main(String[] arguments) {
        ChildProgram.startWatchdog();
        try (TraceStore store = TraceStore.open(Path.of(arguments[0]))) {
            System.out.println("OPENED " + store.location());
        }
        System.exit(0);
    }
}
