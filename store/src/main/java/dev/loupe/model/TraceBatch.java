package dev.loupe.model;

import java.io.Serializable;
import java.util.List;

/**
 * Trace, observation and score records written together: what the exporter hands to the store and to listeners.
 * Each record may be an update of one written before; the store merges it.
 *
 * @param traces       trace records
 * @param observations observation records
 * @param scores       score records
 */
public record TraceBatch(List<Trace> traces, List<Observation> observations, List<Score> scores)
        implements Serializable {

    /** Copies the lists. */
    public TraceBatch {
        traces = List.copyOf(traces);
        observations = List.copyOf(observations);
        scores = List.copyOf(scores);
    }

    /** Returns a batch of observations only. */
    public static TraceBatch ofObservations(List<Observation> observations) {
        return new TraceBatch(List.of(), observations, List.of());
    }

    /** Returns the number of records in the batch. */
    public int size() {
        return traces.size() + observations.size() + scores.size();
    }

    /** Returns whether the batch holds no record. */
    public boolean isEmpty() {
        return size() == 0;
    }
}
