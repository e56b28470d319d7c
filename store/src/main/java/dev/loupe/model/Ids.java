package dev.loupe.model;

/** Checks the ids that records carry. */
final class Ids {

    /** The longest id the store accepts; Langfuse SDKs send UUIDs, OpenTelemetry sends 16 or 32 hex digits. */
    static final int MAX_LENGTH = 800;

    private Ids() {
    }

    static String require(String id, String what) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(what + " is missing: every " + what.split(" ")[0]
                    + " needs a non-blank id (the tracer makes one when you supply none)");
        }
        return check(id, what);
    }

    static String check(String id, String what) {
        if (id != null && id.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " '" + id.substring(0, 40) + "...' is " + id.length()
                    + " characters long; ids may have at most " + MAX_LENGTH + " characters");
        }
        return id;
    }
}
