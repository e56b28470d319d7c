package dev.loupe.store;

import java.time.Instant;

/**
 * Which sessions to list, most recently active first.
 *
 * @param userId only sessions with a trace of this user
 * @param from   only sessions with a trace that began at or after this instant
 * @param to     only sessions with a trace that began before this instant
 * @param page   the page, from 1
 * @param limit  the page size, 1 to 1000
 */
public record SessionQuery(String userId, Instant from, Instant to, int page, int limit) {

    /** Checks the paging and the time range. */
    public SessionQuery {
        Paging.page(page);
        Paging.limit(limit);
        Paging.range("time", from, to, from != null && to != null && from.isAfter(to));
    }

    /** Returns the first page of all sessions. */
    public static SessionQuery all() {
        return new SessionQuery(null, null, null, 1, Paging.DEFAULT_LIMIT);
    }

    /** Returns this query for another page. */
    public SessionQuery page(int number, int size) {
        return new SessionQuery(userId, from, to, number, size);
    }

    /** Returns this query restricted to sessions of this user. */
    public SessionQuery userId(String user) {
        return new SessionQuery(user, from, to, page, limit);
    }

    /** Returns this query restricted to sessions with a trace in the time range. */
    public SessionQuery between(Instant fromInclusive, Instant toExclusive) {
        return new SessionQuery(userId, fromInclusive, toExclusive, page, limit);
    }
}
