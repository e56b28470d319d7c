package dev.loupe.devserver;

import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TestStatus;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Two test runs written through the store's API, over {@link SampleTraces}, for the API tests:
 * <ol>
 * <li>{@value #OLDER_RUN}, 09:00, on main: two tests of {@code shop.AccountTest}, both passed;</li>
 * <li>{@value #NEWER_RUN}, 11:00, on fix/cancel: {@code shop.AccountTest} passed; {@code shop.CheckoutAgentTest}
 *     with a passed test (ann's checkout trace), a failed one (ben's failing trace) and a skipped one;
 *     {@code shop.SummarizerTest} with a parameterized test (the summarizer trace and a trace the store does not
 *     hold) and an aborted one.</li>
 * </ol>
 */
final class SampleTestRuns {

    static final String OLDER_RUN = "run-older";
    static final String NEWER_RUN = "run-newer";
    static final String COMMIT = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
    static final String FAILURE = "expected: <CANCELLED> but was: <ERROR>";
    static final String MISSING_TRACE = "trace-that-was-never-written";

    private SampleTestRuns() {
    }

    /** Writes the two runs and their results; the traces of {@link SampleTraces} must be in the store. */
    static void writeInto(TraceStore store) {
        String annCheckout = traceId(store, "ann", "checkout-agent");
        String benCheckout = traceId(store, "ben", "checkout-agent");
        String summary = traceId(store, "ann", "summarizer");

        Instant older = Instant.parse("2025-05-01T09:00:00Z");
        store.testRuns().writeRun(new TestRun(OLDER_RUN, older, older.plusSeconds(4),
                "0123456789abcdef0123456789abcdef01234567", "main", 2, 0, 0, 0));
        store.testRuns().writeResults(List.of(
                result(OLDER_RUN, "shop.AccountTest", "logsIn", TestStatus.PASSED, older, null, List.of()),
                result(OLDER_RUN, "shop.AccountTest", "logsOut", TestStatus.PASSED, older, null, List.of())));

        Instant newer = Instant.parse("2025-05-01T11:00:00Z");
        store.testRuns().writeRun(new TestRun(NEWER_RUN, newer, newer.plusMillis(7_250), COMMIT, "fix/cancel",
                3, 1, 1, 1));
        store.testRuns().writeResults(List.of(
                result(NEWER_RUN, "shop.AccountTest", "logsIn", TestStatus.PASSED, newer, null, List.of()),
                result(NEWER_RUN, "shop.CheckoutAgentTest", "answersOrderQuestions", TestStatus.PASSED, newer, null,
                        List.of(annCheckout)),
                result(NEWER_RUN, "shop.CheckoutAgentTest", "cancelsOrders", TestStatus.FAILED, newer.plusSeconds(1),
                        FAILURE, List.of(benCheckout)),
                result(NEWER_RUN, "shop.CheckoutAgentTest", "refunds", TestStatus.SKIPPED, newer, "refunds come later",
                        List.of()),
                new TestResult("summarizes-1", NEWER_RUN,
                        "[engine:junit-jupiter]/[class:shop.SummarizerTest]/[test-template:summarizes(String)]"
                                + "/[test-template-invocation:#1]",
                        "shop.SummarizerTest", "summarizes", "[1] ticket 7", "ticket 7", List.of("slow", "llm"),
                        TestStatus.PASSED, newer.plusSeconds(2), Duration.ofMillis(1_234).plusNanos(500_000),
                        null, List.of(summary, MISSING_TRACE)),
                result(NEWER_RUN, "shop.SummarizerTest", "needsAnApiKey", TestStatus.ABORTED, newer.plusSeconds(3),
                        "Assumption failed: OPENAI_API_KEY is not set", List.of())));
    }

    private static TestResult result(String runId, String testClass, String method, TestStatus status,
            Instant start, String message, List<String> traceIds) {
        return new TestResult(runId + "/" + testClass + "#" + method, runId,
                "[engine:junit-jupiter]/[class:" + testClass + "]/[method:" + method + "()]", testClass, method,
                method + "()", null, List.of(), status, start, Duration.ofMillis(250), message, traceIds);
    }

    private static String traceId(TraceStore store, String userId, String name) {
        return store.traces(TraceQuery.builder().userId(userId).name(name).build()).items().get(0).trace().id();
    }
}
