package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.OBSERVATIONS;
import static dev.loupe.store.internal.generated.Tables.SEARCH_WORDS;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.OrderField;
import org.jooq.impl.DSL;

/**
 * Full-text search over the {@code search_words} index, for trace lists and observation lists.
 *
 * <p>Newest first (the lists' usual order), a trace search reads the documents that hold the query's longest exact
 * word from the word index, in list order, a chunk at a time; checks each chunk's traces against the other words and
 * the other filters with index lookups; and stops when the page is full. Its cost follows the page, not the store. In
 * any other order, or when every term is a prefix, it finds all matches and sorts them. The index holds the words of
 * each trace (its own and all its observations'): a phrase is first found as a trace that holds all its words, then
 * confirmed on the text of its fields by {@link SearchText}; the observations that hold the text are found by
 * reading the observations of the listed traces.
 */
final class TraceSearch {

    /** Index rows read per step of a newest-first search. */
    private static final int CHUNK = 128;
    /** The most matched observations named per listed trace. */
    static final int MAX_MATCHES_PER_TRACE = 50;
    /** The most observations of one trace read to find the matching ones, in the order they started. */
    static final int MAX_OBSERVATIONS_READ = 10_000;

    private final DSLContext sql;

    TraceSearch(DSLContext sql) {
        this.sql = sql;
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
                    : indexCounts ? sql.fetchCount(SEARCH_WORDS, SEARCH_WORDS.WORD.eq(driver)) : found.size();
            rows = slice(found, page);
        } else {
            Condition where = filters.and(TRACES.ID.in(DSL.select(SEARCH_WORDS.TRACE_ID).from(SEARCH_WORDS)
                    .where(wordCondition(search.terms().get(0), search.terms().get(0).words().get(0)))))
                    .and(containsAllWords(search, null));
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
     * Reads the traces that hold the driver word newest first, a chunk of index rows at a time, and keeps those that
     * match the whole search and the filters, until {@code wanted} are found or the index has no more.
     */
    private List<TracesRecord> newestFirst(SearchQuery search, String driver, Condition filters, long wanted) {
        List<TracesRecord> found = new ArrayList<>();
        Instant cursorStart = null;
        String cursorId = null;
        while (found.size() < wanted) {
            Condition where = SEARCH_WORDS.WORD.eq(driver);
            if (cursorStart != null) {
                // After the last row read, in (trace_start DESC, trace_id DESC) order; the first part bounds the
                // index range, the second skips the rest of the last trace.
                where = where.and(SEARCH_WORDS.TRACE_START.le(cursorStart))
                        .and(SEARCH_WORDS.TRACE_START.lt(cursorStart).or(SEARCH_WORDS.TRACE_ID.lt(cursorId)));
            }
            var chunk = sql.select(SEARCH_WORDS.TRACE_START, SEARCH_WORDS.TRACE_ID).from(SEARCH_WORDS).where(where)
                    .orderBy(SEARCH_WORDS.TRACE_START.desc(), SEARCH_WORDS.TRACE_ID.desc())
                    .limit(CHUNK).fetch();
            if (chunk.isEmpty()) {
                break;
            }
            cursorStart = chunk.get(chunk.size() - 1).value1();
            cursorId = chunk.get(chunk.size() - 1).value2();
            List<String> candidates = new ArrayList<>(new LinkedHashSet<>(chunk.map(row -> row.value2())));
            Map<String, TracesRecord> matching = new HashMap<>();
            for (var row : sql.selectFrom(TRACES).where(filters).and(TRACES.ID.in(candidates))
                    .and(containsAllWords(search, driver)).fetch()) {
                matching.put(row.getId(), row);
            }
            List<String> kept = candidates.stream().filter(matching::containsKey).toList();
            for (String id : search.hasPhrase() ? withPhrases(search, kept) : kept) {
                found.add(matching.get(id));
            }
            if (chunk.size() < CHUNK) {
                break;
            }
        }
        return found;
    }

    /** The condition that the trace holds every word and prefix of the search (but the one already known). */
    private static Condition containsAllWords(SearchQuery search, String known) {
        List<Condition> conditions = new ArrayList<>();
        Set<String> done = new HashSet<>();
        if (known != null) {
            done.add(known);
        }
        for (SearchQuery.Term term : search.terms()) {
            for (String word : term.words()) {
                if (done.add((term.prefix() ? "*" : "") + word)) {
                    // The word, then the trace's start and id: a seek in the word index.
                    conditions.add(DSL.exists(DSL.selectOne().from(SEARCH_WORDS).where(wordCondition(term, word))
                            .and(SEARCH_WORDS.TRACE_START.eq(TRACES.START_TIME))
                            .and(SEARCH_WORDS.TRACE_ID.eq(TRACES.ID))));
                }
            }
        }
        return DSL.and(conditions);
    }

    static Condition wordCondition(SearchQuery.Term term, String word) {
        return term.prefix() ? SEARCH_WORDS.WORD.startsWith(word) : SEARCH_WORDS.WORD.eq(word);
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
