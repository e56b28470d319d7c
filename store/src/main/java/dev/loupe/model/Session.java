package dev.loupe.model;

import java.util.List;

/**
 * One session with its traces in the order they began, and the scores given to the session itself.
 *
 * @param summary the session's figures
 * @param traces  its traces, oldest first
 * @param scores  scores of the session as a whole
 */
public record Session(SessionSummary summary, List<TraceSummary> traces, List<Score> scores) {

    /** Copies the lists. */
    public Session {
        traces = List.copyOf(traces);
        scores = List.copyOf(scores);
    }

    /** Returns the session id. */
    public String id() {
        return summary.id();
    }
}
