package dev.loupe.fakellm;

import java.time.Duration;
import java.util.Objects;

/**
 * A scripted error answer in OpenAI's shape ({@code {"error": {"message", "type", "param", "code"}}}) with its HTTP
 * status, for example a 429 with {@code Retry-After} or a 500. Created by {@link FakeLlm#fail(int)} and already queued;
 * refine it before the application sends the request it answers.
 */
public final class ScriptedError implements Step {

    private final int status;
    private volatile String message;
    private volatile String type;
    private volatile String code;
    private volatile Duration retryAfter;
    private volatile int times = 1;

    ScriptedError(int status) {
        this.status = status;
        switch (status) {
            case 429 -> {
                message = "Rate limit reached for requests. Please try again later.";
                type = "requests";
                code = "rate_limit_exceeded";
            }
            case 401 -> {
                message = "Incorrect API key provided.";
                type = "invalid_request_error";
                code = "invalid_api_key";
            }
            case 400, 404, 422 -> {
                message = "The request was invalid.";
                type = "invalid_request_error";
            }
            default -> {
                message = "The server had an error while processing your request. Sorry about that!";
                type = "server_error";
            }
        }
    }

    /** Sets the error's message. */
    public ScriptedError message(String text) {
        this.message = Objects.requireNonNull(text, "text");
        return this;
    }

    /** Sets the error's {@code type} and {@code code} fields. */
    public ScriptedError type(String errorType, String errorCode) {
        this.type = Objects.requireNonNull(errorType, "errorType");
        this.code = errorCode;
        return this;
    }

    /** Adds a {@code Retry-After} header (whole seconds, rounded up), as OpenAI sends with a 429. */
    public ScriptedError retryAfter(Duration wait) {
        if (wait == null || wait.isNegative()) {
            throw new IllegalArgumentException("retryAfter must be zero or positive, but was " + wait);
        }
        this.retryAfter = wait;
        return this;
    }

    /** Serves this error to the next {@code count} chat requests instead of one, for example to use up retries. */
    public ScriptedError times(int count) {
        this.times = Step.checkedTimes(count);
        return this;
    }

    @Override
    public int times() {
        return times;
    }

    int status() {
        return status;
    }

    String message() {
        return message;
    }

    String type() {
        return type;
    }

    String code() {
        return code;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
