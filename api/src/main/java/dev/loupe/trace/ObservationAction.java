package dev.loupe.trace;

/**
 * Work without a result done inside an observation. It takes no handle so that a one-line lambda never looks like an
 * {@link ObservationBody}; reach the handle with {@link Tracer#currentObservation()} when needed.
 *
 * @param <E> the checked exception the work may throw; inferred, and passed on unchanged
 */
@FunctionalInterface
public interface ObservationAction<E extends Throwable> {

    /** Does the work. */
    void run() throws E;
}
