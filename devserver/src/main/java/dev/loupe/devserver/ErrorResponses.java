package dev.loupe.devserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every error answer of the devserver the documented JSON {@code {"message": ...}}, whoever gives it: the
 * API refusing a request ({@link ApiError}), Javalin finding no route or a handler failing, and Jetty rejecting a
 * request before Javalin sees it (a malformed request line, path, percent escape or header; a URI or headers too
 * large; an HTTP version it does not speak). The texts of these messages are all here.
 */
final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private static final String JSON = "application/json";
    private static final String WHERE_THINGS_ARE = "the web UI is at / and the REST API under /api/public/";

    private ErrorResponses() {
    }

    /** Installs the error handling on a Javalin being configured, and on the Jetty server under it. */
    static void install(JavalinConfig config) {
        config.routes.exception(ApiError.class, (error, ctx) -> answer(ctx, error.status(), error.getMessage()));
        // Javalin's own refusals, such as "no route": its default answer is text or HTML depending on Accept.
        config.routes.exception(HttpResponseException.class,
                (error, ctx) -> answer(ctx, error.getStatus(), javalinMessage(ctx, error)));
        config.routes.exception(Exception.class, (failure, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), failure);
            answer(ctx, 500, failed(failure));
        });
        // An Error (StackOverflowError, say) bypasses the exception handlers; Javalin's default leaves the body empty.
        config.router.javaLangErrorHandler((response, error) -> {
            LOG.error("A request failed", error);
            answer(response, 500, failed(error));
        });
        JsonErrorHandler jettyErrors = new JsonErrorHandler();
        config.jetty.modifyServer(server -> server.setErrorHandler(jettyErrors));
        config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(jettyErrors));
    }

    /** Returns the message for a request that no route or file answers. */
    private static String notFound(String method, String path) {
        if (path.startsWith("/api/")) {
            return "No endpoint " + method + " " + path
                    + ": see /api/public/traces, /observations, /sessions, /scores and /test-runs";
        }
        return "Nothing at " + path + ": " + WHERE_THINGS_ARE;
    }

    /**
     * Returns the message for an error status that Jetty or Javalin gives, with the reason they give when it says
     * more than the status itself, and what to do about it.
     */
    private static String forStatus(int status, String reason) {
        String detail = saysMoreThanTheStatus(status, reason) ? " (" + reason + ")" : "";
        return switch (status) {
            case 400 -> "The request is malformed" + detail + ": send an HTTP/1.1 request with a Host header, and "
                    + "percent-encode its path and query as UTF-8, such as /api/public/traces?name=my%20agent";
            case 404 -> "Nothing here" + detail + ": " + WHERE_THINGS_ARE;
            case 414 -> "The request's URI is too long" + detail + ": shorten its path and query";
            case 431 -> "The request's headers are too large" + detail + ": send fewer or shorter headers";
            case 505 -> "The request's HTTP version is not supported" + detail + ": use HTTP/1.1";
            default -> status >= 500
                    ? "The devserver failed to answer" + detail + ". The devserver's log has the details."
                    : "The request was refused: " + status + " " + HttpStatus.getMessage(status) + detail;
        };
    }

    private static boolean saysMoreThanTheStatus(int status, String reason) {
        return reason != null && !reason.isBlank() && !reason.equalsIgnoreCase(HttpStatus.getMessage(status));
    }

    private static String javalinMessage(Context ctx, HttpResponseException error) {
        return error.getStatus() == 404 ? notFound(ctx.method().name(), ctx.path())
                : forStatus(error.getStatus(), error.getMessage());
    }

    private static String failed(Throwable failure) {
        return "The devserver failed to answer: " + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage())
                + ". The devserver's log has the details.";
    }

    private static void answer(Context ctx, int status, String message) {
        ctx.status(status).json(ApiJson.error(message));
    }

    private static void answer(HttpServletResponse response, int status, String message) {
        if (response.isCommitted()) {
            return;
        }
        try {
            response.resetBuffer();
            response.setStatus(status);
            response.setContentType(JSON);
            response.getOutputStream().write(body(message));
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    private static byte[] body(String message) {
        try {
            return ApiJson.MAPPER.writeValueAsBytes(ApiJson.error(message));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Jetty's error handler, for what Jetty refuses before the request reaches Javalin (and for errors the servlet
     * container reports itself): the same JSON as the API's errors, whatever the request's method or Accept header.
     */
    static final class JsonErrorHandler extends ErrorHandler {

        /** Answers every method with a body; Jetty itself leaves the body out of an answer to HEAD. */
        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        /** Writes {@code {"message": ...}} in place of Jetty's HTML, JSON or text page. */
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                Callback callback) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.write(true, ByteBuffer.wrap(body(forStatus(code, reason(code, message, cause)))), callback);
        }

        /**
         * Returns Jetty's reason for the error; where that is only the status's name (a parser failure is "Bad
         * Request"), what went wrong underneath, such as a malformed percent escape.
         */
        private static String reason(int code, String message, Throwable cause) {
            if (saysMoreThanTheStatus(code, message) || cause == null || cause.getCause() == null) {
                return message;
            }
            Throwable underneath = cause.getCause();
            while (underneath.getCause() != null && underneath.getCause() != underneath) {
                underneath = underneath.getCause();
            }
            // Jetty's percent decoding fails with "!hex z" and the like.
            return underneath instanceof NumberFormatException ? "a malformed percent escape"
                    : underneath.getMessage();
        }
    }
}
