package dev.loupe.devserver;

import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;

/**
 * The methods the devserver answers. Each of its resources, an endpoint of the API or a file of the web UI, answers
 * the methods it has routes for (most only GET and HEAD; the ingestion endpoints POST) and OPTIONS: OPTIONS with 204
 * and the {@code Allow} header, and any other method with 405 and that header rather than 404, since the path is
 * right and only the method is wrong.
 */
final class AllowedMethods {

    /** The value of the {@code Allow} header for a resource that is only read. */
    static final String ALLOW = "GET, HEAD, OPTIONS";
    /** The value of the {@code Allow} header for a resource that is only written. */
    static final String ALLOW_POST = "POST, OPTIONS";
    /** The value of the {@code Allow} header for a resource that is read and written. */
    static final String ALLOW_ALL = "GET, HEAD, POST, OPTIONS";

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
        boolean readable = readable(ctx);
        boolean writable = javalin.internalRouter.hasHttpHandlerEntry(HandlerType.POST, ctx.path());
        if (!readable && !writable || readable && (method.equals("GET") || method.equals("HEAD"))
                || writable && method.equals("POST")) {
            return;
        }
        String allow = readable && writable ? ALLOW_ALL : writable ? ALLOW_POST : ALLOW;
        ctx.header(Header.ALLOW, allow);
        if (method.equals("OPTIONS")) {
            ctx.status(HttpStatus.NO_CONTENT).skipRemainingHandlers();
            ctx.res().setContentType(null);
            return;
        }
        throw ApiError.methodNotAllowed(method + " is not allowed on " + ctx.path() + ": use "
                + (writable && !readable ? "POST" : readable && !writable ? "GET" : "GET or POST")
                + " (this path answers " + allow + ")");
    }

    /**
     * Returns whether a GET of this path would be answered, by a route of the API or with a file of the web UI.
     * Javalin's own 405 ({@code prefer405over404}) knows only the routes, so its router and its static files are
     * asked here.
     */
    private boolean readable(Context ctx) {
        return javalin.internalRouter.hasHttpHandlerEntry(HandlerType.GET, ctx.path())
                || javalin.resourceHandler != null && javalin.resourceHandler.canHandle(ctx);
    }
}
