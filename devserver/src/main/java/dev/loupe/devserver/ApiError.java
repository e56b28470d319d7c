package dev.loupe.devserver;

/** A request the API refuses, with the HTTP status and the message the caller reads in {@code {"message": ...}}. */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    private ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** A bad parameter: the message names it and says what is expected. */
    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    /** An id that names nothing stored. */
    static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    /** A method the path does not answer; the caller sets the {@code Allow} header. */
    static ApiError methodNotAllowed(String message) {
        return new ApiError(405, message);
    }

    /** A request this server does not answer for the caller. */
    static ApiError forbidden(String message) {
        return new ApiError(403, message);
    }

    /** Credentials missing or wrong; the caller sets the {@code WWW-Authenticate} header. */
    static ApiError unauthorized(String message) {
        return new ApiError(401, message);
    }

    /** A request body larger than the endpoint takes. */
    static ApiError payloadTooLarge(String message) {
        return new ApiError(413, message);
    }

    /** A request body of a media type the endpoint does not read. */
    static ApiError unsupportedMediaType(String message) {
        return new ApiError(415, message);
    }

    /** Records that were accepted but could not be written; the client may retry. */
    static ApiError unavailable(String message) {
        return new ApiError(503, message);
    }

    int status() {
        return status;
    }
}
