package dev.loupe.agent;

import static dev.loupe.agent.FixtureRuns.assertPassInParallel;
import static dev.loupe.agent.FixtureRuns.assertPasses;

import dev.loupe.agent.fixtures.ObserveFixture;
import dev.loupe.agent.fixtures.ParallelObserveFixture;
import org.junit.jupiter.api.Test;

/**
 * The agent, installed into this JVM by TraceCapture ({@code @CaptureTraces(installAgent = true)}), weaves
 * {@code @Observe} methods of plain classes: each test runs a fixture test, which checks what its calls recorded.
 */
class AgentWeavingTest {

    @Test
    void threeNestedObservedCallsMakeThreeNestedObservations() {
        assertPasses(ObserveFixture.class, "nestsThreeCallsDeep");
    }

    @Test
    void argumentsAreTheInputByParameterNameWithoutTheIgnoredOneAndTheResultIsTheOutput() {
        assertPasses(ObserveFixture.class, "recordsArgumentsByNameAndTheResultLeavingOutTheIgnoredParameter");
    }

    @Test
    void anExceptionMarksTheObservationErrorAndReachesTheCallerUnchanged() {
        assertPasses(ObserveFixture.class, "marksTheObservationErrorAndPassesTheExceptionOnUnchanged");
    }

    @Test
    void aCompletableFutureResultEndsTheObservationWhenItCompletes() {
        assertPasses(ObserveFixture.class, "endsTheObservationOfACompletableFutureWhenItCompletes");
    }

    @Test
    void aFluxOrMonoResultEndsTheObservationWhenItCompletes() {
        assertPasses(ObserveFixture.class, "endsTheObservationOfAFluxWhenItCompletesWithTheElementsAsOutput");
    }

    @Test
    void theCurrentObservationTraceAndScoresWorkInsideAnObservedMethod() {
        assertPasses(ObserveFixture.class, "currentObservationCurrentTraceAndScoresWorkInsideTheMethod");
    }

    @Test
    void captureSwitchesLeaveOutArgumentsAndMethodsWithoutTheAnnotationAreNotTraced() {
        assertPasses(ObserveFixture.class, "leavesOutTheArgumentsWhenAskedAndSkipsMethodsThatAreNotObserved");
    }

    @Test
    void anAnnotationOnTheTypeObservesEachOfItsPublicMethods() {
        assertPasses(ObserveFixture.class, "observesEveryPublicMethodOfAnAnnotatedType");
    }

    @Test
    void anObservedMethodCalledFromTwoParallelTestsIsAttributedToEachTest() {
        assertPassInParallel(ParallelObserveFixture.class, 2, 2);
    }

    @Test
    void aGenerationTypedMethodCanSetModelAndUsageOnItsCurrentObservation() {
        assertPasses(ObserveFixture.class, "aGenerationTypeMakesTheCurrentObservationAGenerationWithModelAndUsage");
    }

    @Test
    void theEventTypeWhichHasNoDurationIsRecordedAsASpan() {
        assertPasses(ObserveFixture.class, "anEventTypeIsRecordedAsASpan");
    }

    @Test
    void aFluxCancelledBeforeItCompletesEndsTheObservationWithAWarning() {
        assertPasses(ObserveFixture.class, "aFluxCancelledBeforeItCompletesEndsTheObservationWithAWarning");
    }
}
