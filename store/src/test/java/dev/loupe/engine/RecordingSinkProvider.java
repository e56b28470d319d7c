package dev.loupe.engine;

import dev.loupe.model.TraceBatch;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A sink provider found by {@link java.util.ServiceLoader} in tests: its sinks keep what they receive. */
public final class RecordingSinkProvider implements RecordSinkProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls it. */
    public RecordingSinkProvider() {
    }

    @Override
    public List<String> names() {
        return List.of("recording");
    }

    @Override
    public RecordSink create(String name, Function<String, String> settings) {
        String label = settings.apply("recording.label");
        if (label == null) {
            throw new IllegalArgumentException("recording.label is not set");
        }
        return new RecordingSink(label);
    }

    /** Keeps every batch it receives; can be told to fail. */
    static final class RecordingSink implements RecordSink {
        final String label;
        final List<TraceBatch> batches = new CopyOnWriteArrayList<>();
        volatile boolean failWrites;
        volatile boolean failSync;
        volatile int syncs;
        volatile boolean closed;

        RecordingSink(String label) {
            this.label = label;
        }

        @Override
        public void write(TraceBatch batch) {
            if (failWrites) {
                throw new IllegalStateException("the recording sink refuses writes");
            }
            batches.add(batch);
        }

        @Override
        public void sync() {
            syncs++;
            if (failSync) {
                throw new SinkUnavailableException("the recording sink cannot sync", null);
            }
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public String describe() {
            return "the recording sink " + label;
        }

        List<String> observationNames() {
            return batches.stream().flatMap(batch -> batch.observations().stream()).map(o -> o.name()).toList();
        }

        List<String> traceNames() {
            return batches.stream().flatMap(batch -> batch.traces().stream()).map(t -> t.name()).toList();
        }
    }
}
