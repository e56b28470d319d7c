package dev.loupe.model;

import java.util.List;

/**
 * A trace as a list shows it: its record, its figures and its scores, without the observation tree.
 *
 * @param trace  the trace record
 * @param stats  figures derived from its observations
 * @param scores all scores of the trace and of its observations
 */
public record TraceSummary(Trace trace, TraceStats stats, List<Score> scores) {

    /** Copies the scores. */
    public TraceSummary {
        scores = List.copyOf(scores);
    }
}
