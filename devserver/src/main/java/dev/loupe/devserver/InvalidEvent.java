package dev.loupe.devserver;

/**
 * One event of an ingestion batch that cannot be stored: its message names the offending field and value and says
 * what to send instead. The batch's other events are stored all the same.
 */
final class InvalidEvent extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidEvent(String message) {
        super(message, null, false, false);
    }
}
