package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.store.ObservationQuery;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

// Spans opened with try-with-resources are often used only for the nesting they create.
@SuppressWarnings("try")
class ManualStyleTest {

    private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");

    private final ManualClock clock = new ManualClock(START);

    @RegisterExtension
    final TracingFixture tracing = TracingFixture.inMemory(builder -> builder.clock(clock));

    private Tracer tracer() {
        return tracing.tracer();
    }

    @Test
    void tryWithResourcesRecordsTheTraceWithItsRootSpanEnded() {
        String traceId;
        try (RootSpan root = tracer().startTrace("support-agent")) {
            root.input("reset my password").output("done");
            traceId = root.traceId();
            clock.advance(Duration.ofMillis(40));
        }

        TraceTree tree = tracing.stored(traceId);
        assertThat(tree.name()).isEqualTo("support-agent");
        assertThat(tree.trace().input()).isEqualTo("\"reset my password\"");
        assertThat(tree.trace().output()).isEqualTo("\"done\"");
        assertThat(tree.trace().timestamp()).isEqualTo(START);
        assertThat(tree.root().endTime()).isEqualTo(START.plusMillis(40));
    }

    @Test
    void manualObservationsNestUnderTheObservationCurrentWhenTheyStart() {
        String traceId;
        try (RootSpan root = tracer().startTrace("agent")) {
            traceId = root.traceId();
            try (Span tool = tracer().startObservation(ObservationType.TOOL, "search")) {
                try (Generation generation = tracer().startGeneration("rank")) {
                    generation.model("gpt-4o-mini");
                }
            }
            clock.advance(Duration.ofMillis(1));
            try (Generation embedding = tracer().startEmbedding("embed-query")) {
                embedding.model("text-embedding-3-small");
            }
        }

        TraceTree tree = tracing.stored(traceId);
        assertThat(tree.walk()).extracting(tree::path)
                .containsExactly("agent", "agent > search", "agent > search > rank", "agent > embed-query");
        assertThat(tree.walk()).extracting(Observation::type).containsExactly(ObservationType.SPAN,
                ObservationType.TOOL, ObservationType.GENERATION, ObservationType.EMBEDDING);
    }

    @Test
    void explicitEndRecordsTheEndTimeAtThatMoment() {
        String traceId;
        try (RootSpan root = tracer().startTrace("agent")) {
            traceId = root.traceId();
            Span step = tracer().startSpan("step");
            clock.advance(Duration.ofMillis(250));
            step.end();
            clock.advance(Duration.ofMillis(100));
        }

        Observation step = tracing.stored(traceId).find("step").orElseThrow();
        assertThat(step.startTime()).isEqualTo(START);
        assertThat(step.endTime()).isEqualTo(START.plusMillis(250));
        assertThat(step.duration()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void anObservationIsExportedOnlyWhenItEnds() {
        RootSpan root = tracer().startTrace("agent");
        Span open = tracer().startSpan("still-running");
        assertThat(tracer().flush()).isTrue();

        assertThat(tracing.store().observations(ObservationQuery.builder().traceId(root.traceId()).build()).items())
                .isEmpty();

        open.end();
        root.end();
        assertThat(tracing.stored(root.traceId()).observations()).hasSize(2);
    }

    @Test
    void errorMarksTheObservationAsFailedWithTheMessageAndExceptionType() {
        String traceId;
        try (RootSpan root = tracer().startTrace("agent")) {
            traceId = root.traceId();
            try (Span fetch = tracer().startSpan("fetch")) {
                fetch.error(new IOException("connection reset"));
            }
        }

        Observation fetch = tracing.stored(traceId).find("fetch").orElseThrow();
        assertThat(fetch.level()).isEqualTo(ObservationLevel.ERROR);
        assertThat(fetch.statusMessage()).isEqualTo("connection reset");
        assertThat(fetch.metadata()).contains("\"exception.type\":\"java.io.IOException\"")
                .contains("\"exception.stacktrace\":\"java.io.IOException: connection reset");
    }

    @Test
    void errorWithoutAMessageUsesTheExceptionTypeAsStatusMessage() {
        String traceId;
        try (RootSpan root = tracer().startTrace("agent")) {
            traceId = root.traceId();
            root.error(new IllegalStateException());
        }

        Observation root = tracing.stored(traceId).root();
        assertThat(root.statusMessage()).isEqualTo("java.lang.IllegalStateException");
        assertThat(root.isError()).isTrue();
    }

    @Test
    void levelStatusMessageVersionAndMetadataAreRecorded() {
        String traceId;
        try (RootSpan root = tracer().startTrace("agent")) {
            traceId = root.traceId();
            try (Span check = tracer().startObservation(ObservationType.GUARDRAIL, "pii-check")) {
                check.level(ObservationLevel.WARNING).statusMessage("masked an e-mail address").version("v2")
                        .metadata("masked", 1).name("pii-guard");
            }
        }

        Observation check = tracing.stored(traceId).find("pii-guard").orElseThrow();
        assertThat(check.type()).isEqualTo(ObservationType.GUARDRAIL);
        assertThat(check.level()).isEqualTo(ObservationLevel.WARNING);
        assertThat(check.statusMessage()).isEqualTo("masked an e-mail address");
        assertThat(check.version()).isEqualTo("v2");
        assertThat(check.metadata()).isEqualTo("{\"masked\":1}");
    }

    @Test
    void settersAfterEndChangeNothing() {
        String traceId;
        try (RootSpan root = tracer().startTrace("agent")) {
            traceId = root.traceId();
            Span step = tracer().startSpan("step").input("question").output("answer");
            step.end();

            step.name("renamed").input("changed").output("changed").metadata("late", true)
                    .level(ObservationLevel.ERROR).statusMessage("late").version("late")
                    .error(new IllegalStateException("late"));
        }

        Observation step = tracing.stored(traceId).find("step").orElseThrow();
        assertThat(step.input()).isEqualTo("\"question\"");
        assertThat(step.output()).isEqualTo("\"answer\"");
        assertThat(step.metadata()).isNull();
        assertThat(step.level()).isEqualTo(ObservationLevel.DEFAULT);
        assertThat(step.statusMessage()).isNull();
        assertThat(step.version()).isNull();
    }

    @Test
    void generationSettersAfterEndChangeNothing() {
        String traceId;
        try (RootSpan root = tracer().startTrace("agent")) {
            traceId = root.traceId();
            Generation call = tracer().startGeneration("draft").model("gpt-4o-mini").usage(10, 5);
            call.end();

            call.model("gpt-4o").usage(1_000, 1_000).cost(9.99).completionStarted().prompt("late", 3);
        }

        Observation call = tracing.stored(traceId).find("draft").orElseThrow();
        assertThat(call.model()).isEqualTo("gpt-4o-mini");
        assertThat(call.usage().total()).isEqualTo(15);
        assertThat(call.cost().total()).isLessThan(new BigDecimal("0.01"));
        assertThat(call.completionStartTime()).isNull();
        assertThat(call.promptName()).isNull();
    }

    @Test
    void endingTwiceKeepsTheFirstEndAndExportsOnce() {
        Span step;
        String traceId;
        try (RootSpan root = tracer().startTrace("agent")) {
            traceId = root.traceId();
            step = tracer().startSpan("step");
            clock.advance(Duration.ofMillis(10));
            step.end();
            clock.advance(Duration.ofMillis(10));
            step.end();
            step.close();
        }

        TraceTree tree = tracing.stored(traceId);
        assertThat(tree.find("step").orElseThrow().endTime()).isEqualTo(START.plusMillis(10));
        assertThat(tracer().stats().enqueued()).as("records: two observations and one trace").isEqualTo(3);
        assertThat(step.isRecording()).isFalse();
    }

    @Test
    void endingTheRootTwiceExportsTheTraceOnce() {
        RootSpan root = tracer().startTrace("agent");
        root.end();
        root.end();

        assertThat(tracing.stored(root.traceId()).observations()).hasSize(1);
        assertThat(tracer().stats().enqueued()).as("records: the root observation and the trace").isEqualTo(2);
    }

    @Test
    void handlesReportTheirIdsAndNesting() {
        try (RootSpan root = tracer().startTrace("agent"); Span step = tracer().startSpan("step")) {
            assertThat(step.traceId()).isEqualTo(root.traceId());
            assertThat(step.parentObservationId()).isEqualTo(root.id());
            assertThat(root.parentObservationId()).isNull();
            assertThat(step.type()).isEqualTo(ObservationType.SPAN);
            assertThat(step.name()).isEqualTo("step");
            assertThat(step.startTime()).isEqualTo(START);
            assertThat(step.isRecording()).isTrue();
            assertThat(root.trace().id()).isEqualTo(root.traceId());
        }
    }
}
