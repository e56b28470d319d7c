package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.OBSERVATIONS;
import static dev.loupe.store.internal.generated.Tables.TRACES;

import dev.loupe.model.MatchedObservation;
import dev.loupe.model.Observation;
import dev.loupe.model.Trace;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceOrder;
import dev.loupe.store.internal.generated.tables.records.TracesRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.OrderField;
import org.jooq.impl.DSL;

/**
 * Full-text search over the {@link SearchIndex}, for trace lists and observation lists.
 *
 * <p>Newest first (the lists' usual order), a trace search reads the traces that hold the query's longest exact word
 * from the index, in list order, a chunk at a time; checks each chunk's traces against the other words (reading the
 * index rows of the chunk's time) and the other filters; and stops when the page is full. Its cost follows the page,
 * not the store. In any other order, or when every term is a prefix, it finds all matches and sorts them. The index
 * holds the words of each trace (its own and all its observations'): a phrase is first found as a trace that holds
 * all its words, then confirmed on the text of its fields by {@link SearchText}; the observations that hold the text
 * are found by reading the observations of the listed traces.
 */
final class TraceSearch {

    /** Index rows read per step of a newest-first search. */
    private static final int CHUNK = 128;
    /** The most matched observations named per listed trace. */
    static final int MAX_MATCHES_PER_TRACE = 50;
    /** The most observations of one trace read to find the matching ones, in the order they started. */
    static final int MAX_OBSERVATIONS_READ = 10_000;

    private final DSLContext sql;
    private final SearchIndex index;

    TraceSearch(DSLContext sql) {
        this.sql = sql;
        this.index = new SearchIndex(sql);
    }

    /**
     * One page of a trace search.
     *
     * @param rows    the page's trace rows, in list order
     * @param total   all matches, or -1 when not counted
     * @param matches the observations the text was found in, by trace id
     */
    record Result(List<TracesRecord> rows, long total, Map<String, List<MatchedObservation>> matches) {
    }

    /** Returns the page of traces that match the search and the other filters, in the given order. */
    Result traces(SearchQuery search, Condition filters, TraceOrder order, List<OrderField<?>> orderBy,
            PageRequest page) {
        List<String> exact = search.exactWords();
        List<TracesRecord> rows;
        long total;
        if (order == TraceOrder.TIMESTAMP_DESC && !exact.isEmpty()) {
            String driver = exact.stream().max(Comparator.comparingInt(String::length)).orElseThrow();
            // One word and no other filter: the index counts the matches, without reading the traces.
            boolean indexCounts = search.terms().size() == 1 && !search.hasPhrase()
                    && filters.equals(DSL.noCondition());
            List<TracesRecord> found = newestFirst(search, driver, filters,
                    page.countTotal() && !indexCounts ? Long.MAX_VALUE : page.offset() + page.limit());
            total = !page.countTotal() ? -1
                    : indexCounts ? index.allHolding(search.terms().get(0), driver).size() : found.size();
            rows = slice(found, page);
        } else {
            Condition where = filters.and(among(TRACES.ID, tracesHoldingEveryWord(search)));
            if (!search.hasPhrase()) {
                total = page.countTotal() ? sql.fetchCount(TRACES, where) : -1;
                rows = sql.selectFrom(TRACES).where(where).orderBy(orderBy)
                        .limit(page.limit()).offset(page.offset()).fetch();
            } else {
                List<String> ids = sql.select(TRACES.ID).from(TRACES).where(where).orderBy(orderBy).fetch(TRACES.ID);
                List<String> confirmed = withPhrases(search, ids);
                total = page.countTotal() ? confirmed.size() : -1;
                rows = inOrder(slice(confirmed, page));
            }
        }
        return new Result(rows, total, matches(search, rows.stream().map(TracesRecord::getId).toList()));
    }

    private static <T> List<T> slice(List<T> all, PageRequest page) {
        int from = (int) Math.min(all.size(), page.offset());
        return all.subList(from, Math.min(all.size(), from + page.limit()));
    }

    /**
     * Reads the traces that hold the driver word newest first, a chunk at a time, and keeps those that hold the other
     * words and match the filters, until {@code wanted} are found or the index has no more.
     */
    private List<TracesRecord> newestFirst(SearchQuery search, String driver, Condition filters, long wanted) {
        List<TracesRecord> found = new ArrayList<>();
        SearchIndex.Cursor cursor = index.newestFirst(driver);
        while (found.size() < wanted) {
            List<SearchIndex.Posting> chunk = cursor.next(CHUNK);
            if (chunk.isEmpty()) {
                break;
            }
            List<SearchIndex.Posting> candidates = new ArrayList<>(chunk);
            for (Map.Entry<SearchQuery.Term, String> other : wordsBut(search, driver)) {
                Set<String> held = index.holding(other.getKey(), other.getValue(), candidates);
                candidates.removeIf(candidate -> !held.contains(candidate.traceId()));
            }
            Map<String, TracesRecord> matching = new HashMap<>();
            for (List<SearchIndex.Posting> some : TraceWriter.inLists(candidates)) {
                List<String> ids = some.stream().map(SearchIndex.Posting::traceId).toList();
                for (var row : sql.selectFrom(TRACES).where(filters).and(TRACES.ID.in(ids)).fetch()) {
                    matching.put(row.getId(), row);
                }
            }
            List<String> kept = candidates.stream().map(SearchIndex.Posting::traceId).filter(matching::containsKey)
                    .toList();
            for (String id : search.hasPhrase() ? withPhrases(search, kept) : kept) {
                found.add(matching.get(id));
            }
            if (chunk.size() < CHUNK) {
                break;
            }
        }
        return found;
    }

    /** Returns each word and prefix of the search with its term, once each, but the exact word already known. */
    private static List<Map.Entry<SearchQuery.Term, String>> wordsBut(SearchQuery search, String known) {
        List<Map.Entry<SearchQuery.Term, String>> words = new ArrayList<>();
        Set<String> done = new HashSet<>();
        if (known != null) {
            done.add(known);
        }
        for (SearchQuery.Term term : search.terms()) {
            for (String word : term.words()) {
                if (done.add((term.prefix() ? "*" : "") + word)) {
                    words.add(Map.entry(term, word));
                }
            }
        }
        return words;
    }

    /** Returns the ids of all traces that hold every word and prefix of the search. */
    Set<String> tracesHoldingEveryWord(SearchQuery search) {
        Set<String> held = null;
        for (Map.Entry<SearchQuery.Term, String> word : wordsBut(search, null)) {
            Set<String> holding = index.allHolding(word.getKey(), word.getValue());
            if (held == null) {
                held = holding;
            } else {
                held.retainAll(holding);
            }
            if (held.isEmpty()) {
                break;
            }
        }
        return held == null ? Set.of() : held;
    }

    /** Returns whether the trace that started then holds every word and prefix of the search. */
    boolean holdsEveryWord(SearchQuery search, Instant start, String traceId) {
        List<SearchIndex.Posting> trace = List.of(SearchIndex.Posting.of(start, traceId));
        return wordsBut(search, null).stream()
                .allMatch(word -> !index.holding(word.getKey(), word.getValue(), trace).isEmpty());
    }

    /**
     * The condition that the column's value is one of these ids, bound as one array parameter ({@code = ANY(?)}),
     * which H2 looks up id by id in the column's index. (A subquery over the array, {@code IN (SELECT * FROM
     * UNNEST(?))}, was unnested again for every row read: 4.4 s for a page of 100k traces.)
     */
    static Condition among(org.jooq.Field<String> column, Collection<String> ids) {
        return ids.isEmpty() ? DSL.falseCondition()
                : column.eq(DSL.any(ids.toArray(String[]::new)));
    }

    /** Returns the traces (kept in order) in which every phrase of the search is found in one field. */
    private List<String> withPhrases(SearchQuery search, List<String> traceIds) {
        List<SearchQuery.Term> phrases = search.terms().stream().filter(SearchQuery.Term::isPhrase).toList();
        List<String> kept = new ArrayList<>();
        for (List<String> ids : TraceWriter.inLists(traceIds)) {
            Map<String, Trace> traces = new HashMap<>();
            sql.selectFrom(TRACES).where(TRACES.ID.in(ids)).forEach(row -> traces.put(row.getId(), Rows.trace(row)));
            Map<String, List<Observation>> observations = observationsOf(ids);
            for (String id : ids) {
                boolean all = phrases.stream().allMatch(phrase -> traces.containsKey(id)
                        && (SearchText.containsPhrase(traces.get(id), phrase.words())
                        || observations.getOrDefault(id, List.of()).stream()
                                .anyMatch(observation -> SearchText.containsPhrase(observation, phrase.words()))));
                if (all) {
                    kept.add(id);
                }
            }
        }
        return kept;
    }

    /**
     * Returns the observations of these traces, by trace id, in the order they started: at most
     * {@link #MAX_OBSERVATIONS_READ} of each, in one query per chunk of traces.
     */
    private Map<String, List<Observation>> observationsOf(Collection<String> traceIds) {
        Map<String, List<Observation>> byTrace = new HashMap<>();
        for (List<String> ids : TraceWriter.inLists(traceIds)) {
            for (var row : sql.selectFrom(OBSERVATIONS).where(OBSERVATIONS.TRACE_ID.in(ids))
                    .orderBy(OBSERVATIONS.TRACE_ID, OBSERVATIONS.START_TIME, OBSERVATIONS.ID).fetch()) {
                List<Observation> list = byTrace.computeIfAbsent(row.getTraceId(), id -> new ArrayList<>());
                if (list.size() < MAX_OBSERVATIONS_READ) {
                    list.add(Rows.observation(row));
                }
            }
        }
        return byTrace;
    }

    /** Returns whether the observation holds the term: the word, a word the prefix begins, or the phrase. */
    static boolean holds(Observation observation, Set<String> words, SearchQuery.Term term) {
        if (term.isPhrase()) {
            return words.containsAll(term.words()) && SearchText.containsPhrase(observation, term.words());
        }
        String word = term.words().get(0);
        return term.prefix() ? words.stream().anyMatch(each -> each.startsWith(word)) : words.contains(word);
    }

    /** Returns the rows of these traces, in this order. */
    private List<TracesRecord> inOrder(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, TracesRecord> byId = new HashMap<>();
        sql.selectFrom(TRACES).where(TRACES.ID.in(ids)).forEach(row -> byId.put(row.getId(), row));
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * Returns, by trace id, the observations of these traces that hold at least one term of the search, in the order
     * they started, at most {@link #MAX_MATCHES_PER_TRACE} a trace. The index knows traces, not observations: this
     * reads the observations of the listed traces.
     */
    private Map<String, List<MatchedObservation>> matches(SearchQuery search, List<String> traceIds) {
        Map<String, List<MatchedObservation>> byTrace = new HashMap<>();
        observationsOf(traceIds).forEach((traceId, observations) -> {
            List<MatchedObservation> found = new ArrayList<>();
            for (Observation observation : observations) {
                Set<String> words = SearchText.words(observation);
                if (found.size() < MAX_MATCHES_PER_TRACE
                        && search.terms().stream().anyMatch(term -> holds(observation, words, term))) {
                    found.add(new MatchedObservation(observation.id(), observation.name(), observation.type()));
                }
            }
            byTrace.put(traceId, found);
        });
        return byTrace;
    }
}
