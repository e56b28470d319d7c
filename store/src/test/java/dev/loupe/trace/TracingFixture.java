package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.TraceSummary;
import dev.loupe.model.TraceTree;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A tracer writing to a fresh in-memory store for each test, closed after it. Register it with
 * {@code @RegisterExtension final TracingFixture tracing = TracingFixture.inMemory();}.
 */
final class TracingFixture implements BeforeEachCallback, AfterEachCallback {

    private final UnaryOperator<TracerBuilder> configuration;
    private TraceStore store;
    private Tracer tracer;

    private TracingFixture(UnaryOperator<TracerBuilder> configuration) {
        this.configuration = configuration;
    }

    /** A tracer with the default settings. */
    static TracingFixture inMemory() {
        return inMemory(UnaryOperator.identity());
    }

    /** A tracer with settings changed by the configuration. */
    static TracingFixture inMemory(UnaryOperator<TracerBuilder> configuration) {
        return new TracingFixture(configuration);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        store = TraceStore.inMemory();
        tracer = configuration.apply(TracerBuilder.create().store(store).shutdownHook(false)).build();
    }

    /** Closes tracer and store, and checks that the test left no observation current on its thread. */
    @Override
    public void afterEach(ExtensionContext context) {
        String leftCurrent = TraceContext.current().observationId();
        tracer.close();
        store.close();
        assertThat(leftCurrent).as("observation the test left current on its thread").isNull();
    }

    Tracer tracer() {
        return tracer;
    }

    TraceStore store() {
        return store;
    }

    /** Flushes the tracer and returns the stored trace with this id. */
    TraceTree stored(String traceId) {
        assertThat(tracer.flush()).as("tracer.flush() confirmed every record as written").isTrue();
        return store.trace(traceId).orElseThrow(() -> new AssertionError(
                "Expecting trace " + traceId + " in the store but found only " + storedNames()));
    }

    /** Flushes the tracer and returns the one trace in the store. */
    TraceTree onlyStored() {
        assertThat(tracer.flush()).as("tracer.flush() confirmed every record as written").isTrue();
        List<TraceSummary> traces = store.traces(TraceQuery.all()).items();
        assertThat(traces).as("traces in the store").hasSize(1);
        return store.trace(traces.get(0).trace().id()).orElseThrow();
    }

    private List<String> storedNames() {
        return store.traces(TraceQuery.all()).items().stream().map(summary -> summary.trace().name()).toList();
    }
}
