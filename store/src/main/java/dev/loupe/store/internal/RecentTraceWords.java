package dev.loupe.store.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The words the search index is known to hold for the traces written last, so that the writer does not list a trace
 * again for a word it holds already when the trace arrives over many batches (an agent's observations, written as
 * they end). What is remembered is never more than the index holds: changes noted during a write take effect when
 * it commits, and are dropped when it rolls back. Bounded by the number of words remembered, least recently written
 * traces first out; a trace forgotten is only listed again, which readers tolerate. Another process writing the same
 * store is not seen: should it take a word away from a trace this writer remembers, a later write here of that word
 * for that trace would be left out, so a merge that changes a trace's text is best sent to one process.
 */
final class RecentTraceWords {

    /** The most words remembered, of all traces together. */
    static final int MAX_WORDS = 200_000;

    private final int maxWords;
    private final LinkedHashMap<String, Set<String>> byTrace = new LinkedHashMap<>(256, 0.75f, true);
    private final List<Runnable> pending = new ArrayList<>();
    private int words;

    RecentTraceWords(int maxWords) {
        this.maxWords = maxWords;
    }

    /** Returns the words known to be indexed for the trace, as of the last commit; empty when none are known. */
    Set<String> get(String traceId) {
        Set<String> known = byTrace.get(traceId);
        return known == null ? Set.of() : known;
    }

    /** Notes that, once this write commits, these words are indexed for the trace too. */
    void add(String traceId, Set<String> indexed) {
        Set<String> copy = Set.copyOf(indexed);
        pending.add(() -> {
            Set<String> known = byTrace.computeIfAbsent(traceId, id -> new HashSet<>());
            int before = known.size();
            known.addAll(copy);
            words += known.size() - before;
        });
    }

    /** Notes that, once this write commits, exactly these words are indexed for the trace. */
    void replace(String traceId, Set<String> indexed) {
        Set<String> copy = new HashSet<>(indexed);
        pending.add(() -> {
            Set<String> before = byTrace.put(traceId, copy);
            words += copy.size() - (before == null ? 0 : before.size());
        });
    }

    /** Applies what the committed write noted, then forgets the least recently written traces beyond the bound. */
    void commit() {
        pending.forEach(Runnable::run);
        pending.clear();
        Iterator<Map.Entry<String, Set<String>>> eldest = byTrace.entrySet().iterator();
        while (words > maxWords && eldest.hasNext()) {
            words -= eldest.next().getValue().size();
            eldest.remove();
        }
    }

    /** Drops what the write that failed noted. */
    void rollback() {
        pending.clear();
    }
}
