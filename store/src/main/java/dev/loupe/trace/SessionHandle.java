package dev.loupe.trace;

import dev.loupe.model.Score;
import java.util.function.UnaryOperator;

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
    SessionHandle addScore(String name, UnaryOperator<Score.Builder> value) {
        if (tracer != null && sessionId != null) {
            tracer.recordScore(name, value, builder -> builder.sessionId(sessionId));
        }
        return this;
    }
}
