package dev.loupe.assertj;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.engine.Exporter;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.RootSpan;
import dev.loupe.trace.Tracer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The assertions on traces recorded by a real tracer, stored in memory and read back from the store. */
class RecordedTraceTest {

    private final Tracer tracer = TracerBuilder.create().inMemoryStore().shutdownHook(false).build();

    @AfterEach
    void close() {
        tracer.close();
    }

    private TraceTree record(RootAction action) {
        String[] traceId = new String[1];
        try {
            tracer.trace("support-agent", root -> {
                traceId[0] = root.traceId();
                action.run(root);
                return null;
            });
        } catch (RuntimeException expected) {
            // a failing agent is recorded as well
        }
        assertThat(tracer.flush()).isTrue();
        return Exporter.of(tracer).orElseThrow().store().trace(traceId[0]).orElseThrow();
    }

    interface RootAction {
        void run(RootSpan root);
    }

    private void supportAgent(RootSpan root) {
        root.input("How do I reset my password?").userId("user-123").sessionId("session-456").tags("support")
                .release("1.4.2").environment("test");
        String draft = tracer.generation("draft-reply", generation -> {
            generation.model("gpt-4o-mini").modelParameters(Map.of("temperature", 0.2))
                    .input(List.of(Map.of("role", "system", "content", "You are a support agent."),
                            Map.of("role", "user", "content", "How do I reset my password?")));
            generation.output("Go to Settings").usage(120, 45);
            return "Go to Settings";
        });
        List<String> docs = tracer.tool("search_docs", tool -> {
            tool.input(Map.of("query", "password reset"));
            return List.of("Settings > Security");
        });
        tracer.generation("final-answer", generation -> {
            generation.model("gpt-4o-mini").input(List.of(Map.of("role", "user", "content", draft + " " + docs)));
            generation.output("Go to Settings > Security").usage(300, 80).completionStarted();
            generation.score("faithful", true);
            return null;
        });
        root.output("Go to Settings > Security");
        root.score("helpfulness", 0.92, "answered from the docs");
    }

    @Test
    void theIssuesExampleHoldsForARecordedTrace() {
        TraceTree tree = record(this::supportAgent);

        assertThat(tree)
                .hasName("support-agent")
                .hasInputContaining("reset my password")
                .hasNoErrors()
                .hasUserId("user-123")
                .hasSessionId("session-456")
                .hasTags("support")
                .hasRelease("1.4.2")
                .hasEnvironment("test")
                .hasChildrenNamed("draft-reply", "search_docs", "final-answer")
                .hasTotalTokensAtMost(2_000)
                .hasScore("helpfulness", score -> score.isGreaterThan(0.8).hasComment("answered from the docs"))
                .isWellFormed();
        assertThat(tree).generation("final-answer")
                .hasModel("gpt-4o-mini")
                .hasUsage(300, 80)
                .hasOutputContaining("Settings > Security")
                .hasScore("faithful", score -> score.isTrue());
        assertThat(tree).generation("draft-reply")
                .hasModelParameter("temperature", 0.2)
                .hasInputMessage("user", "How do I reset my password?")
                .hasInputMessageRoles("system", "user")
                .hasOutput("Go to Settings");
        assertThat(tree).toolCall("search_docs")
                .hasArgument("query", "password reset")
                .hasResult(List.of("Settings > Security"))
                .isCalledTimes(1)
                .hasParent("support-agent")
                .startsBefore("final-answer");
        assertThat(tree).hasShape("""
                support-agent
                  GENERATION draft-reply
                  TOOL search_docs
                  GENERATION final-answer
                """);
        assertThat(tree).hasToolCallsInOrder("search_docs");
        assertThat(tree).generations().extracting(Observation::name).containsExactly("draft-reply", "final-answer");
    }

    @Test
    void theJavadocExamplesRun() {
        TraceTree tree = record(this::supportAgent);

        assertThat(tree).generation("draft-reply").hasModel("gpt-4o-mini").hasUsage(120, 45);

        Budget budget = Budget.builder().maxTokens(2_000).maxCostUsd(0.05).maxDuration(Duration.ofSeconds(5)).build();
        assertThat(tree).isWithinBudget(budget);

        LoupeSoftAssertions softly = new LoupeSoftAssertions();
        softly.assertThat(tree).hasNoErrors();
        softly.assertThat(tree).generation("final-answer").hasModel("gpt-4o-mini");
        softly.assertAll();
    }

    @Test
    void aRecordedFailureNamesTheObservationAndItsPath() {
        TraceTree tree = record(root -> tracer.tool("fetch", tool -> {
            throw new UncheckedIOException(new IOException("rate limited"));
        }));

        assertThat(tree).hasFirstErrorIn("support-agent > fetch").hasErrorWithMessage("rate limited");
        assertThat(tree).toolCall("fetch").isError().hasStatusMessageContaining("rate limited");
        assertThatThrownBy(() -> assertThat(tree).hasNoErrors())
                .hasMessageContaining("Expecting trace 'support-agent'\n  to have no errors\n  but it has 2:\n"
                        + "    support-agent > fetch: ")
                .hasMessageContaining("TOOL fetch");
        assertThatThrownBy(() -> assertThat(tree).toolCall("fetch").isNotError())
                .hasMessageContaining("Expecting tool call 'fetch' at support-agent > fetch\n  to not have failed");
    }

    @Test
    void everyRecordedFieldReachesTheAssertions() {
        TraceTree tree = record(root -> {
            root.traceMetadata("tenant", "acme").metadata("channel", "chat");
            tracer.generation("answer", generation -> {
                generation.model("gpt-4o-mini").prompt("support-reply", 3)
                        .usageDetails(Map.of("input", 200, "output", 50, "cached_input", 120));
                generation.completionStarted();
                generation.level(ObservationLevel.WARNING).statusMessage("answer truncated");
                generation.score("tone", "friendly", "polite and short");
                return null;
            });
            tracer.event("checkpoint", Map.of("step", 1));
        });

        assertThat(tree).hasMetadataEntry("tenant", "acme");
        assertThat(tree).root().hasMetadataEntry("channel", "chat");
        assertThat(tree).generation("answer")
                .hasPrompt("support-reply", 3)
                .hasUsage(200, 50)
                .hasUsageDetail("cached_input", 120)
                .hasTotalTokens(250)
                .hasCostAtMost(0.01)
                .hasTimeToFirstTokenAtMost(Duration.ofSeconds(10))
                .hasLevel(ObservationLevel.WARNING)
                .hasStatusMessage("answer truncated")
                .isNotError()
                .hasScore("tone", score -> score.hasCategory("friendly").hasComment("polite and short"));
        assertThat(tree).observation("checkpoint").hasType(ObservationType.EVENT).hasInput(Map.of("step", 1));
        assertThat(tree).isWellFormed().hasShape("""
                support-agent
                  GENERATION answer
                  EVENT checkpoint
                """);
    }

    @Test
    void aRecordedTraceHasOneRootWithTheTracesName() {
        TraceTree tree = record(root -> tracer.event("checkpoint", Map.of("step", 1)));
        assertThat(tree).root().hasName("support-agent").hasType(ObservationType.SPAN).hasChild("checkpoint");
        assertThat(tree).observation("EVENT checkpoint").hasInputAtPath("step", 1).hasDepth(1);
    }
}
