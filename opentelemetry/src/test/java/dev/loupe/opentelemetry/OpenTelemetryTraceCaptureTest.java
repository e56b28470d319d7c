package dev.loupe.opentelemetry;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.loupe.opentelemetry.fixtures.OtelOpenSpanFixture;
import dev.loupe.opentelemetry.fixtures.OtelParallelFixture;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs fixture test classes that make OpenTelemetry spans through the JUnit Platform, with Loupe's extension. */
class OpenTelemetryTraceCaptureTest {

    @TempDir
    Path store;

    private EngineExecutionResults run(Class<?> fixture, Map<String, String> parameters) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("loupe.junit.store", store.toString())
                .configurationParameters(parameters)
                .selectors(selectClass(fixture))
                .execute();
    }

    @Test
    void spansOfTestsRunningInParallelBelongToTheTestWhoseContextOpenTelemetryCarried() {
        Map<String, String> parallel = new HashMap<>();
        parallel.put("junit.jupiter.execution.parallel.enabled", "true");
        parallel.put("junit.jupiter.execution.parallel.mode.default", "concurrent");
        parallel.put("junit.jupiter.execution.parallel.mode.classes.default", "concurrent");
        parallel.put("junit.jupiter.execution.parallel.config.strategy", "fixed");
        parallel.put("junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        run(OtelParallelFixture.class, parallel).testEvents()
                .assertStatistics(stats -> stats.succeeded(4).failed(0));
    }

    @Test
    void aStartedSpanIsAnOpenObservationThatAwaitCompletedWaitsFor() {
        run(OtelOpenSpanFixture.class, Map.of()).testEvents()
                .assertStatistics(stats -> stats.succeeded(1).failed(0));
    }
}
