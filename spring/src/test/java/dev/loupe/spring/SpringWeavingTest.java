package dev.loupe.spring;

import static dev.loupe.spring.FixtureRuns.assertPassInParallel;
import static dev.loupe.spring.FixtureRuns.assertPasses;

import dev.loupe.spring.fixtures.BothWeavingsFixture;
import dev.loupe.spring.fixtures.ObserveFixture;
import dev.loupe.spring.fixtures.ParallelObserveFixture;
import org.junit.jupiter.api.Test;

/**
 * The auto-configured Spring aspect records calls of {@code @Observe} methods of beans: each test runs a fixture
 * test (with TraceCapture, through the JUnit Platform), which checks what its calls recorded.
 */
class SpringWeavingTest {

    @Test
    void threeNestedObservedBeanCallsMakeThreeNestedObservations() {
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
    void aFluxResultEndsTheObservationWhenItCompletes() {
        assertPasses(ObserveFixture.class, "endsTheObservationOfAFluxWhenItCompletesWithTheElementsAsOutput");
    }

    @Test
    void theCurrentObservationTraceAndScoresWorkInsideAnObservedMethod() {
        assertPasses(ObserveFixture.class, "currentObservationCurrentTraceAndScoresWorkInsideTheMethod");
    }

    @Test
    void methodsWithoutTheAnnotationAreNotTraced() {
        assertPasses(ObserveFixture.class, "doesNotTraceMethodsThatAreNotObserved");
    }

    @Test
    void anObservedBeanMethodCalledFromTwoParallelTestsIsAttributedToEachTest() {
        assertPassInParallel(ParallelObserveFixture.class, 2, 2);
    }

    @Test
    void withTheAgentInstalledToo_aCallThroughTheProxyIsRecordedOnce() {
        assertPasses(BothWeavingsFixture.class, "recordsEachCallOnce");
    }
}
