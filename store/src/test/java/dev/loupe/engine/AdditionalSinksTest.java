package dev.loupe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.engine.RecordingSinkProvider.RecordingSink;
import dev.loupe.store.TraceQuery;
import dev.loupe.trace.ExporterStats;
import dev.loupe.trace.Tracer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdditionalSinksTest {

    private static void recordAgentWithTool(Tracer tracer) {
        tracer.trace("agent", root -> {
            tracer.tool("search", tool -> "found");
            return "answer";
        });
    }

    @Test
    void aSinkAddedAlongsideTheStoreReceivesEveryRecordTheStoreTook() {
        RecordingSink sink = new RecordingSink("extra");
        try (Tracer tracer = TracerBuilder.create().inMemoryStore().sink(sink).shutdownHook(false).build()) {
            recordAgentWithTool(tracer);

            assertThat(tracer.flush()).isTrue();
            assertThat(Exporter.of(tracer).orElseThrow().store().traces(TraceQuery.all()).items()).hasSize(1);
            assertThat(sink.observationNames()).containsExactlyInAnyOrder("search", "agent");
            assertThat(sink.traceNames()).containsExactly("agent");
            assertThat(sink.syncs).isGreaterThanOrEqualTo(1);
            assertThat(Exporter.of(tracer).orElseThrow().sinks()).hasSize(2).endsWith(sink);
        }
    }

    @Test
    void withoutStoreTheSinkAloneDecidesWhatCountsAsExported() {
        RecordingSink sink = new RecordingSink("only");
        sink.failWrites = true;
        try (Tracer tracer = TracerBuilder.create().withoutStore().sink(sink).shutdownHook(false).build()) {
            recordAgentWithTool(tracer);

            assertThat(tracer.flush()).isFalse();
            ExporterStats stats = tracer.stats();
            assertThat(stats.failed()).isEqualTo(3);
            assertThat(stats.exported()).isZero();
            assertThat(Exporter.of(tracer).orElseThrow().store()).isNull();
        }
    }

    @Test
    void aFailingSinkAlongsideTheStoreCostsTheStoreNothingAndCountsAnInternalError() {
        RecordingSink sink = new RecordingSink("broken");
        sink.failWrites = true;
        try (Tracer tracer = TracerBuilder.create().inMemoryStore().sink(sink).shutdownHook(false).build()) {
            recordAgentWithTool(tracer);

            assertThat(tracer.flush()).isTrue();
            ExporterStats stats = tracer.stats();
            assertThat(stats.exported()).isEqualTo(3);
            assertThat(stats.failed()).isZero();
            assertThat(stats.internalErrors()).isGreaterThanOrEqualTo(1);
            assertThat(Exporter.of(tracer).orElseThrow().store().traces(TraceQuery.all()).items()).hasSize(1);
        }
    }

    @Test
    void flushReportsFalseWhenASinkCannotMakeItsRecordsDurable() {
        RecordingSink sink = new RecordingSink("unsynced");
        sink.failSync = true;
        try (Tracer tracer = TracerBuilder.create().inMemoryStore().sink(sink).shutdownHook(false).build()) {
            recordAgentWithTool(tracer);

            assertThat(tracer.flush()).isFalse();
            assertThat(sink.observationNames()).hasSize(2);
        }
    }

    @Test
    void closingTheTracerClosesItsSinks() {
        RecordingSink sink = new RecordingSink("closed");
        Tracer tracer = TracerBuilder.create().withoutStore().sink(sink).shutdownHook(false).build();

        tracer.close();

        assertThat(sink.closed).isTrue();
    }

    @Test
    void settingLoupeExportAddsTheSinkOfThatNameFoundOnTheClassPath() {
        TracerBuilder builder = TracerBuilder.fromSettings(
                Map.of("loupe.export", " Recording ", "recording.label", "from-settings")::get);

        assertThat(builder.sinks).singleElement().isInstanceOfSatisfying(RecordingSink.class,
                sink -> assertThat(sink.label).isEqualTo("from-settings"));
    }

    @Test
    void credentialsInTheEnvironmentAloneSwitchNoExportOn() {
        TracerBuilder builder = TracerBuilder.fromSettings(Map.of(
                "langfuse.base.url", "https://cloud.langfuse.com",
                "langfuse.public.key", "pk-lf-1",
                "langfuse.secret.key", "sk-lf-1",
                "otel.exporter.otlp.endpoint", "http://collector:4318")::get);

        assertThat(builder.sinks).isEmpty();
    }

    @Test
    void anUnknownExportNameIsRejectedWithTheNamesOnTheClassPath() {
        assertThatThrownBy(() -> TracerBuilder.fromSettings(Map.of("loupe.export", "zipkin")::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loupe.export")
                .hasMessageContaining("LOUPE_EXPORT")
                .hasMessageContaining("'zipkin'")
                .hasMessageContaining("[recording]");
    }

    @Test
    void aProvidersComplaintAboutAMissingSettingNamesLoupeExport() {
        assertThatThrownBy(() -> TracerBuilder.fromSettings(Map.of("loupe.export", "recording")::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loupe.export")
                .hasMessageContaining("recording.label is not set");
    }
}
