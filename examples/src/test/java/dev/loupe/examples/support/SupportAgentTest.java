package dev.loupe.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.junit.CapturedTraces;
import dev.loupe.junit.TraceCapture;
import dev.loupe.model.Observation;
import dev.loupe.model.ObservationLevel;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.TraceContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

// tag::junit[]
@ExtendWith(TraceCapture.class)
class SupportAgentTest {

    SupportAgent agent = new SupportAgent(new FakeLlm());   // application code uses Loupe.tracer(); nothing is injected

    @Test
    void answersPasswordQuestionsFromTheDocs(CapturedTraces traces) {
        String answer = agent.answer("user-123", "session-1", "How do I reset my password?");

        TraceTree trace = traces.single();                   // fails clearly if there are 0 or more than 1
        assertThat(answer).contains("Settings > Security");
        assertThat(trace.children(trace.root())).extracting(Observation::name)
                .containsExactly("draft-reply", "search_docs", "final-answer");
        assertThat(trace.find("search_docs").orElseThrow().output()).contains("kb-101");
        assertThat(trace.stats().totalTokens()).isLessThan(200);
    }
    // end::junit[]

    @Test
    void aSessionOfSeveralTurnsIsOneTracePerTurn(CapturedTraces traces) {
        agent.answer("user-123", "session-2", "How do I reset my password?");
        agent.answer("user-123", "session-2", "And how do I get a refund?");

        assertThat(traces.all()).hasSize(2)
                .allSatisfy(trace -> assertThat(trace.trace().sessionId()).isEqualTo("session-2"));
        assertThat(traces.all().get(1).find("final-answer").orElseThrow().output()).contains("Billing");
    }

    @Test
    void aQuestionWithoutDocsIsTaggedAndRecordsAnEvent(CapturedTraces traces) {
        agent.answer("user-9", "session-3", "Do you sell hats?");

        TraceTree trace = traces.single();
        assertThat(trace.trace().tags()).containsExactly("support", "unanswered");
        assertThat(trace.events()).extracting(Observation::name).containsExactly("no-docs-found");
        assertThat(trace.score("docs-found").orElseThrow().isTrue()).isFalse();
    }

    @Test
    void aModelFailureMarksTheTraceAsFailedAndReachesTheCaller(CapturedTraces traces) {
        assertThatThrownBy(() -> agent.answer("user-456", "session-4", "Is there an outage?"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("timed out");

        TraceTree trace = traces.single();
        assertThat(trace.errors()).extracting(Observation::name).containsExactly("support-agent", "draft-reply");
        assertThat(trace.find("draft-reply").orElseThrow().level()).isEqualTo(ObservationLevel.ERROR);
        assertThat(trace.find("search_docs")).isEmpty();
    }

    // tag::junit-async[]
    @Test
    void questionsAnsweredConcurrentlyAreAllCaptured(CapturedTraces traces) {
        List<CompletableFuture<String>> answers = List.of(
                TraceContext.supplyAsync(() -> agent.answer("user-1", "s-a", "How do I reset my password?")),
                TraceContext.supplyAsync(() -> agent.answer("user-2", "s-b", "How do I turn on 2FA security?")));

        List<TraceTree> all = traces.awaitAtLeast(2, Duration.ofSeconds(10));   // no sleeps
        assertThat(all).extracting(trace -> trace.trace().userId()).containsExactlyInAnyOrder("user-1", "user-2");
        assertThat(answers).allSatisfy(answer -> assertThat(answer.join()).contains("Settings > Security"));
    }
    // end::junit-async[]
}
