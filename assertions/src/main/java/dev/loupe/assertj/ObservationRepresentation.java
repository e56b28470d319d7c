package dev.loupe.assertj;

import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import org.assertj.core.presentation.StandardRepresentation;

/** Shows observations in AssertJ's own messages by type, name and path instead of every field of the record. */
final class ObservationRepresentation extends StandardRepresentation {

    private final TraceTree tree;

    ObservationRepresentation(TraceTree tree) {
        this.tree = tree;
    }

    /** Returns an observation as {@code TOOL search_docs at agent > search_docs}, anything else as AssertJ does. */
    @Override
    public String toStringOf(Object object) {
        if (object instanceof Observation observation) {
            return LoupeErrors.label(observation) + " at " + LoupeErrors.path(tree, observation);
        }
        return super.toStringOf(object);
    }
}
