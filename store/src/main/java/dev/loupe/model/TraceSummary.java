package dev.loupe.model;

import java.util.List;

/**
 * A trace as a list shows it: its record, its figures and its scores, without the observation tree; and, when the
 * list was a full-text search, the observations the text was found in.
 *
 * @param trace   the trace record
 * @param stats   figures derived from its observations
 * @param scores  all scores of the trace and of its observations
 * @param matches the observations a full-text search found its text in, in the order they started (empty when the
 *                list was no search, or the text was found in the trace's own fields only)
 */
public record TraceSummary(Trace trace, TraceStats stats, List<Score> scores, List<MatchedObservation> matches) {

    /** Copies the lists. */
    public TraceSummary {
        scores = List.copyOf(scores);
        matches = matches == null ? List.of() : List.copyOf(matches);
    }

    /** A summary of a list that was no search: no matches. */
    public TraceSummary(Trace trace, TraceStats stats, List<Score> scores) {
        this(trace, stats, scores, List.of());
    }
}
