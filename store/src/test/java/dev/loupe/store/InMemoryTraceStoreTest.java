package dev.loupe.store;

class InMemoryTraceStoreTest extends TraceStoreConformanceTest {

    @Override
    TraceStore openStore() {
        return TraceStore.inMemory();
    }
}
