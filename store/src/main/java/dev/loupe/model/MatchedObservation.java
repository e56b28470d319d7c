package dev.loupe.model;

import dev.loupe.trace.ObservationType;

/**
 * An observation of a trace that a full-text search found the text in, so that a list can name it and a viewer can
 * jump to it.
 *
 * @param id   the observation's id
 * @param name its name, or null
 * @param type its type
 */
public record MatchedObservation(String id, String name, ObservationType type) {
}
