package dev.loupe.trace;

import java.util.List;

/** What the programs run in child JVMs share: a watchdog and one way to record a trace. */
final class ChildProgram {

    /** No child program runs longer than this, even when the test that started it is gone. */
    private static final long MAX_RUN_MILLIS = 90_000;

    private ChildProgram() {
    }

    /** Halts the JVM with status 3 if it is still running after the maximum run time. */
    static void startWatchdog() {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(MAX_RUN_MILLIS);
                System.out.println("WATCHDOG halting the child JVM");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }, "child-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Records one trace named so of three observations: the root, a generation and a tool call. */
    static void recordTrace(Tracer tracer, String name, int number) {
        tracer.trace(name, root -> {
            root.input("request " + number);
            String draft = tracer.generation("draft", gen -> {
                gen.model("gpt-4o-mini").usage(10, 5);
                return "draft " + number;
            });
            return tracer.tool("lookup", tool -> List.of(draft));
        });
    }
}
