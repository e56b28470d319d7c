package dev.loupe.devserver;

import io.javalin.http.Context;
import io.javalin.http.Header;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

/**
 * The API keys a devserver asks for, as Langfuse does: HTTP Basic authentication with the public key as the user
 * name and the secret key as the password. Without keys every request is served (Langfuse's SDKs send some keys
 * anyway, and any are accepted); with keys, a request to the API without those exact credentials is answered 401.
 *
 * @param publicKey the public key, such as {@code pk-lf-local}, or null for none
 * @param secretKey the secret key, or null for none
 */
record ApiKeys(String publicKey, String secretKey) {

    /** No keys: every request is served. */
    static final ApiKeys NONE = new ApiKeys(null, null);

    /**
     * The paths that need the keys: the API (but its health check, which load balancers and scripts call without
     * keys, as Langfuse's does) and the OpenTelemetry receiver's {@code /v1/...}. The web UI's files need none.
     */
    private static final List<String> PROTECTED_PREFIXES = List.of("/api/", "/v1/");
    private static final String OPEN_PATH = "/api/public/health";

    /** Checks that both keys are given or neither. */
    ApiKeys {
        if ((publicKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException(publicKey == null
                    ? "--secret-key was given without --public-key: give both, or neither to accept any keys"
                    : "--public-key was given without --secret-key: give both, or neither to accept any keys");
        }
        if (publicKey != null && (publicKey.isBlank() || secretKey.isBlank())) {
            throw new IllegalArgumentException((publicKey.isBlank() ? "--public-key" : "--secret-key")
                    + " is empty: give the key, such as pk-lf-local");
        }
    }

    /** Returns whether keys are asked for. */
    boolean required() {
        return publicKey != null;
    }

    /**
     * Lets the request through when it needs no keys or carries the right ones.
     *
     * @throws ApiError 401 saying which credentials to send, with a {@code WWW-Authenticate} header
     */
    void check(Context ctx) {
        if (!required() || !isProtected(ctx.path())) {
            return;
        }
        String header = ctx.header(Header.AUTHORIZATION);
        String problem;
        if (header == null) {
            problem = "The request has no Authorization header";
        } else if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            problem = "The request's Authorization header is not Basic authentication";
        } else if (!matches(header.substring(6).trim())) {
            problem = "The request's Basic credentials are not this devserver's keys";
        } else {
            return;
        }
        ctx.header(Header.WWW_AUTHENTICATE, "Basic realm=\"Loupe devserver\", charset=\"UTF-8\"");
        throw ApiError.unauthorized(problem + ": send the keys the devserver was started with (--public-key as the "
                + "user name, --secret-key as the password), as Langfuse SDKs do with LANGFUSE_PUBLIC_KEY and "
                + "LANGFUSE_SECRET_KEY");
    }

    /** Shows whether keys are set and the public key, never the secret one. */
    @Override
    public String toString() {
        return required() ? "ApiKeys[publicKey=" + publicKey + ", secretKey=***]" : "ApiKeys[none]";
    }

    private boolean matches(String encoded) {
        byte[] given;
        try {
            given = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        byte[] expected = (publicKey + ":" + secretKey).getBytes(StandardCharsets.UTF_8);
        // Compared in constant time, so that the answer's timing does not reveal how much of a guess was right.
        return MessageDigest.isEqual(given, expected);
    }

    private static boolean isProtected(String path) {
        return !path.equals(OPEN_PATH) && PROTECTED_PREFIXES.stream().anyMatch(path::startsWith);
    }
}
