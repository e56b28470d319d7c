package dev.loupe.store;

/** Checks paging and ranges for every query, so that each mistake is reported with the same message everywhere. */
final class Paging {

    /** The largest page a query may ask for. */
    static final int MAX_LIMIT = 1_000;
    /** The page size when a query does not say. */
    static final int DEFAULT_LIMIT = 50;

    private Paging() {
    }

    static void page(int page) {
        if (page < 1) {
            throw new IllegalArgumentException("page is " + page + ": pages are numbered from 1");
        }
    }

    static void limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit is " + limit + ": ask for 1 to " + MAX_LIMIT
                    + " results per page");
        }
    }

    static void range(String what, Object from, Object to, boolean reversed) {
        if (reversed) {
            throw new IllegalArgumentException(what + " range is empty: from " + from + " is after to " + to);
        }
    }
}
