package dev.loupe.trace;

/**
 * The work done inside an observation: it receives the observation's handle and returns a result, which becomes the
 * observation's output when none was set.
 *
 * @param <H> the handle type, such as {@link Span} or {@link Generation}
 * @param <T> the result type
 * @param <E> the checked exception the work may throw; inferred, and passed on unchanged
 */
@FunctionalInterface
public interface ObservationBody<H, T, E extends Throwable> {

    /** Does the work. */
    T apply(H handle) throws E;
}
