package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.ScoreDataType;
import dev.loupe.model.Session;
import dev.loupe.model.TraceTree;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

// Spans opened with try-with-resources are often used only for the nesting they create.
@SuppressWarnings("try")
class ScoresTest {

    private static final Instant NOW = Instant.parse("2025-04-02T08:30:00Z");

    @RegisterExtension
    final TracingFixture tracing = TracingFixture.inMemory(builder -> builder.clock(new ManualClock(NOW)));

    private Tracer tracer() {
        return tracing.tracer();
    }

    @Test
    void numericScoreOfTheRootJudgesTheWholeTrace() {
        try (RootSpan root = tracer().startTrace("agent")) {
            root.score("helpfulness", 0.92, "answered from the docs");
        }

        TraceTree tree = tracing.onlyStored();
        Score score = tree.score("helpfulness").orElseThrow();
        assertThat(score.observationId()).isNull();
        assertThat(score.traceId()).isEqualTo(tree.id());
        assertThat(score.dataType()).isEqualTo(ScoreDataType.NUMERIC);
        assertThat(score.value()).isEqualTo(0.92);
        assertThat(score.comment()).isEqualTo("answered from the docs");
        assertThat(score.source()).isEqualTo(Score.SOURCE_API);
        assertThat(score.timestamp()).isEqualTo(NOW);
    }

    @Test
    void booleanScoreOfASpanJudgesThatObservation() {
        tracer().trace("agent", () -> tracer().tool("search",
                () -> tracer().currentObservation().score("relevant", true)));

        TraceTree tree = tracing.onlyStored();
        Observation search = tree.find("search").orElseThrow();
        assertThat(tree.scoresOf(search)).singleElement().satisfies(score -> {
            assertThat(score.dataType()).isEqualTo(ScoreDataType.BOOLEAN);
            assertThat(score.value()).isEqualTo(1.0);
            assertThat(score.stringValue()).isEqualTo("true");
            assertThat(score.isTrue()).isTrue();
        });
        assertThat(tree.traceScores()).isEmpty();
    }

    @Test
    void categoricalScoreOfAGenerationKeepsItsLabel() {
        try (RootSpan root = tracer().startTrace("agent"); Generation reply = tracer().startGeneration("reply")) {
            reply.score("tone", "friendly", "polite");
        }

        TraceTree tree = tracing.onlyStored();
        Score tone = tree.scoresOf(tree.find("reply").orElseThrow()).get(0);
        assertThat(tone.dataType()).isEqualTo(ScoreDataType.CATEGORICAL);
        assertThat(tone.stringValue()).isEqualTo("friendly");
        assertThat(tone.value()).isNull();
        assertThat(tone.comment()).isEqualTo("polite");
    }

    @Test
    void scoreOfTheCurrentTraceFromANestedObservationJudgesTheWholeTrace() {
        tracer().trace("agent", () -> tracer().span("evaluate", () -> tracer().currentTrace().score("passed", false)));

        Score passed = tracing.onlyStored().score("passed").orElseThrow();
        assertThat(passed.dataType()).isEqualTo(ScoreDataType.BOOLEAN);
        assertThat(passed.isTrue()).isFalse();
    }

    @Test
    void scoreByTraceIdAfterTheTraceEndedIsStoredWithTheTrace() {
        String traceId = tracer().trace("agent", root -> root.traceId());

        tracer().traceById(traceId).score("user-feedback", 1.0, "thumbs up");

        TraceTree tree = tracing.stored(traceId);
        assertThat(tree.score("user-feedback").orElseThrow().comment()).isEqualTo("thumbs up");
        assertThat(tree.name()).isEqualTo("agent");
    }

    @Test
    void sessionScoreJudgesTheSessionAsAWhole() {
        tracer().trace("turn-1", () -> tracer().currentTrace().sessionId("chat-42"));
        tracer().trace("turn-2", () -> tracer().currentTrace().sessionId("chat-42"));

        tracer().session("chat-42").score("resolved", true).score("satisfaction", 4.0).score("topic", "billing");
        assertThat(tracer().flush()).isTrue();

        Session session = tracing.store().session("chat-42").orElseThrow();
        assertThat(session.summary().traceCount()).isEqualTo(2);
        assertThat(session.scores()).extracting(Score::name)
                .containsExactlyInAnyOrder("resolved", "satisfaction", "topic");
        assertThat(session.scores()).allSatisfy(score -> {
            assertThat(score.sessionId()).isEqualTo("chat-42");
            assertThat(score.traceId()).isNull();
        });
        assertThat(session.traces()).allSatisfy(trace -> assertThat(trace.scores()).isEmpty());
    }

    @Test
    void invalidScoreIsCountedAsAnInternalErrorInsteadOfThrown() {
        try (RootSpan root = tracer().startTrace("agent")) {
            root.score("latency", Double.NaN).score(null, 1.0).score("kept", 1.0);
        }

        assertThat(tracing.onlyStored().scores()).extracting(Score::name).containsExactly("kept");
        assertThat(tracer().stats().internalErrors()).isEqualTo(2);
    }
}
