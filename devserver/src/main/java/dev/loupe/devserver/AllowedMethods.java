package dev.loupe.devserver;

import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;

/**
 * The methods the devserver answers. It only reads, so each of its resources, an endpoint of the API or a file of
 * the web UI, answers GET, HEAD and OPTIONS: OPTIONS with 204 and the {@code Allow} header, and any other method
 * with 405 and that header rather than 404, since the path is right and only the method is wrong.
 */
final class AllowedMethods {

    /** The value of the {@code Allow} header: the same for every resource. */
    static final String ALLOW = "GET, HEAD, OPTIONS";

    private final JavalinState javalin;

    AllowedMethods(JavalinState javalin) {
        this.javalin = javalin;
    }

    /**
     * Answers OPTIONS, and refuses other methods than GET and HEAD, on the paths that exist; everything else is left
     * to the routes (which answer 404 for a path that does not exist).
     *
     * @throws ApiError 405 naming the method and the methods to use
     */
    void check(Context ctx) {
        String method = ctx.method().name();
        if (method.equals("GET") || method.equals("HEAD") || !exists(ctx)) {
            return;
        }
        ctx.header(Header.ALLOW, ALLOW);
        if (method.equals("OPTIONS")) {
            ctx.status(HttpStatus.NO_CONTENT).skipRemainingHandlers();
            ctx.res().setContentType(null);
            return;
        }
        throw ApiError.methodNotAllowed(method + " is not allowed on " + ctx.path()
                + ": the devserver only reads, so use GET (this path answers " + ALLOW + ")");
    }

    /**
     * Returns whether a GET of this path would be answered, by a route of the API or with a file of the web UI.
     * Javalin's own 405 ({@code prefer405over404}) knows only the routes, so its router and its static files are
     * asked here.
     */
    private boolean exists(Context ctx) {
        return javalin.internalRouter.hasHttpHandlerEntry(HandlerType.GET, ctx.path())
                || javalin.resourceHandler != null && javalin.resourceHandler.canHandle(ctx);
    }
}
