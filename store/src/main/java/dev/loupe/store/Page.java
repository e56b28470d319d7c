package dev.loupe.store;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a query's results, with the total count, shaped like Langfuse's paginated responses.
 *
 * @param items      the results on this page
 * @param page       the page number, from 1
 * @param limit      the page size asked for
 * @param totalItems how many results the query has on all pages, or -1 when the query asked not to count them
 *                   ({@link PageRequest#withoutTotal()})
 * @param <T>        the result type
 */
public record Page<T>(List<T> items, int page, int limit, long totalItems) {

    /** Copies the items. */
    public Page {
        items = List.copyOf(items);
    }

    /** Returns the page a request asked for: these items, of a query with this many results (-1: not counted). */
    public static <T> Page<T> of(List<T> items, PageRequest request, long totalItems) {
        return new Page<>(items, request.page(), request.limit(), totalItems);
    }

    /** Returns how many pages the query has, or -1 when the results were not counted. */
    public long totalPages() {
        if (totalItems < 0) {
            return -1;
        }
        return limit == 0 ? 0 : (totalItems + limit - 1) / limit;
    }

    /** Returns whether the results were counted, that is whether {@link #totalItems()} is known. */
    public boolean isCounted() {
        return totalItems >= 0;
    }

    /** Returns the same page with each item transformed. */
    public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
        return new Page<>(items.stream().<R>map(mapper).toList(), page, limit, totalItems);
    }
}
