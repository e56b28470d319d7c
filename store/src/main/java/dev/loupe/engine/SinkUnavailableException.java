package dev.loupe.engine;

/**
 * Thrown by a {@link RecordSink} that cannot take any record now (its store or server cannot be reached, even after
 * the sink's own retries): the writer counts the whole batch as failed at once instead of trying its records one by
 * one.
 */
public final class SinkUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message says what was tried. */
    public SinkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
