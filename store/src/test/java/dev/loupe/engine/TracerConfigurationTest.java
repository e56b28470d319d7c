package dev.loupe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.trace.RootSpan;
import dev.loupe.trace.Span;
import dev.loupe.trace.Tracer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TracerConfigurationTest {

    private static TracerBuilder fromSettings(Map<String, String> settings) {
        return TracerBuilder.fromSettings(settings::get);
    }

    @Test
    void withoutSettingsTheDocumentedDefaultsApply() {
        TracerBuilder builder = fromSettings(Map.of());

        assertThat(builder.enabled).isTrue();
        assertThat(builder.storePath).isEqualTo(TracerBuilder.DEFAULT_STORE);
        assertThat(TracerBuilder.DEFAULT_STORE).endsWithRaw(Path.of(".loupe", "store"));
        assertThat(builder.queueCapacity).isEqualTo(16_384);
        assertThat(builder.offerTimeout).isEqualTo(Duration.ofSeconds(1));
        assertThat(builder.queueMaxBytes).isEqualTo(Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16));
        assertThat(builder.maxPayloadChars).isEqualTo(262_144);
        assertThat(builder.environment).isNull();
        assertThat(builder.release).isNull();
    }

    @Test
    void everyNumericAndTextSettingIsRead() {
        TracerBuilder builder = fromSettings(Map.of(
                "loupe.queue.capacity", "128",
                "loupe.queue.offerTimeoutMillis", "5",
                "loupe.payload.maxChars", "4096",
                "loupe.environment", "ci",
                "loupe.release", "1.4.2"));

        assertThat(builder.queueCapacity).isEqualTo(128);
        assertThat(builder.offerTimeout).isEqualTo(Duration.ofMillis(5));
        assertThat(builder.maxPayloadChars).isEqualTo(4096);
        assertThat(builder.environment).isEqualTo("ci");
        assertThat(builder.release).isEqualTo("1.4.2");
    }

    @Test
    void settingsAreTrimmedAndBlankOnesIgnored() {
        TracerBuilder builder = fromSettings(Map.of(
                "loupe.queue.capacity", " 64 ",
                "loupe.payload.maxChars", "   ",
                "loupe.environment", " staging "));

        assertThat(builder.queueCapacity).isEqualTo(64);
        assertThat(builder.maxPayloadChars).isEqualTo(TracerBuilder.DEFAULT_MAX_PAYLOAD_CHARS);
        assertThat(builder.environment).isEqualTo("staging");
    }

    @Test
    void storeSettingMemoryMeansANewInMemoryStore() {
        TracerBuilder builder = fromSettings(Map.of("loupe.store", "Memory"));

        assertThat(builder.inMemoryStore).isTrue();
        assertThat(builder.storePath).isNull();
    }

    @Test
    void storeSettingNoneMeansListenersOnly() {
        TracerBuilder builder = fromSettings(Map.of("loupe.store", "none"));

        assertThat(builder.inMemoryStore).isFalse();
        assertThat(builder.storePath).isNull();
        assertThat(builder.store).isNull();
    }

    @Test
    void storeSettingAnythingElseIsTheStoreDirectory() {
        TracerBuilder builder = fromSettings(Map.of("loupe.store", " /var/lib/loupe "));

        assertThat(builder.storePath).isEqualTo(Path.of("/var/lib/loupe"));
    }

    @ParameterizedTest
    @CsvSource({"false", "FALSE", "no", "off", "0"})
    void enabledSettingSwitchesTracingOff(String value) {
        assertThat(fromSettings(Map.of("loupe.enabled", value)).enabled).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"true", "Yes", "on", "1"})
    void enabledSettingKeepsTracingOn(String value) {
        assertThat(fromSettings(Map.of("loupe.enabled", value)).enabled).isTrue();
    }

    @Test
    void disabledBySettingsTheTracerIsTheNoopOne() {
        Tracer tracer = fromSettings(Map.of("loupe.enabled", "false", "loupe.store", "memory")).build();

        assertThat(tracer).isSameAs(Tracer.noop());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "loupe.enabled, maybe, LOUPE_ENABLED",
            "loupe.queue.capacity, lots, LOUPE_QUEUE_CAPACITY",
            "loupe.queue.capacity, 0, LOUPE_QUEUE_CAPACITY",
            "loupe.queue.offerTimeoutMillis, soon, LOUPE_QUEUE_OFFER_TIMEOUT_MILLIS",
            "loupe.queue.offerTimeoutMillis, -5, LOUPE_QUEUE_OFFER_TIMEOUT_MILLIS",
            "loupe.payload.maxChars, 10, LOUPE_PAYLOAD_MAX_CHARS",
            "loupe.payload.maxChars, 1e6, LOUPE_PAYLOAD_MAX_CHARS"})
    void invalidSettingIsRejectedNamingTheSettingItsEnvironmentVariableAndTheValue(String key, String value,
            String environmentVariable) {
        assertThatThrownBy(() -> fromSettings(Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(environmentVariable)
                .hasMessageContaining(value);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "loupe.enabled, LOUPE_ENABLED",
            "loupe.store, LOUPE_STORE",
            "loupe.queue.capacity, LOUPE_QUEUE_CAPACITY",
            "loupe.queue.offerTimeoutMillis, LOUPE_QUEUE_OFFER_TIMEOUT_MILLIS",
            "loupe.payload.maxChars, LOUPE_PAYLOAD_MAX_CHARS"})
    void everySettingHasTheDocumentedEnvironmentVariable(String key, String environmentVariable) {
        assertThat(TracerBuilder.environmentName(key)).isEqualTo(environmentVariable);
    }

    @Test
    void systemPropertyIsReadByFromEnvironment() {
        String previous = System.getProperty("loupe.release");
        System.setProperty("loupe.release", "from-system-property");
        try {
            assertThat(TracerBuilder.fromEnvironment().release).isEqualTo("from-system-property");
        } finally {
            if (previous == null) {
                System.clearProperty("loupe.release");
            } else {
                System.setProperty("loupe.release", previous);
            }
        }
    }

    static Stream<Arguments> invalidBuilderValues() {
        return Stream.of(
                Arguments.of("queueCapacity", "0", (Consumer<TracerBuilder>) builder -> builder.queueCapacity(0)),
                Arguments.of("queueCapacity", "10000001",
                        (Consumer<TracerBuilder>) builder -> builder.queueCapacity(10_000_001)),
                Arguments.of("offerTimeout", "PT-0.001S",
                        (Consumer<TracerBuilder>) builder -> builder.offerTimeout(Duration.ofMillis(-1))),
                Arguments.of("offerTimeout", "PT2M",
                        (Consumer<TracerBuilder>) builder -> builder.offerTimeout(Duration.ofMinutes(2))),
                Arguments.of("offerTimeout", "null", (Consumer<TracerBuilder>) builder -> builder.offerTimeout(null)),
                Arguments.of("maxBatchSize", "0", (Consumer<TracerBuilder>) builder -> builder.maxBatchSize(0)),
                Arguments.of("maxPayloadChars", "255",
                        (Consumer<TracerBuilder>) builder -> builder.maxPayloadChars(255)));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidBuilderValues")
    void builderRejectsAnInvalidValueNamingTheParameterAndTheValue(String parameter, String value,
            Consumer<TracerBuilder> setting) {
        assertThatThrownBy(() -> setting.accept(TracerBuilder.create()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(parameter + " is " + value);
    }

    static Stream<Arguments> missingBuilderValues() {
        return Stream.of(
                Arguments.of("store", (Consumer<TracerBuilder>) builder -> builder.store(null)),
                Arguments.of("storePath", (Consumer<TracerBuilder>) builder -> builder.storePath(null)),
                Arguments.of("clock", (Consumer<TracerBuilder>) builder -> builder.clock(null)),
                Arguments.of("modelPrices", (Consumer<TracerBuilder>) builder -> builder.modelPrices(null)),
                Arguments.of("listener", (Consumer<TracerBuilder>) builder -> builder.listener(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingBuilderValues")
    void builderRejectsAMissingValueNamingTheParameter(String parameter, Consumer<TracerBuilder> setting) {
        assertThatThrownBy(() -> setting.accept(TracerBuilder.create()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage(parameter);
    }

    @Test
    void builderAcceptsTheSmallestValidValues() {
        TracerBuilder builder = TracerBuilder.create().queueCapacity(1).offerTimeout(Duration.ZERO).maxBatchSize(1)
                .maxPayloadChars(256);

        assertThat(builder.queueCapacity).isEqualTo(1);
        assertThat(builder.offerTimeout).isZero();
        assertThat(builder.maxBatchSize).isEqualTo(1);
        assertThat(builder.maxPayloadChars).isEqualTo(256);
    }

    @Test
    void tracerMakesTraceIdsOf32AndObservationIdsOf16LowercaseHexDigits() {
        try (Tracer tracer = TracerBuilder.create().withoutStore().shutdownHook(false).build();
                RootSpan root = tracer.startTrace("agent");
                Span step = tracer.startSpan("step")) {
            assertThat(root.traceId()).matches("[0-9a-f]{32}");
            assertThat(root.id()).matches("[0-9a-f]{16}");
            assertThat(step.id()).matches("[0-9a-f]{16}");
        }
    }

    @Test
    void theDefaultStoreKeepsTracesForThirtyDaysAndANamedStoreForever() {
        assertThat(fromSettings(Map.of()).effectiveRetention()).isEqualTo(Duration.ofDays(30));
        assertThat(fromSettings(Map.of("loupe.store", "/tmp/agent-traces")).effectiveRetention()).isNull();
    }

    @Test
    void retentionSettingAppliesToAnyStoreAndForeverKeepsEverything() {
        assertThat(fromSettings(Map.of("loupe.store", "/tmp/agent-traces", "loupe.retention", "7d"))
                .effectiveRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(fromSettings(Map.of("loupe.retention", "12h")).effectiveRetention())
                .isEqualTo(Duration.ofHours(12));
        assertThat(fromSettings(Map.of("loupe.retention", "Forever")).effectiveRetention()).isNull();
    }

    @Test
    void anInvalidRetentionIsNamedWithWhatToWriteInstead() {
        assertThatThrownBy(() -> fromSettings(Map.of("loupe.retention", "30 days")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loupe.retention").hasMessageContaining("LOUPE_RETENTION")
                .hasMessageContaining("'30 days'").hasMessageContaining("30d, 12h or 90m");
        assertThatThrownBy(() -> TracerBuilder.create().retention(Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retention is PT5S");
    }

    @Test
    void aTracerDeletesTracesOlderThanItsRetentionWhenItCloses(@org.junit.jupiter.api.io.TempDir Path directory) {
        java.time.Instant now = java.time.Instant.now();
        try (var store = dev.loupe.store.TraceStore.open(directory)) {
            store.write(new dev.loupe.model.TraceBatch(List.of(
                    dev.loupe.model.Trace.builder("old").name("old").timestamp(now.minus(Duration.ofDays(40))).build(),
                    dev.loupe.model.Trace.builder("recent").name("recent").timestamp(now.minus(Duration.ofDays(2)))
                            .build()), List.of(), List.of()));
        }

        TracerBuilder.create().storePath(directory).retention(Duration.ofDays(30)).shutdownHook(false).build().close();

        try (var store = dev.loupe.store.TraceStore.open(directory)) {
            assertThat(store.trace("old")).isEmpty();
            assertThat(store.trace("recent")).isPresent();
        }
    }
}
