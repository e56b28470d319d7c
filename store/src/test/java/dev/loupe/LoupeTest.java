package dev.loupe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.engine.Exporter;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.Trace;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.Tracer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The global tracer. Each test starts without one and puts back the one that was there before; the settings it
 * sets as system properties are removed afterwards.
 */
class LoupeTest {

    private static final List<String> SETTINGS = List.of("loupe.enabled", "loupe.store", "loupe.queue.capacity",
            "loupe.queue.offerTimeoutMillis", "loupe.payload.maxChars", "loupe.environment", "loupe.release");

    private Tracer previous;
    private Map<String, String> previousSettings;

    @BeforeEach
    void startWithoutGlobalTracer() {
        previous = Loupe.setTracer(null);
        previousSettings = new HashMap<>();
        for (String key : SETTINGS) {
            String value = System.getProperty(key);
            if (value != null) {
                previousSettings.put(key, value);
            }
            System.clearProperty(key);
        }
    }

    @AfterEach
    void restoreGlobalTracer() {
        Tracer created = Loupe.setTracer(previous);
        if (created != null) {
            created.close();
        }
        SETTINGS.forEach(System::clearProperty);
        previousSettings.forEach(System::setProperty);
    }

    @Test
    void setTracerMakesTheTracerGlobalAndReturnsTheOneItReplaces() {
        try (Tracer first = TracerBuilder.create().withoutStore().shutdownHook(false).build();
                Tracer second = TracerBuilder.create().withoutStore().shutdownHook(false).build()) {
            assertThat(Loupe.setTracer(first)).isNull();

            assertThat(Loupe.setTracer(second)).isSameAs(first);
            assertThat(Loupe.tracer()).isSameAs(second);
        }
    }

    @Test
    void globalTracerIsCreatedOnceFromSystemProperties() {
        System.setProperty("loupe.store", "memory");
        System.setProperty("loupe.environment", "ci");

        Tracer tracer = Loupe.tracer();
        tracer.trace("agent", () -> { });
        tracer.flush();

        assertThat(Loupe.tracer()).isSameAs(tracer);
        assertThat(Exporter.of(tracer).orElseThrow().store().location()).startsWith("memory:");
        Trace trace = Exporter.of(tracer).orElseThrow().store().traces(TraceQuery.all()).items().get(0).trace();
        assertThat(trace.environment()).isEqualTo("ci");
    }

    @Test
    void globalTracerWritesToTheConfiguredStoreDirectory(@TempDir Path directory) {
        System.setProperty("loupe.store", directory.toString());

        Loupe.tracer().trace("agent", () -> { });
        Loupe.tracer().close();

        try (TraceStore store = TraceStore.open(directory)) {
            assertThat(store.traces(TraceQuery.all()).totalItems()).isEqualTo(1);
        }
    }

    @Test
    void invalidSettingsLeaveTracingOffInsteadOfFailing() {
        System.setProperty("loupe.queue.capacity", "lots");

        Tracer tracer = Loupe.tracer();

        assertThat(tracer.isEnabled()).isFalse();
        String result = tracer.trace("agent", root -> "still runs");
        assertThat(result).isEqualTo("still runs");
    }

    @Test
    void storeThatCannotBeOpenedLeavesTracingOnForListenersOnly(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("not-a-directory"), "occupied");
        System.setProperty("loupe.store", file.resolve("store").toString());

        Tracer tracer = Loupe.tracer();

        assertThat(tracer.isEnabled()).isTrue();
        assertThat(Exporter.of(tracer).orElseThrow().store()).isNull();
        String result = tracer.trace("agent", root -> "still runs");
        assertThat(result).isEqualTo("still runs");
    }

    @Test
    void disabledBySystemPropertyTheGlobalTracerIsTheNoopOne() {
        System.setProperty("loupe.enabled", "false");

        assertThat(Loupe.tracer()).isSameAs(Tracer.noop());
    }
}
