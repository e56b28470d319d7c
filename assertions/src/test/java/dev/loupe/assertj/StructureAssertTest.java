package dev.loupe.assertj;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.SampleTraces.observation;
import static dev.loupe.assertj.SampleTraces.researchAgent;
import static dev.loupe.assertj.SampleTraces.span;
import static dev.loupe.assertj.SampleTraces.supportAgent;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationType;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructureAssertTest {

    private final TraceTree support = supportAgent();
    private final TraceTree research = researchAgent();

    @Test
    void hasChildrenNamedMatchesTheRootsChildrenInOrder() {
        assertThat(support).hasChildrenNamed("draft-reply", "TOOL search_docs", "GENERATION final-answer",
                "answer-sent");
        assertThatThrownBy(() -> assertThat(support).hasChildrenNamed("search_docs", "draft-reply",
                "final-answer", "answer-sent"))
                .hasMessageContaining("Expecting span 'support-agent' at support-agent\n"
                        + "  to have exactly the children [search_docs, draft-reply, final-answer, answer-sent]\n"
                        + "  but its children are [GENERATION draft-reply, TOOL search_docs, GENERATION final-answer, "
                        + "EVENT answer-sent].")
                .hasMessageContaining("└─ SPAN support-agent  1.20 s   <-- here");
    }

    @Test
    void hasChildrenNamedMatchesTypesWhenGiven() {
        assertThatThrownBy(() -> assertThat(support).hasChildrenNamed("draft-reply", "SPAN search_docs",
                "final-answer", "answer-sent"))
                .hasMessageContaining("to have exactly the children [draft-reply, SPAN search_docs, final-answer, "
                        + "answer-sent]");
    }

    @Test
    void hasChildrenNamedOnATraceWithSeveralTopObservationsChecksThem() {
        TraceTree flat = SampleTraces.tree(List.of(span("a", null, "first", 0, 10).build(),
                span("b", null, "second", 20, 30).build()));
        assertThat(flat).hasChildrenNamed("first", "second");
        assertThatThrownBy(() -> assertThat(flat).hasChildrenNamed("second", "first"))
                .hasMessageContaining("Expecting trace 'trace'\n  to have exactly the children [second, first]");
    }

    @Test
    void hasChildrenNamedInAnyOrderIgnoresOrder() {
        assertThat(support).hasChildrenNamedInAnyOrder("answer-sent", "final-answer", "search_docs", "draft-reply");
        assertThatThrownBy(() -> assertThat(support).hasChildrenNamedInAnyOrder("final-answer", "search_docs"))
                .hasMessageContaining("to have exactly the children, in any order, [final-answer, search_docs]\n"
                        + "  but its children are [GENERATION draft-reply");
    }

    @Test
    void hasChildrenContainingInOrderAllowsOthersInBetween() {
        assertThat(support).hasChildrenContainingInOrder("draft-reply", "final-answer");
        assertThatThrownBy(() -> assertThat(support).hasChildrenContainingInOrder("final-answer", "draft-reply"))
                .hasMessageContaining("to have children including, in this order, [final-answer, draft-reply]");
    }

    @Test
    void observationChildrenChecksWorkOnAnyObservation() {
        assertThat(research).observation("step").hasChildrenNamed("search", "fetch")
                .hasChildrenNamedInAnyOrder("fetch", "search").hasChildrenContainingInOrder("fetch");
        assertThatThrownBy(() -> assertThat(research).observation("step").hasChildrenNamed("fetch"))
                .hasMessageContaining("Expecting chain 'step' at research-agent > step\n"
                        + "  to have exactly the children [fetch]\n  but its children are [TOOL search, TOOL fetch].");
        assertThatThrownBy(() -> assertThat(research).observation("step").hasChildrenNamedInAnyOrder("fetch"))
                .hasMessageContaining("to have exactly the children, in any order, [fetch]");
        assertThatThrownBy(() -> assertThat(research).observation("fetch").hasChildrenContainingInOrder("retry"))
                .hasMessageContaining("to have children including, in this order, [retry]\n  but it has no children.");
    }

    @Test
    void hasShapeComparesTheWholeTreeInOrder() {
        assertThat(research).hasShape("""
                AGENT research-agent
                  GENERATION planner
                  CHAIN step
                    TOOL search
                    TOOL fetch
                  TOOL search
                """);
        assertThatThrownBy(() -> assertThat(research).hasShape("""
                research-agent
                  planner
                  step
                    fetch
                    search
                  search
                """))
                .hasMessageContaining("Expecting trace 'research-agent'\n  to have the shape\n"
                        + "    research-agent\n      planner\n      step\n        fetch\n")
                .hasMessageContaining("  but under research-agent > step it expected [fetch, search] and found "
                        + "[TOOL search, TOOL fetch].")
                .hasMessageContaining("CHAIN step  690 ms   <-- here");
    }

    @Test
    void hasShapeNeedsEveryObservation() {
        assertThatThrownBy(() -> assertThat(research).hasShape("""
                research-agent
                  planner
                  step
                """))
                .hasMessageContaining("but under research-agent it expected [planner, step] and found "
                        + "[GENERATION planner, CHAIN step, TOOL search].");
        assertThatThrownBy(() -> assertThat(research).hasShape("other-agent"))
                .hasMessageContaining("but at the top of the trace it expected [other-agent] and found "
                        + "[AGENT research-agent].");
    }

    @Test
    void hasShapeInAnyOrderIgnoresTheOrderOfSiblings() {
        assertThat(research).hasShapeInAnyOrder("""
                research-agent
                  search
                  step
                    fetch
                    search
                  planner
                """);
        assertThatThrownBy(() -> assertThat(research).hasShapeInAnyOrder("""
                research-agent
                  search
                  step
                    fetch
                    TOOL planner
                  planner
                """))
                .hasMessageContaining("to have the shape, siblings in any order,\n")
                .hasMessageContaining("but under research-agent > step it expected [fetch, TOOL planner] in any order "
                        + "and found [TOOL search, TOOL fetch].");
    }

    @Test
    void containsShapeFindsASubtreeAnywhere() {
        assertThat(research).containsShape("""
                CHAIN step
                  fetch
                """).containsShape("research-agent\n  planner\n  search");
        assertThatThrownBy(() -> assertThat(research).containsShape("""
                step
                  fetch
                  search
                """))
                .hasMessageContaining("to contain the shape\n    step\n      fetch\n      search\n"
                        + "  but under research-agent > step it expected a child search after fetch and found "
                        + "[TOOL search, TOOL fetch].");
        assertThatThrownBy(() -> assertThat(research).containsShape("stepp\n  fetch"))
                .hasMessageContaining("but no observation is stepp; found: step, search");
    }

    @Test
    void outlinesWithBadIndentationAreRejectedWithTheLine() {
        assertThatThrownBy(() -> assertThat(research).hasShape("research-agent\n    planner\n  step"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Line 3 of the outline, \"step\", is indented by 2 spaces, but the lines at its "
                        + "level by 4");
        assertThatThrownBy(() -> assertThat(research).hasShape("research-agent\n\tplanner"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contains a tab");
        assertThatThrownBy(() -> assertThat(research).containsShape("a\nb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has one top line");
    }

    @Test
    void hasObservationFindsByNameOrTypedName() {
        assertThat(research).hasObservation("fetch").hasObservation("TOOL fetch");
        assertThatThrownBy(() -> assertThat(research).hasObservation("fetsh"))
                .hasMessageContaining("to have an observation named 'fetsh'\n"
                        + "  but there is no observation named 'fetsh'; found: fetch, step, search, planner");
        assertThatThrownBy(() -> assertThat(research).hasObservation("GENERATION fetch"))
                .hasMessageContaining("but there is no generation named 'fetch'; found: planner "
                        + "('fetch' is a tool call at research-agent > step > fetch).");
    }

    @Test
    void doesNotHaveObservationListsWhatItFound() {
        assertThat(research).doesNotHaveObservation("summarize").doesNotHaveObservation("GENERATION search");
        assertThatThrownBy(() -> assertThat(research).doesNotHaveObservation("search"))
                .hasMessageContaining("to have no observation named 'search'\n  but it has 2: "
                        + "research-agent > step > search, research-agent > search.");
    }

    @Test
    void hasObservationAtPathFollowsNames() {
        assertThat(research).hasObservationAtPath("research-agent > step > fetch").hasObservationAtPath("step > fetch");
        assertThatThrownBy(() -> assertThat(research).hasObservationAtPath("research-agent > step > fetchh"))
                .hasMessageContaining("to have an observation at path 'research-agent > step > fetchh'\n"
                        + "  but there is no 'fetchh' under research-agent > step; found: fetch, search.")
                .hasMessageContaining("CHAIN step  690 ms   <-- here");
        assertThatThrownBy(() -> assertThat(research).hasObservationAtPath("nowhere > fetch"))
                .hasMessageContaining("but there is no 'nowhere' in the trace; found:");
    }

    @Test
    void observationAtPathNavigatesToTheObservation() {
        assertThat(research).observationAtPath("research-agent > search").hasInputContaining("retry");
        assertThat(research).observationAtPath("step > search").hasInputContaining("loupe");
        assertThatThrownBy(() -> assertThat(research).observationAtPath("research-agent > step > search")
                .hasInputContaining("retry"))
                .hasMessageContaining("Expecting tool call 'search' at research-agent > step > search\n"
                        + "  to have an input containing \"retry\"");
    }

    @Test
    void rootNavigatesToTheTopObservation() {
        assertThat(research).root().hasName("research-agent").hasType(ObservationType.AGENT);
        assertThatThrownBy(() -> assertThat(SampleTraces.tree(List.of())).root())
                .hasMessageContaining("to have 1 observations\n  but it has 0.");
    }

    @Test
    void hasParentComparesTheDirectParent() {
        assertThat(research).toolCall("fetch").hasParent("step").hasParent("CHAIN step");
        assertThatThrownBy(() -> assertThat(research).toolCall("fetch").hasParent("research-agent"))
                .hasMessageContaining("Expecting tool call 'fetch' at research-agent > step > fetch\n"
                        + "  to have the parent research-agent\n  but its parent is CHAIN step.");
        assertThatThrownBy(() -> assertThat(research).root().hasParent("anything"))
                .hasMessageContaining("but it is at the top of the trace.");
    }

    @Test
    void hasAncestorLooksAtEveryHeight() {
        assertThat(research).toolCall("fetch").hasAncestor("research-agent").hasAncestor("step");
        assertThatThrownBy(() -> assertThat(research).toolCall("fetch").hasAncestor("planner"))
                .hasMessageContaining("to have an ancestor planner\n"
                        + "  but its ancestors are [AGENT research-agent, CHAIN step].");
        assertThatThrownBy(() -> assertThat(research).root().hasAncestor("research-agent"))
                .hasMessageContaining("but it is at the top of the trace.");
    }

    @Test
    void hasChildFindsADirectChild() {
        assertThat(research).root().hasChild("planner").hasChild("CHAIN step");
        assertThatThrownBy(() -> assertThat(research).root().hasChild("fetch"))
                .hasMessageContaining("to have a child fetch\n  but its children are [GENERATION planner, CHAIN step, "
                        + "TOOL search].");
    }

    @Test
    void hasDepthCountsFromTheTop() {
        assertThat(research).toolCall("fetch").hasDepth(2);
        assertThat(research).root().hasDepth(0);
        assertThatThrownBy(() -> assertThat(research).toolCall("fetch").hasDepth(1))
                .hasMessageContaining("to be at depth 1 (0 is the top of the trace)\n  but it is at depth 2.");
    }

    @Test
    void startsBeforeComparesStartTimes() {
        assertThat(support).generation("draft-reply").startsBefore("search_docs")
                .startsBefore("support-agent > final-answer");
        assertThatThrownBy(() -> assertThat(support).generation("final-answer").startsBefore("search_docs"))
                .hasMessageContaining("Expecting generation 'final-answer' at support-agent > final-answer\n"
                        + "  to start before tool call 'search_docs' at support-agent > search_docs starts\n"
                        + "  but it starts at 2025-03-01T10:00:00.610Z and the other at 2025-03-01T10:00:00.410Z.");
        assertThatThrownBy(() -> assertThat(support).generation("final-answer").startsBefore("search_dogs"))
                .hasMessageContaining("but there is no observation named 'search_dogs'; found: search_docs");
    }

    @Test
    void endsBeforeComparesEndTimes() {
        assertThat(support).toolCall("search_docs").endsBefore("final-answer");
        assertThatThrownBy(() -> assertThat(support).observation("support-agent").endsBefore("final-answer"))
                .hasMessageContaining("to end before generation 'final-answer' at support-agent > final-answer ends\n"
                        + "  but it ends at 2025-03-01T10:00:01.200Z and the other at 2025-03-01T10:00:01.150Z.");
        TraceTree open = SampleTraces.tree(List.of(span("a", null, "open", 0, -1).build(),
                span("b", null, "closed", 0, 10).build()));
        assertThatThrownBy(() -> assertThat(open).observation("open").endsBefore("closed"))
                .hasMessageContaining("but the time to compare is unknown: end of this observation was not recorded.");
    }

    @Test
    void listViewsAcceptAssertJsListAssertions() {
        assertThat(support).generations().hasSize(2).extracting(Observation::name)
                .containsExactly("draft-reply", "final-answer");
        assertThat(support).toolCalls().singleElement().extracting(Observation::name).isEqualTo("search_docs");
        assertThat(support).events().extracting(Observation::name).containsExactly("answer-sent");
        assertThat(research).spans().isEmpty();
        assertThat(research).observations().filteredOn(o -> o.type() == ObservationType.TOOL).hasSize(3)
                .allSatisfy(tool -> assertThat(tool.input()).contains("\""));
        assertThatThrownBy(() -> assertThat(support).generations().allSatisfy(
                generation -> assertThat(generation.usage().total()).isLessThan(200L)))
                .hasMessageContaining("[generations of trace 'support-agent']")
                .hasMessageContaining("GENERATION final-answer at support-agent > final-answer");
    }

    @Test
    void listViewsNameWhatTheyHoldInFailures() {
        assertThatThrownBy(() -> assertThat(support).spans().hasSize(2))
                .hasMessageContaining("[spans of trace 'support-agent'] \nExpected size: 2 but was: 1 in:\n"
                        + "[SPAN support-agent at support-agent]");
        assertThatThrownBy(() -> assertThat(research).toolCalls().extracting(Observation::name)
                .containsExactly("search", "fetch"))
                .hasMessageContaining("[tool calls of trace 'research-agent']");
        assertThatThrownBy(() -> assertThat(support).events().isEmpty())
                .hasMessageContaining("[events of trace 'support-agent'] \nExpecting empty but was: "
                        + "[EVENT answer-sent at support-agent > answer-sent]");
        assertThatThrownBy(() -> assertThat(support).observations().hasSize(1))
                .hasMessageContaining("[observations of trace 'support-agent']");
    }

    @Test
    void hasToolCallsInOrderComparesTheWholeSequence() {
        assertThat(research).hasToolCallsInOrder("search", "fetch", "search");
        assertThatThrownBy(() -> assertThat(research).hasToolCallsInOrder("search", "search", "fetch"))
                .hasMessageContaining("Expecting trace 'research-agent'\n"
                        + "  to have tool calls exactly in the order [search, search, fetch]\n"
                        + "  but the tools were called in this order: [search, fetch, search].");
        assertThatThrownBy(() -> assertThat(SampleTraces.tree(List.of())).hasToolCallsInOrder("search"))
                .hasMessageContaining("but no tool was called.");
    }

    @Test
    void hasToolCallsContainingInOrderAllowsOtherCalls() {
        assertThat(research).hasToolCallsContainingInOrder("fetch", "search");
        assertThatThrownBy(() -> assertThat(research).hasToolCallsContainingInOrder("fetch", "fetch"))
                .hasMessageContaining("to have tool calls including, in this order, [fetch, fetch]");
    }

    @Test
    void observationsWithAMissingParentAreAtTheTop() {
        TraceTree orphaned = SampleTraces.tree(List.of(observation("x", "gone", ObservationType.SPAN, "orphan", 0, 5)
                .build()));
        assertThat(orphaned).observation("orphan").hasDepth(0);
    }
}
