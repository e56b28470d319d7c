package dev.loupe.assertj;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.loupe.assertj.fixtures.BudgetFixture;
import dev.loupe.assertj.fixtures.CallLimitsFixture;
import dev.loupe.assertj.fixtures.CapturedAssertionsFixture;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs fixtures through the JUnit Platform and checks the failure messages of the CapturedTraces assertions. */
class CapturedTracesAssertTest {

    private static Events run(Class<?> fixture, String method) {
        return EngineTestKit.engine("junit-jupiter").configurationParameter("loupe.junit.persist", "false")
                .selectors(method == null ? selectClass(fixture) : selectMethod(fixture, method,
                        "dev.loupe.junit.CapturedTraces"))
                .execute().testEvents();
    }

    private static void failsWith(String method, Predicate<String> message) {
        run(CapturedAssertionsFixture.class, method).assertThatEvents()
                .haveExactly(1, event(test(method), finishedWithFailure(message(message))));
    }

    @Test
    void passingChecksOnCapturedTracesPass() {
        run(CapturedAssertionsFixture.class, "passes").assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @Test
    void sessionScoreFindsAScoreOfASessionGivenInTheTest() {
        run(CapturedAssertionsFixture.class, "passesOnSessionScore")
                .assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @Test
    void sessionScoreNamesTheMissingScoreAndTheSessionScoresGiven() {
        failsWith("failsOnSessionScore", text -> text.contains(
                "Expecting the test to have given a session score named 'satisfaction'\n"
                        + "  but it gave only [resolved (session chat-7)]."));
    }

    @Test
    void hasCountSaysHowManyWereCapturedAndShowsThem() {
        failsWith("failsOnCount", text -> text.contains(
                "Expecting the test to have captured 3 traces\n  but it captured 2: [plan, answer].")
                && text.contains("Captured traces:") && text.contains("trace answer"));
    }

    @Test
    void hasNamesShowsTheNamesInTheOrderTheyBegan() {
        failsWith("failsOnNames", text -> text.contains(
                "Expecting the test to have captured traces named [answer, plan], in this order,\n"
                        + "  but it captured [plan, answer]."));
    }

    @Test
    void satisfiesExactlyNamesTheTraceThatFailedAndWhy() {
        failsWith("failsOnOneTraceOfSatisfiesExactly", text -> text.contains(
                "Captured trace trace 'answer' (number 2 of 2, in the order they began) does not satisfy")
                && text.contains("380"));
    }

    @Test
    void anySatisfyListsWhyEachTraceFailed() {
        failsWith("failsOnAnySatisfy", text -> text.contains(
                "Expecting at least one captured trace to satisfy the requirements\n  but none of the 2 does:")
                && text.contains("summary"));
    }

    @Test
    void singleSuggestsTheClosestName() {
        failsWith("failsOnSingleWithAMisspelledName", text -> text.contains(
                "Expecting the test to have captured a trace named 'answr'\n  but none is named so; closest names: "
                        + "answer, plan."));
    }

    @Test
    void totalTokensAreSummedOverAllCapturedTraces() {
        failsWith("failsOnTheTotalTokens", text -> text.contains("500") && text.contains("450"));
    }

    @Test
    void traceBudgetFailsOnlyTheTestsOverTheirBudget() {
        Events events = run(BudgetFixture.class, null);
        events.assertStatistics(stats -> stats.succeeded(2).failed(1));
        events.assertThatEvents().haveExactly(1, event(test("overTheClassBudget"), finishedWithFailure(message(
                text -> text.startsWith("Test overTheClassBudget() is over its @TraceBudget:")
                        && text.contains("300") && text.contains("200")))));
    }

    @Test
    void traceBudgetLimitsToolCallsModelRequestsRepeatsAndCallsAfterAnError() {
        Events events = run(CallLimitsFixture.class, null);
        events.assertStatistics(stats -> stats.succeeded(1).failed(5));
        events.assertThatEvents()
                .haveExactly(1, event(test("overTheToolCalls"), finishedWithFailure(message(text -> text.startsWith(
                        "Test overTheToolCalls() is over its @TraceBudget:\nExpecting trace 'agent'\n"
                                + "  to stay within the budget of at most 3 tool calls, at most 2 calls of 'search', "
                                + "at most 1 model request, no repeated identical tool call, no tool call after an "
                                + "error\n  but it made 4 tool calls; the first beyond the limit is tool call 'read' "
                                + "at agent > read.")))))
                .haveExactly(1, event(test("overTheCallsOfSearch"), finishedWithFailure(message(text -> text.contains(
                        "but it called 'search' 3 times; the first call beyond the limit is at agent > search.")))))
                .haveExactly(1, event(test("overTheModelRequests"), finishedWithFailure(message(text -> text.contains(
                        "but it made 2 model requests; the first beyond the limit is generation 'answer' at "
                                + "agent > answer.")))))
                .haveExactly(1, event(test("repeatingACall"), finishedWithFailure(message(text -> text.contains(
                        "but 'search' was called twice with the same arguments {\"query\":\"loupe\"}")))))
                .haveExactly(1, event(test("callingAToolAfterAnError"), finishedWithFailure(message(text ->
                        text.contains("but tool call 'search' at agent > search started after tool call 'fetch' at "
                                + "agent > fetch failed (timed out).") && text.contains("TOOL search")
                                && text.contains("<-- here")))));
    }
}
