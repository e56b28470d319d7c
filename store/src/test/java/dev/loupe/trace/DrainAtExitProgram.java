package dev.loupe.trace;

import dev.loupe.Loupe;
import dev.loupe.engine.ExportListener;
import dev.loupe.engine.Exporter;
import dev.loupe.model.TraceBatch;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Records traces with the global tracer (its store set by the system property {@code loupe.store}) and exits with
 * {@code System.exit(0)} without closing or flushing it: only the shutdown hook can write what is still queued.
 *
 * <p>A listener holds the exporter after its first batch until the program has recorded everything, so that records
 * are certainly queued at exit. With a second argument, the program also uses an H2 database of its own, as an
 * application may: it writes rows to it and leaves it open at exit, as it would without Loupe.
 */
public final class DrainAtExitProgram {

    private DrainAtExitProgram() {
    }

    /** Arguments: the number of traces to record, and optionally the JDBC URL of the application's own database. */
    public static void main(String[] arguments) throws Exception {
        ChildProgram.startWatchdog();
        int traces = Integer.parseInt(arguments[0]);
        if (arguments.length > 1) {
            // Left open on purpose: the application relies on H2 closing its database at exit.
            Connection application = DriverManager.getConnection(arguments[1]);
            try (Statement statement = application.createStatement()) {
                statement.execute("create table orders(id int primary key, item varchar(100))");
                statement.execute("insert into orders values (1, 'keyboard'), (2, 'mouse')");
            }
        }
        Tracer tracer = Loupe.tracer();
        CountDownLatch exporterHeld = new CountDownLatch(1);
        CountDownLatch recordedAll = new CountDownLatch(1);
        Exporter.of(tracer).orElseThrow().addListener(new ExportListener() {
            @Override
            public void onExport(TraceBatch batch) {
                exporterHeld.countDown();
                try {
                    recordedAll.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        ChildProgram.recordTrace(tracer, "drained", 0);
        if (!exporterHeld.await(30, TimeUnit.SECONDS)) {
            System.out.println("EXPORTER NEVER EXPORTED " + tracer.stats());
            System.exit(2);
        }
        for (int i = 1; i < traces; i++) {
            ChildProgram.recordTrace(tracer, "drained", i);
        }
        System.out.println("RECORDED queued=" + tracer.stats().queued() + " " + tracer.stats());
        recordedAll.countDown();
        System.exit(0);
    }
}
