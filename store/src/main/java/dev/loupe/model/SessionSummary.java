package dev.loupe.model;

import java.time.Instant;
import java.util.List;

/**
 * A session (one conversation of several traces) as a list shows it.
 *
 * @param id         the session id
 * @param traceCount how many traces belong to it
 * @param firstTrace when its first trace began
 * @param lastTrace  when its last trace began
 * @param userIds    the users its traces ran for
 */
public record SessionSummary(String id, long traceCount, Instant firstTrace, Instant lastTrace, List<String> userIds) {

    /** Copies the user ids. */
    public SessionSummary {
        userIds = List.copyOf(userIds);
    }
}
