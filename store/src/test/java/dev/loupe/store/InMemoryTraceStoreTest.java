package dev.loupe.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InMemoryTraceStoreTest extends TraceStoreConformanceTest {

    @Override
    TraceStore openStore() {
        return TraceStore.inMemory();
    }

    @Test
    void twoInMemoryStoresShareNothing() {
        write(trace("trace-1").build());

        try (TraceStore other = TraceStore.inMemory()) {
            assertThat(other.trace("trace-1")).isEmpty();
            assertThat(other.location()).isNotEqualTo(store.location());
        }
    }
}
