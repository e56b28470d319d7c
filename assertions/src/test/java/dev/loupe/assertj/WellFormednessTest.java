package dev.loupe.assertj;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.SampleTraces.TRACE_ID;
import static dev.loupe.assertj.SampleTraces.generation;
import static dev.loupe.assertj.SampleTraces.observation;
import static dev.loupe.assertj.SampleTraces.researchAgent;
import static dev.loupe.assertj.SampleTraces.span;
import static dev.loupe.assertj.SampleTraces.supportAgent;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.model.Score;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WellFormednessTest {

    @Test
    void wellInstrumentedTracesPass() {
        assertThat(supportAgent()).isWellFormed();
        assertThat(researchAgent()).isWellFormed();
    }

    @Test
    void anObservationThatNeverEndedIsReported() {
        TraceTree tree = SampleTraces.tree(List.of(span("a", null, "agent", 0, 100).build(),
                span("b", "a", "step", 10, -1).build(),
                observation("e", "a", ObservationType.EVENT, "log", 20, -1).build()));
        assertThatThrownBy(() -> assertThat(tree).isWellFormed())
                .hasMessageContaining("Expecting trace 'trace'\n  to be well formed\n  but it has 1 problem:\n"
                        + "    - agent > step: never ended (no end time)\nTrace:")
                .hasMessageContaining("├─ SPAN step  (open)   <-- here");
    }

    @Test
    void generationsWithoutModelOrUsageAreReported() {
        TraceTree tree = SampleTraces.tree(List.of(span("a", null, "agent", 0, 100).build(),
                generation("g", "a", "answer", 10, 90).model(null).build()));
        assertThatThrownBy(() -> assertThat(tree).isWellFormed())
                .hasMessageContaining("but it has 2 problems:\n    - agent > answer: generation without a model\n"
                        + "    - agent > answer: generation without usage");
    }

    @Test
    void aFailedGenerationWithoutUsageIsWellFormed() {
        TraceTree tree = SampleTraces.tree(List.of(span("a", null, "agent", 0, 100).build(),
                generation("g", "a", "answer", 10, 90).level(dev.loupe.trace.ObservationLevel.ERROR)
                        .statusMessage("timed out").build()));
        assertThat(tree).isWellFormed();
    }

    @Test
    void negativeOrInconsistentTokenCountsAreReported() {
        TraceTree tree = SampleTraces.tree(List.of(span("a", null, "agent", 0, 100).build(),
                generation("g1", "a", "draft", 10, 40).usage(Usage.of(100, 20, 150)).build(),
                generation("g2", "a", "answer", 50, 90).usage(new Usage(Map.of(Usage.INPUT, -5L)))
                        .cost(new Cost(Map.of(Usage.TOTAL, new BigDecimal("-0.01")))).build()));
        assertThatThrownBy(() -> assertThat(tree).isWellFormed())
                .hasMessageContaining("    - agent > draft: inconsistent usage: total 150 != input 100 + output 20\n")
                .hasMessageContaining("    - agent > answer: negative usage: input = -5\n")
                .hasMessageContaining("    - agent > answer: negative cost: total = -0.01");
    }

    @Test
    void childrenOutsideTheirParentsTimeAreReported() {
        TraceTree tree = SampleTraces.tree(List.of(span("a", null, "agent", 100, 200).build(),
                span("b", "a", "early", 50, 150).build(),
                span("c", "a", "late", 150, 250).build()));
        assertThatThrownBy(() -> assertThat(tree).isWellFormed())
                .hasMessageContaining("    - agent > early: starts (2025-03-01T10:00:00.050Z) before its parent "
                        + "SPAN agent (2025-03-01T10:00:00.100Z)\n")
                .hasMessageContaining("    - agent > late: ends (2025-03-01T10:00:00.250Z) after its parent "
                        + "SPAN agent (2025-03-01T10:00:00.200Z)");
    }

    @Test
    void observationsEndingBeforeTheyStartAreReported() {
        TraceTree tree = SampleTraces.tree(List.of(span("a", null, "agent", 100, 50).build()));
        assertThatThrownBy(() -> assertThat(tree).isWellFormed())
                .hasMessageContaining("    - agent: ends (2025-03-01T10:00:00.050Z) before it starts "
                        + "(2025-03-01T10:00:00.100Z)");
    }

    @Test
    void cyclesOfParentsAreReported() {
        TraceTree tree = SampleTraces.tree(List.of(span("a", "b", "agent", 0, 100).build(),
                span("b", "a", "step", 10, 90).build(), span("c", "c", "self", 20, 30).build()));
        assertThatThrownBy(() -> assertThat(tree).isWellFormed())
                .hasMessageContaining("    - agent: its parent b is itself or one of its own descendants "
                        + "(a cycle of parents)\n")
                .hasMessageContaining("    - self: its parent c is itself or one of its own descendants");
    }

    @Test
    void missingParentsAndScoresOnUnknownIdsAreReported() {
        TraceTree tree = SampleTraces.tree(List.of(span("a", "ghost", "agent", 0, 100).build()),
                Score.builder("s1", "relevance").traceId(TRACE_ID).observationId("nowhere").value(0.5).build(),
                Score.builder("s2", "speed").traceId("0af7651916cd43dd8448eb211c80319c").value(1.0).build());
        assertThatThrownBy(() -> assertThat(tree).isWellFormed())
                .hasMessageContaining("    - agent: its parent ghost is not in the trace\n")
                .hasMessageContaining("    - trace: score 'relevance' is on observation nowhere, which is not in the "
                        + "trace\n")
                .hasMessageContaining("    - trace: score 'speed' is on trace 0af7651916cd43dd8448eb211c80319c, not on "
                        + "this one");
    }
}
