package dev.loupe.benchmarks;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.trace.spi.ObservationRecord;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ExporterStats;
import dev.loupe.trace.Tracer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.openjdk.jol.info.GraphLayout;

/**
 * The heap the exporter queue holds when it is full. A tracer with a queue of {@value #CAPACITY} records writes to
 * a store whose {@code write} blocks; once the writer thread is stuck in it, B1's trace (a root and 3 children, each
 * with its own small input and output strings) is recorded until the queue is full. JOL then walks everything the
 * queue reaches: the queue itself, its array and every queued record with the strings, instants and usage it holds.
 * A heap-usage difference around the filling (after full collections) is measured as a cross-check.
 */
final class QueueFootprint {

    static final int CAPACITY = 50_000;

    /**
     * @param queueBytes         bytes reachable from the full queue
     * @param records            records in the queue (observations and trace records)
     * @param observations       observations among them
     * @param heapGrowthBytes    growth of the used heap while filling, after full collections (the cross-check)
     */
    record Result(long queueBytes, int records, int observations, long heapGrowthBytes) {

        double bytesPerObservation() {
            return (double) queueBytes / observations;
        }

        double bytesPerRecord() {
            return (double) queueBytes / records;
        }
    }

    private QueueFootprint() {
    }

    static Result measure() throws Exception {
        // The queued records are Java records, whose field offsets Unsafe does not give: JOL finds them its own way.
        System.setProperty("jol.magicFieldOffset", "true");
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TraceStore blocked = (TraceStore) Proxy.newProxyInstance(TraceStore.class.getClassLoader(),
                new Class<?>[] {TraceStore.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "write" -> {
                        writing.countDown();
                        release.await();
                        yield null;
                    }
                    case "location", "toString" -> "a store whose writes block";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == arguments[0];
                    case "close", "sync" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Tracer tracer = TracerBuilder.create().store(blocked).queueCapacity(CAPACITY).offerTimeout(Duration.ZERO)
                .shutdownHook(false).build();
        try {
            recordTrace(tracer, 0);
            if (!writing.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The exporter did not start writing within 30 s");
            }
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long before = usedAfterCollections(memory);
            int index = 1;
            while (tracer.stats().queued() + 4 + 1 <= CAPACITY) {
                recordTrace(tracer, index++);
            }
            long after = usedAfterCollections(memory);
            ExporterStats stats = tracer.stats();
            if (stats.dropped() > 0) {
                throw new IllegalStateException("Records were dropped while filling the queue: " + stats);
            }
            Object queue = queueOf(tracer);
            List<Object> records = recordsIn(queue);
            int observations = 0;
            for (Object record : records) {
                if (record instanceof ObservationRecord) {
                    observations++;
                }
            }
            // The whole queue: its ring of slots (allocated once, at full size) and the records in it.
            long bytes = GraphLayout.parseInstance(queue).totalSize();
            return new Result(bytes, records.size(), observations, after - before);
        } finally {
            release.countDown();
            tracer.close();
        }
    }

    /** B1's trace shape, with strings of its own for each trace as an application would have. */
    private static void recordTrace(Tracer tracer, int index) {
        tracer.trace("support-agent", root -> {
            root.input("How do I reset my password? #" + index);
            String draft = tracer.generation("draft-reply", generation -> {
                generation.model("gpt-4o-mini").input("How do I reset my password? #" + index).usage(120, 45);
                return "Open Settings > Security and choose Reset password. #" + index;
            });
            String docs = tracer.tool("search_docs", tool -> {
                tool.input(draft);
                return "kb-101: resetting your password #" + index;
            });
            return tracer.span("compose-answer", span -> {
                span.input(docs);
                return "Go to Settings > Security > Reset password; a link arrives by email. #" + index;
            });
        });
    }

    private static long usedAfterCollections(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** The exporter's queue, read by reflection: the benchmark measures it and needs no API for that. */
    private static Object queueOf(Tracer tracer) throws ReflectiveOperationException {
        Object exporter = tracer.engine();
        Field queueField = exporter.getClass().getDeclaredField("queue");
        queueField.setAccessible(true);
        return queueField.get(exporter);
    }

    /** The records in the queue's ring of slots (empty slots are null). */
    private static List<Object> recordsIn(Object queue) throws ReflectiveOperationException {
        Field slotsField = queue.getClass().getDeclaredField("slots");
        slotsField.setAccessible(true);
        AtomicReferenceArray<?> slots = (AtomicReferenceArray<?>) slotsField.get(queue);
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < slots.length(); i++) {
            Object record = slots.get(i);
            if (record != null) {
                records.add(record);
            }
        }
        return records;
    }
}
