package dev.loupe.store;

import java.time.Instant;

/**
 * Which sessions to list, most recently active first. Start from {@link #all()} and narrow it down.
 *
 * @param userId only sessions with a trace of this user
 * @param from   only sessions with a trace that began at or after this instant
 * @param to     only sessions with a trace that began before this instant
 * @param page   which page, and whether to count all matches
 */
public record SessionQuery(String userId, Instant from, Instant to, PageRequest page) {

    /** Checks the time range; no page means the first. */
    public SessionQuery {
        page = page == null ? PageRequest.first() : page;
        Paging.range("time", from, to, from != null && to != null && from.isAfter(to));
    }

    /** Returns the first page of all sessions. */
    public static SessionQuery all() {
        return new SessionQuery(null, null, null, PageRequest.first());
    }

    /** Returns this query for another page. */
    public SessionQuery page(PageRequest request) {
        return new SessionQuery(userId, from, to, request);
    }

    /** Returns this query restricted to sessions of this user. */
    public SessionQuery userId(String user) {
        return new SessionQuery(user, from, to, page);
    }

    /** Returns this query restricted to sessions with a trace in the time range. */
    public SessionQuery between(Instant fromInclusive, Instant toExclusive) {
        return new SessionQuery(userId, fromInclusive, toExclusive, page);
    }
}
