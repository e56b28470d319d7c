package dev.loupe.store;

/**
 * Thrown when a store cannot be reached at all, for example while the process that hosted a shared file store has
 * gone away and no other process could take over yet. Nothing was written; the same write may succeed later.
 */
public final class StoreUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what was tried and what to do. */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
