package dev.loupe.devserver;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TestStatus;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Two test runs on branch main, an hour apart, and one on another branch, as the JUnit extension records them:
 * <ul>
 * <li>{@code answersRefunds()}: passed both times; in the later run its agent calls gpt-4o instead of gpt-4o-mini,
 *     with 60 more tokens, and also calls the tool {@code search_orders};</li>
 * <li>{@code answersShipping()}: passed, then failed, with the same tree;</li>
 * <li>{@code greets()}: passed both times, unchanged.</li>
 * </ul>
 */
final class SampleComparisons {

    static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");
    static final String EARLIER_RUN = "run-earlier";
    static final String LATER_RUN = "run-later";
    static final String OTHER_BRANCH_RUN = "run-other-branch";

    private SampleComparisons() {
    }

    static void recordInto(TraceStore store) {
        List<Trace> traces = new ArrayList<>();
        List<Observation> observations = new ArrayList<>();
        List<Score> scores = new ArrayList<>();
        List<TestResult> results = new ArrayList<>();
        run(EARLIER_RUN, "main", T0, false, traces, observations, scores, results);
        run(LATER_RUN, "main", T0.plus(Duration.ofHours(1)), true, traces, observations, scores, results);
        run(OTHER_BRANCH_RUN, "feature", T0.plus(Duration.ofMinutes(30)), true, traces, observations, scores,
                results);
        store.write(new TraceBatch(traces, observations, scores));
        store.testRuns().writeResults(results);
        store.testRuns().writeRun(new TestRun(EARLIER_RUN, T0, T0.plusSeconds(5), "aaaa1111", "main", 3, 0, 0, 0));
        store.testRuns().writeRun(new TestRun(LATER_RUN, T0.plus(Duration.ofHours(1)),
                T0.plus(Duration.ofHours(1)).plusSeconds(5), "bbbb2222", "main", 2, 1, 0, 0));
        store.testRuns().writeRun(new TestRun(OTHER_BRANCH_RUN, T0.plus(Duration.ofMinutes(30)),
                T0.plus(Duration.ofMinutes(30)).plusSeconds(5), "cccc3333", "feature", 3, 0, 0, 0));
    }

    /** Returns the id of a test's trace in a run, such as {@code run-later/answersRefunds}. */
    static String traceId(String runId, String test) {
        return runId + "/" + test;
    }

    private static void run(String runId, String branch, Instant start, boolean later, List<Trace> traces,
            List<Observation> observations, List<Score> scores, List<TestResult> results) {
        test(runId, start, "answersRefunds", TestStatus.PASSED, later ? "gpt-4o" : "gpt-4o-mini",
                later ? 160 : 100, later, traces, observations, scores, results);
        test(runId, start.plusSeconds(1), "answersShipping",
                later && branch.equals("main") ? TestStatus.FAILED : TestStatus.PASSED, "gpt-4o-mini", 80, false,
                traces, observations, scores, results);
        test(runId, start.plusSeconds(2), "greets", TestStatus.PASSED, "gpt-4o-mini", 20, false, traces,
                observations, scores, results);
    }

    private static void test(String runId, Instant start, String test, TestStatus status, String model, long tokens,
            boolean searches, List<Trace> traces, List<Observation> observations, List<Score> scores,
            List<TestResult> results) {
        String traceId = traceId(runId, test);
        traces.add(Trace.builder(traceId).name("support-agent").timestamp(start).build());
        observations.add(Observation.builder(traceId + "/root", traceId).type(ObservationType.AGENT)
                .name("support-agent").startTime(start).endTime(start.plusMillis(400)).build());
        observations.add(Observation.builder(traceId + "/answer", traceId).parentObservationId(traceId + "/root")
                .type(ObservationType.GENERATION).name("answer").model(model).startTime(start.plusMillis(10))
                .endTime(start.plusMillis(300)).usage(Usage.of(tokens - 10, 10)).build());
        if (searches) {
            observations.add(Observation.builder(traceId + "/search", traceId).parentObservationId(traceId + "/root")
                    .type(ObservationType.TOOL).name("search_orders").input("{\"order\":42}")
                    .startTime(start.plusMillis(310)).endTime(start.plusMillis(350)).build());
        }
        scores.add(Score.builder(traceId + "/passed", "test.passed").traceId(traceId)
                .value(status == TestStatus.PASSED).source("TEST").timestamp(start).build());
        results.add(new TestResult(runId + "/" + test, runId, "[engine:junit-jupiter]/[class:SupportAgentTest]/[method:"
                + test + "()]", "SupportAgentTest", test, test + "()", null, List.of(), status, start,
                Duration.ofMillis(400), status == TestStatus.FAILED ? "expected shipping in 3 days" : null,
                List.of(traceId)));
    }
}
