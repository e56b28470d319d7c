package dev.loupe.junit;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.TraceTree;
import java.time.Duration;
import java.util.List;

/**
 * The traces captured during the current test: those begun on the test's thread, or on threads that carry its
 * {@link dev.loupe.trace.TraceContext}. Inject it as a parameter of a test or lifecycle method, declare a field of
 * this type, or call {@link #current()}.
 *
 * <p>Each method first waits until the tracer has exported what was recorded before the call, so a trace that ended
 * before the call is complete in the result. Observations still running are included as open (no end time).
 */
public interface CapturedTraces {

    /**
     * Returns the traces captured by the test running on this thread (or by a thread carrying its context).
     *
     * @throws IllegalStateException when no test is capturing on this thread, saying how to fix it
     */
    static CapturedTraces current() {
        TestCapture capture = CaptureRouter.currentCapture();
        if (capture == null) {
            throw new IllegalStateException("No test is capturing traces on this thread: register the extension "
                    + "with @ExtendWith(TraceCapture.class), and carry the test's context to other threads with "
                    + "TraceContext.propagating(executor) or TraceContext.current().wrap(task)");
        }
        return capture;
    }

    /** Returns every captured trace, in the order they began. */
    List<TraceTree> all();

    /**
     * Returns the only captured trace.
     *
     * @throws AssertionError when there is none or more than one, listing what was captured
     */
    TraceTree single();

    /**
     * Returns the only captured trace with this name.
     *
     * @throws AssertionError when there is none or more than one, listing what was captured
     */
    TraceTree single(String name);

    /** Returns the captured traces with this name, in the order they began. */
    List<TraceTree> named(String name);

    /** Returns how many traces were captured. */
    int count();

    /** Returns the names of the captured traces, in the order they began. */
    List<String> names();

    /** Returns the observations begun in this test that have not ended yet. */
    List<Observation> openObservations();

    /**
     * Returns the scores of sessions alone ({@code tracer.session(id).score(...)}) that this test recorded: they
     * belong to no trace, so no trace tree holds them.
     */
    List<Score> sessionScores();

    /**
     * Waits until at least this many captured traces have ended (for work on other threads), and returns all
     * captured traces.
     *
     * @throws AssertionError when fewer had ended within the timeout, listing what was captured
     */
    List<TraceTree> awaitAtLeast(int traces, Duration timeout);

    /**
     * Waits until every observation begun in this test has ended, and returns all captured traces.
     *
     * @throws AssertionError when some are still open after the timeout, listing each (type, name, path in its tree)
     */
    List<TraceTree> awaitCompleted(Duration timeout);
}
