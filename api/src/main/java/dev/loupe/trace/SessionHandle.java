package dev.loupe.trace;


/** Scores a session (a conversation of several traces) as a whole: {@code tracer.session(id).score("resolved", true)}. */
public final class SessionHandle extends Scorable<SessionHandle> {

    private final Tracer tracer;
    private final String sessionId;

    SessionHandle(Tracer tracer, String sessionId) {
        this.tracer = tracer;
        this.sessionId = sessionId;
    }

    /** Returns the session id. */
    public String id() {
        return sessionId;
    }

    @Override
    SessionHandle addScore(String name, Object value, String comment) {
        if (tracer != null && sessionId != null) {
            tracer.recordScore(null, null, sessionId, name, value, comment);
        }
        return this;
    }
}
