package dev.loupe.assertj;

import static dev.loupe.assertj.LoupeAssertions.GENERATION;
import static dev.loupe.assertj.LoupeAssertions.OBSERVATION;
import static dev.loupe.assertj.LoupeAssertions.SCORE;
import static dev.loupe.assertj.LoupeAssertions.TOOL_CALL;
import static dev.loupe.assertj.LoupeAssertions.TRACE_TREE;
import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.SampleTraces.renamed;
import static dev.loupe.assertj.SampleTraces.supportAgent;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertionsProvider;
import org.junit.jupiter.api.Test;

class SoftAssertionsTest {

    private final TraceTree tree = supportAgent();

    @Test
    void softAssertionsCollectEveryFailure() {
        LoupeSoftAssertions softly = new LoupeSoftAssertions();
        softly.assertThat(tree).hasName("billing-agent").hasUserId("user-999");
        softly.assertThat(tree).generation("final-answer").hasModel("gpt-4o").hasUsage(1, 2);
        softly.assertThat("plain AssertJ").isEqualTo("still works");

        assertThat(softly.assertionErrorsCollected()).hasSize(5);
        assertThatThrownBy(softly::assertAll)
                .hasMessageContaining("to have name \"billing-agent\"")
                .hasMessageContaining("to have user id \"user-999\"")
                .hasMessageContaining("to have model \"gpt-4o\"")
                .hasMessageContaining("to have used 1 input and 2 output tokens")
                .hasMessageContaining("expected: \"still works\"");
    }

    @Test
    void softTrajectoriesQueriesAndLimitsCollectTheirFailures() {
        LoupeSoftAssertions softly = new LoupeSoftAssertions();
        softly.assertThat(tree).toolCalls().matchesTrajectory(ExpectedCall.call("lookup_account"));
        softly.assertThat(tree).hasSome(ObservationMatcher.toolCall().named("lookup_account")).hasModelRequestsAtMost(1);
        softly.assertThat(tree).toolCalls().matchesTrajectory(ExpectedCall.call("search_docs"));

        assertThat(softly.assertionErrorsCollected()).hasSize(3);
        assertThatThrownBy(softly::assertAll)
                .hasMessageContaining("but they differ first at call 1: expected lookup_account (any arguments)")
                .hasMessageContaining("to have some observation matching: TOOL named 'lookup_account'")
                .hasMessageContaining("but it made 2 model requests");
    }

    @Test
    void softAssertionsPassWhenEverythingHolds() {
        LoupeSoftAssertions softly = new LoupeSoftAssertions();
        softly.assertThat(tree).hasName("support-agent").toolCall("search_docs").hasArgument("query", "password reset");
        softly.assertThat(tree).hasScore("helpfulness", score -> score.isGreaterThan(0.8));
        softly.assertThat(tree).generations().hasSize(2);
        softly.assertAll();
    }

    @Test
    void softNavigationThatFindsNothingReportsItAndTheChecksItSkipped() {
        LoupeSoftAssertions softly = new LoupeSoftAssertions();
        softly.assertThat(tree).generation("final-answr").hasModel("gpt-4o-mini");
        softly.assertThat(tree).hasScore("helpfulnes", score -> score.isGreaterThan(0.8));
        softly.assertThat(tree).hasName("support-agent");

        assertThat(softly.assertionErrorsCollected()).hasSize(3);
        assertThat(softly.assertionErrorsCollected().get(0))
                .hasMessageContaining("no generation named 'final-answr'; found: final-answer, draft-reply");
        assertThat(softly.assertionErrorsCollected().get(1)).hasMessageContaining(
                "Cannot check generation 'final-answr': it was not found (see the failure reported before this one)");
        assertThat(softly.assertionErrorsCollected().get(2))
                .hasMessageContaining("no score named 'helpfulnes'; found: helpfulness, resolution");
    }

    @Test
    void softNavigationKeepsListViewsAndScoresSoft() {
        LoupeSoftAssertions softly = new LoupeSoftAssertions();
        softly.assertThat(tree).generations().hasSize(3);
        softly.assertThat(tree).generations().extracting(Observation::model).containsOnly("gpt-4o");
        softly.assertThat(tree).score("helpfulness").isGreaterThan(0.95);
        softly.assertThat(tree).generation("final-answer").score("faithful").isFalse();

        assertThat(softly.assertionErrorsCollected()).hasSize(4);
        assertThat(softly.assertionErrorsCollected().get(0)).hasMessageContaining("[generations of trace "
                + "'support-agent'] \nExpected size: 3 but was: 2");
        assertThat(softly.assertionErrorsCollected().get(3)).hasMessageContaining("to have a value of false");
    }

    @Test
    void softBudgetsCoverListsOfTraces() {
        LoupeSoftAssertions softly = new LoupeSoftAssertions();
        softly.assertThatTraces(List.of(tree, renamed(tree, "0af7651916cd43dd8448eb211c80319c", "again")))
                .hasTotalTokensAtMost(100).hasTotalCostAtMost(0.00001);
        assertThat(softly.assertionErrorsCollected()).hasSize(2);
        assertThat(softly.assertionErrorsCollected().get(1)).hasMessageContaining("but they cost $0.00029 together");
    }

    @Test
    void assertSoftlyWorksWithTheLoupeClass() {
        assertThatThrownBy(() -> SoftAssertionsProvider.assertSoftly(LoupeSoftAssertions.class, softly -> {
            softly.assertThat(tree).hasNoErrors().hasTags("vip");
            softly.assertThat(tree).toolCall("search_docs").isCalledTimes(2);
        }))
                .hasMessageContaining("Multiple Failures (2 failures)")
                .hasMessageContaining("to have the tags [vip]")
                .hasMessageContaining("to be called 2 times in trace 'support-agent'");
    }

    @Test
    void instanceOfFactoriesLeadFromPlainAssertJ() {
        Object value = tree;
        assertThat(value).asInstanceOf(TRACE_TREE).hasName("support-agent");
        assertThatThrownBy(() -> assertThat(value).asInstanceOf(TRACE_TREE).hasName("x"))
                .hasMessageContaining("Expecting trace 'support-agent'\n  to have name \"x\"");

        Map<String, Object> captured = Map.of("answer", tree.find("final-answer").orElseThrow(),
                "search", tree.find("search_docs").orElseThrow(), "score", tree.score("helpfulness").orElseThrow());
        assertThat(captured).extractingByKey("answer", GENERATION).hasModel("gpt-4o-mini").hasUsage(300, 80);
        assertThat(captured).extractingByKey("answer", OBSERVATION).hasName("final-answer");
        assertThat(captured).extractingByKey("search", TOOL_CALL).hasArgument("query", "password reset");
        assertThat(captured).extractingByKey("score", SCORE).isGreaterThan(0.9);
        assertThatThrownBy(() -> assertThat(captured).extractingByKey("answer", GENERATION).hasModel("gpt-4o"))
                .hasMessageContaining("Expecting generation 'final-answer' at final-answer\n  to have model \"gpt-4o\"");
        assertThatThrownBy(() -> assertThat(captured).extractingByKey("score", SCORE).isLessThan(0.5))
                .hasMessageContaining("Expecting score 'helpfulness'\n  to have a value less than 0.5\n"
                        + "  but its value is 0.92.");
    }

    @Test
    void instanceOfFactoriesWorkInSoftAssertions() {
        LoupeSoftAssertions softly = new LoupeSoftAssertions();
        Object value = tree;
        softly.assertThat(value).asInstanceOf(TRACE_TREE).hasName("x").hasUserId("y");
        softly.assertThat((Object) tree.root()).asInstanceOf(GENERATION).hasModel("gpt-4o");
        assertThat(softly.assertionErrorsCollected()).hasSize(3);
        assertThat(softly.assertionErrorsCollected().get(2))
                .hasMessageContaining("Expecting span 'support-agent' at support-agent\n  to have model \"gpt-4o\"\n"
                        + "  but it has no model.");
    }
}
