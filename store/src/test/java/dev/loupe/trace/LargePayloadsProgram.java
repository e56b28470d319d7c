package dev.loupe.trace;

import dev.loupe.engine.TracerBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records generations with LLM-sized payloads from several threads into a file store, with the default settings, in
 * a JVM with a small heap: the reproduction of a queue bounded only in records. Prints the records it produced and
 * the tracer's figures once the tracer is closed.
 */
public final class LargePayloadsProgram {

    private LargePayloadsProgram() {
    }

    /** Arguments: the store directory, threads, traces per thread, characters per prompt and completion. */
    public static void main(String[] arguments) throws Exception {
        ChildProgram.startWatchdog();
        Path store = Path.of(arguments[0]);
        int threads = Integer.parseInt(arguments[1]);
        int tracesPerThread = Integer.parseInt(arguments[2]);
        int chars = Integer.parseInt(arguments[3]);
        AtomicLong produced = new AtomicLong();
        Tracer tracer = TracerBuilder.create().storePath(store).build();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(new Thread(() -> {
                for (int i = 0; i < tracesPerThread; i++) {
                    // new strings every time, as a real prompt and completion are
                    String prompt = text('p', thread, i, chars);
                    String completion = text('c', thread, i, chars);
                    tracer.trace("chat", root -> tracer.generation("completion", gen -> {
                        gen.model("gpt-4o-mini").input(prompt).usage(4_000, 4_000);
                        return completion;
                    }));
                    produced.addAndGet(3); // the root, the generation and the trace record
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            worker.join();
        }
        tracer.close();
        ExporterStats stats = tracer.stats();
        System.out.println("DONE produced=" + produced.get() + " exported=" + stats.exported() + " dropped="
                + stats.dropped() + " failed=" + stats.failed() + " queued=" + stats.queued());
    }

    private static String text(char kind, int thread, int number, int chars) {
        StringBuilder text = new StringBuilder(chars);
        text.append(kind).append(thread).append('-').append(number).append(' ');
        while (text.length() < chars) {
            text.append("lorem ipsum dolor sit amet ");
        }
        text.setLength(chars);
        return text.toString();
    }
}
