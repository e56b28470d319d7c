package dev.loupe.trace;

import dev.loupe.engine.TracerBuilder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Records traces into a file store, flushes, prints {@code FLUSHED}, then goes on recording until it is killed.
 */
public final class KilledAfterFlushProgram {

    private KilledAfterFlushProgram() {
    }

    /** Arguments: the store directory and the number of traces to record before the flush. */
    public static void main(String[] arguments) throws InterruptedException {
        ChildProgram.startWatchdog();
        Tracer tracer = TracerBuilder.create().storePath(Path.of(arguments[0])).build();
        int confirmed = Integer.parseInt(arguments[1]);
        for (int i = 0; i < confirmed; i++) {
            ChildProgram.recordTrace(tracer, "confirmed", i);
        }
        if (!tracer.flush()) {
            System.out.println("FLUSH FAILED " + tracer.stats());
            System.exit(2);
        }
        System.out.println("FLUSHED " + tracer.stats());
        for (int i = 0; ; i++) {
            ChildProgram.recordTrace(tracer, "unconfirmed", i);
            // pace the loop so that the writer commits often and the kill lands in the middle of writes
            TimeUnit.MICROSECONDS.sleep(200);
        }
    }
}
