package dev.loupe.assertj;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.SampleTraces.supportAgent;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.model.Score;
import dev.loupe.model.ScoreDataType;
import dev.loupe.model.TraceTree;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreAssertTest {

    private final TraceTree tree = supportAgent();

    @Test
    void hasScoreFindsATraceScoreByName() {
        assertThat(tree).hasScore("helpfulness");
        assertThatThrownBy(() -> assertThat(tree).hasScore("helpfulnes"))
                .hasMessageContaining("Expecting trace 'support-agent'\n  to have a score named 'helpfulnes'\n"
                        + "  but there is no score named 'helpfulnes'; found: helpfulness, resolution.");
    }

    @Test
    void hasScoreWithRequirementsChecksTheScore() {
        assertThat(tree).hasScore("helpfulness", score -> score.isGreaterThan(0.8));
        assertThatThrownBy(() -> assertThat(tree).hasScore("helpfulness", score -> score.isGreaterThan(0.95)))
                .hasMessageContaining("Expecting score 'helpfulness' of trace 'support-agent'\n"
                        + "  to have a value greater than 0.95\n  but its value is 0.92.");
    }

    @Test
    void observationScoresAreFoundOnTheirObservation() {
        assertThat(tree).generation("final-answer").hasScore("faithful").hasScore("faithful", ScoreAssert::isTrue);
        assertThatThrownBy(() -> assertThat(tree).generation("final-answer").score("faithful").isFalse())
                .hasMessageContaining("Expecting score 'faithful' of generation 'final-answer' at support-agent > "
                        + "final-answer\n  to have a value of false\n  but it is a boolean score with the value true.")
                .hasMessageContaining("scores: faithful=true   <-- here");
        assertThatThrownBy(() -> assertThat(tree).generation("draft-reply").hasScore("faithful"))
                .hasMessageContaining("to have a score named 'faithful'\n"
                        + "  but there is no score named 'faithful'; found: none.");
    }

    @Test
    void hasValueComparesExactly() {
        assertThat(tree).score("helpfulness").hasValue(0.92);
        assertThatThrownBy(() -> assertThat(tree).score("helpfulness").hasValue(1))
                .hasMessageContaining("to have a value equal to 1\n  but its value is 0.92.");
    }

    @Test
    void isGreaterThanOrEqualToIncludesTheBound() {
        assertThat(tree).score("helpfulness").isGreaterThanOrEqualTo(0.92);
        assertThatThrownBy(() -> assertThat(tree).score("helpfulness").isGreaterThanOrEqualTo(0.93))
                .hasMessageContaining("to have a value greater than or equal to 0.93\n  but its value is 0.92.");
    }

    @Test
    void isLessThanExcludesTheBound() {
        assertThat(tree).score("helpfulness").isLessThan(1);
        assertThatThrownBy(() -> assertThat(tree).score("helpfulness").isLessThan(0.92))
                .hasMessageContaining("to have a value less than 0.92\n  but its value is 0.92.");
    }

    @Test
    void isLessThanOrEqualToIncludesTheBound() {
        assertThat(tree).score("helpfulness").isLessThanOrEqualTo(0.92);
        assertThatThrownBy(() -> assertThat(tree).score("helpfulness").isLessThanOrEqualTo(0.5))
                .hasMessageContaining("to have a value less than or equal to 0.5\n  but its value is 0.92.");
    }

    @Test
    void isBetweenIncludesBothBounds() {
        assertThat(tree).score("helpfulness").isBetween(0.9, 0.92);
        assertThatThrownBy(() -> assertThat(tree).score("helpfulness").isBetween(0, 0.5))
                .hasMessageContaining("to have a value between 0 and 0.5\n  but its value is 0.92.");
    }

    @Test
    void numericComparisonsFailOnCategoricalScores() {
        assertThatThrownBy(() -> assertThat(tree).score("resolution").isGreaterThan(0))
                .hasMessageContaining("to have a value greater than 0\n"
                        + "  but it is a categorical score with the value \"resolved\".");
    }

    @Test
    void isTrueNeedsABooleanScore() {
        assertThat(tree).generation("final-answer").score("faithful").isTrue();
        assertThatThrownBy(() -> assertThat(tree).score("helpfulness").isTrue())
                .hasMessageContaining("to have a value of true\n  but its value is 0.92.");
    }

    @Test
    void isFalseNeedsAFalseBooleanScore() {
        TraceTree judged = SampleTraces.tree(List.of(), Score.builder("s", "toxic").traceId(SampleTraces.TRACE_ID)
                .value(false).build());
        assertThat(judged).score("toxic").isFalse();
        assertThatThrownBy(() -> assertThat(judged).score("toxic").isTrue())
                .hasMessageContaining("Expecting score 'toxic' of trace 'trace'\n  to have a value of true\n"
                        + "  but it is a boolean score with the value false.");
    }

    @Test
    void hasCategoryComparesTheLabel() {
        assertThat(tree).score("resolution").hasCategory("resolved");
        assertThatThrownBy(() -> assertThat(tree).score("resolution").hasCategory("escalated"))
                .hasMessageContaining("Expecting score 'resolution' of trace 'support-agent'\n"
                        + "  to have a value of \"escalated\"\n  but it is a categorical score with the value \"resolved\".");
    }

    @Test
    void hasDataTypeComparesTheKindOfValue() {
        assertThat(tree).score("resolution").hasDataType(ScoreDataType.CATEGORICAL);
        assertThatThrownBy(() -> assertThat(tree).score("helpfulness").hasDataType(ScoreDataType.BOOLEAN))
                .hasMessageContaining("to be a boolean score\n  but its value is 0.92.");
    }

    @Test
    void hasCommentComparesTheComment() {
        assertThat(tree).score("helpfulness").hasComment("answered from the docs");
        assertThatThrownBy(() -> assertThat(tree).score("helpfulness").hasComment("guessed"))
                .hasMessageContaining("to have comment \"guessed\"\n  but its comment is \"answered from the docs\".");
        assertThatThrownBy(() -> assertThat(tree).score("resolution").hasComment("guessed"))
                .hasMessageContaining("but it has no comment.");
    }

    @Test
    void hasCommentContainingFindsText() {
        assertThat(tree).score("helpfulness").hasCommentContaining("docs");
        assertThatThrownBy(() -> assertThat(tree).score("helpfulness").hasCommentContaining("guess"))
                .hasMessageContaining("to have a comment containing \"guess\"\n"
                        + "  but its comment is \"answered from the docs\".");
    }
}
