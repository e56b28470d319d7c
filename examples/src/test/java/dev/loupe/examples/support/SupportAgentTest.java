package dev.loupe.examples.support;

import static dev.loupe.assertj.ExpectedCall.call;
import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.LoupeAssertions.assertThatThrownBy;
import static dev.loupe.assertj.ObservationMatcher.generation;
import static dev.loupe.assertj.ObservationMatcher.observation;
import static dev.loupe.assertj.ObservationMatcher.span;
import static dev.loupe.assertj.ObservationMatcher.toolCall;

import dev.loupe.assertj.Snapshot;
import dev.loupe.assertj.TraceBudget;
import dev.loupe.assertj.TrajectoryMatch;
import dev.loupe.junit.CapturedTraces;
import dev.loupe.junit.TraceCapture;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.TraceContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

// tag::junit[]
@ExtendWith(TraceCapture.class)
@TraceBudget(maxTokens = 2_000, maxCostUsd = 0.01, maxToolCalls = 3, noToolCallAfterError = true)   // after every test
class SupportAgentTest {

    SupportAgent agent = new SupportAgent(new FakeLlm());   // application code uses Loupe.tracer(); nothing is injected

    @Test
    void answersPasswordQuestionsFromTheDocs(CapturedTraces traces) {
        agent.answer("user-123", "session-1", "How do I reset my password?");

        TraceTree trace = traces.single();                   // fails clearly if there are 0 or more than 1
        assertThat(trace)
                .hasName("support-agent")
                .hasInputContaining("reset my password")
                .hasNoErrors()
                .hasUserId("user-123")
                .hasChildrenNamed("draft-reply", "search_docs", "final-answer")
                .hasTotalTokensAtMost(200)
                .hasScore("docs-found", score -> score.isTrue());
        assertThat(trace).generation("final-answer")
                .hasModel("gpt-4o-mini")
                .hasInputMessage("user", "How do I reset my password?")
                .hasOutputContaining("Settings > Security");
        assertThat(trace).toolCall("search_docs")
                .hasArgument("query", "how do i reset my password")
                .isCalledTimes(1);
        assertThat(trace).hasShape("""
                support-agent
                  GENERATION draft-reply
                  TOOL search_docs
                  GENERATION final-answer
                """);
    }
    // end::junit[]

    @Test
    void aSessionOfSeveralTurnsIsOneTracePerTurn(CapturedTraces traces) {
        agent.answer("user-123", "session-2", "How do I reset my password?");
        agent.answer("user-123", "session-2", "And how do I get a refund?");

        assertThat(traces).hasNames("support-agent", "support-agent")
                .allSatisfy(trace -> trace.hasSessionId("session-2"))
                .satisfiesExactly(
                        first -> first.generation("final-answer").hasOutputContaining("Settings > Security"),
                        second -> second.generation("final-answer").hasOutputContaining("Billing"));
    }

    @Test
    void aQuestionWithoutDocsIsTaggedAndRecordsAnEvent(CapturedTraces traces) {
        agent.answer("user-9", "session-3", "Do you sell hats?");

        assertThat(traces.single())
                .hasTags("support", "unanswered")
                .hasObservation("no-docs-found")
                .hasScore("docs-found", score -> score.isFalse());
    }

    // tag::trajectory[]
    @Test
    void looksUpTheDocsOnceBetweenTwoModelCalls(CapturedTraces traces) {
        agent.answer("user-123", "session-5", "How do I reset my password?");

        TraceTree trace = traces.single();
        assertThat(trace).toolCalls().matchesTrajectory(TrajectoryMatch.STRICT,
                call("search_docs").withArgumentsIncluding(Map.of("query", "how do i reset my password")));
        assertThat(trace).generations().matchesTrajectory(TrajectoryMatch.SUPERSET, call("final-answer"));
        assertThat(trace)
                .hasToolCallsAtMost("search_docs", 1)
                .hasModelRequestsAtMost(2)
                .hasNoRepeatedToolCalls()
                .hasNoToolCallAfterError();
    }
    // end::trajectory[]

    // tag::span-queries[]
    @Test
    void everyModelCallRunsUnderTheAgentWithTheConfiguredModel(CapturedTraces traces) {
        agent.answer("user-123", "session-6", "How do I reset my password?");

        assertThat(traces.single())
                .hasSome(generation().named("final-answer").under(span().named("support-agent")))
                .hasNone(toolCall().withLevel(ObservationLevel.ERROR))
                .hasExactly(1, toolCall().withInput("query", "how do i reset my password"))
                .allMatch(generation(), observation().withModel("gpt-4o-mini").atDepth(1))
                .count(observation().nameMatching(".*-(reply|answer)")).isEqualTo(2);
    }
    // end::span-queries[]

    // tag::snapshot[]
    @Test
    void answersKeepTheShapeOfTheApprovedTrace(CapturedTraces traces) {
        agent.answer("user-123", "session-7", "How do I reset my password?");

        // src/test/resources/loupe-snapshots/SupportAgentTest/answersKeepTheShapeOfTheApprovedTrace.support-agent.txt
        assertThat(traces.single()).matchesSnapshot();
        assertThat(traces.single()).matchesSnapshot(Snapshot.defaults().named("password-answer-with-payloads")
                .withPayloads().withTokenTolerance(0.2).normalising("session-\\d+", "session-N"));
    }
    // end::snapshot[]

    // tag::failure-path[]
    @Test
    void aModelFailureMarksTheTraceAsFailedAndReachesTheCaller(CapturedTraces traces) {
        assertThatThrownBy(() -> agent.answer("user-456", "session-4", "Is there an outage?"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("timed out");

        assertThat(traces.single())
                .hasErrorWithMessage("timed out")
                .hasFirstErrorIn("draft-reply")
                .doesNotHaveObservation("search_docs")
                .isWellFormed();
    }
    // end::failure-path[]

    // tag::junit-async[]
    @Test
    void questionsAnsweredConcurrentlyAreAllCaptured(CapturedTraces traces) {
        List<CompletableFuture<String>> answers = List.of(
                TraceContext.supplyAsync(() -> agent.answer("user-1", "s-a", "How do I reset my password?")),
                TraceContext.supplyAsync(() -> agent.answer("user-2", "s-b", "How do I turn on 2FA security?")));

        traces.awaitAtLeast(2, Duration.ofSeconds(10));      // waits for the other threads; no sleeps
        assertThat(traces).hasCount(2).anySatisfy(trace -> trace.hasUserId("user-2"));
        assertThat(answers).allSatisfy(answer -> assertThat(answer.join()).contains("Settings > Security"));
    }
    // end::junit-async[]
}
