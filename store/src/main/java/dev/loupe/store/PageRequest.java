package dev.loupe.store;

/**
 * Which page of a list to return, and whether to count every match: the one paging parameter of every list the store
 * answers ({@link TraceQuery}, {@link ObservationQuery}, {@link SessionQuery}, {@link ScoreQuery} and
 * {@link TestRunStore#runs}). Pages are numbered from 1 and hold 1 to {@value #MAX_LIMIT} items.
 *
 * @param page       the page, from 1
 * @param limit      the page size, 1 to {@value #MAX_LIMIT}
 * @param countTotal whether to count all matches for {@link Page#totalItems()}; counting reads every match, so a
 *                   caller that needs only the page (the next page exists when this one is full) can skip it
 */
public record PageRequest(int page, int limit, boolean countTotal) {

    /** The largest page a list may ask for. */
    public static final int MAX_LIMIT = Paging.MAX_LIMIT;
    /** The page size of {@link #first()}. */
    public static final int DEFAULT_LIMIT = Paging.DEFAULT_LIMIT;

    /**
     * Checks the page number and size.
     *
     * @throws IllegalArgumentException naming the value when the page is below 1 or the size is not 1 to 1000
     */
    public PageRequest {
        Paging.page(page);
        Paging.limit(limit);
    }

    /** Returns the first page of {@value #DEFAULT_LIMIT} items, with the total counted: a list's default. */
    public static PageRequest first() {
        return first(DEFAULT_LIMIT);
    }

    /**
     * Returns the first page of this many items, with the total counted.
     *
     * @throws IllegalArgumentException naming the value when the size is not 1 to 1000
     */
    public static PageRequest first(int limit) {
        return of(1, limit);
    }

    /**
     * Returns this page of this many items, with the total counted.
     *
     * @throws IllegalArgumentException naming the value when the page is below 1 or the size is not 1 to 1000
     */
    public static PageRequest of(int page, int limit) {
        return new PageRequest(page, limit, true);
    }

    /** Returns the same page without the total: {@link Page#totalItems()} is then -1. */
    public PageRequest withoutTotal() {
        return new PageRequest(page, limit, false);
    }

    /** Returns the page after this one, of the same size. */
    public PageRequest next() {
        return new PageRequest(page + 1, limit, countTotal);
    }

    /** Returns how many items come before this page. */
    public long offset() {
        return (long) (page - 1) * limit;
    }
}
