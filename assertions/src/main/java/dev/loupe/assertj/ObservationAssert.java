package dev.loupe.assertj;

import dev.loupe.model.Observation;

/**
 * Assertions on one observation of any type, reached with {@code assertThat(tree).observation(name)} or
 * {@code observationAtPath(path)}: level and status, input and output, place in the tree, order and scores.
 */
// Not final: AssertJ's soft assertions subclass it (a proxy) to collect its failures.
public class ObservationAssert extends AbstractObservationAssert<ObservationAssert, Observation> {

    /** Creates the assertion on an observation on its own; prefer navigating from {@code assertThat(tree)}. */
    public ObservationAssert(Observation actual) {
        super(actual, ObservationAssert.class);
    }
}
