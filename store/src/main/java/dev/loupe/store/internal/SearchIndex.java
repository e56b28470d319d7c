package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.SEARCH_POSTINGS;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record2;

/**
 * The full-text index: for each word, the traces that hold it (in their own fields or in any of their observations),
 * kept in the posting rows of {@code search_postings}. A write adds, for each word it brings, one row listing the
 * traces of that write that hold it, newest first: the traces of a batch mostly share their words, so a batch of a
 * hundred traces of thirty words each writes a few dozen rows rather than three thousand.
 *
 * <p>A word's traces are read newest first by reading its rows in the order of their newest trace and holding back
 * the traces of rows read so far until every row still unread is older ({@link Cursor}). A trace listed twice for a
 * word (a later write that did not know the word was indexed for it already) is read once. Removing traces rewrites
 * the rows that list them. How words are cut is {@link SearchText}'s business; which words a trace holds, the
 * writer's.
 */
final class SearchIndex {

    /** The most traces one posting row lists; a word of more traces in one write gets several rows. */
    static final int MAX_POSTINGS_PER_ROW = 512;
    /** About the most bytes one posting row's list takes (ids are up to 800 characters), here and in metadata. */
    static final int MAX_ROW_BYTES = 256 * 1024;
    /** Posting rows read per step of a cursor. */
    static final int ROWS_PER_READ = 64;

    private final DSLContext sql;
    private final int rowsPerRead;
    private final String insert;

    SearchIndex(DSLContext sql) {
        this(sql, ROWS_PER_READ);
    }

    /** An index whose cursors read this many rows per step. */
    SearchIndex(DSLContext sql, int rowsPerRead) {
        this.sql = sql;
        this.rowsPerRead = rowsPerRead;
        this.insert = sql.insertInto(SEARCH_POSTINGS, SEARCH_POSTINGS.WORD, SEARCH_POSTINGS.NEWEST,
                SEARCH_POSTINGS.OLDEST, SEARCH_POSTINGS.TRACES).values((String) null, null, null, null).getSQL();
    }

    /**
     * One trace in the index.
     *
     * @param start   the trace's start, in microseconds since the epoch, rounded as the store rounds it
     * @param traceId the trace's id
     */
    record Posting(long start, String traceId) implements Comparable<Posting> {

        /** Returns the posting of a trace that started at this instant. */
        static Posting of(Instant start, String traceId) {
            return new Posting(micros(start), traceId);
        }

        /** Newest first, then by id descending: the order of the trace list. */
        @Override
        public int compareTo(Posting other) {
            int byStart = Long.compare(other.start, start);
            return byStart != 0 ? byStart : other.traceId.compareTo(traceId);
        }
    }

    /** An instant in microseconds since the epoch, rounded half up as H2 rounds a {@code TIMESTAMP(6)}. */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                (instant.getNano() + 500L) / 1_000L);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Writing

    /**
     * Inserts the postings of one write: for each word, its traces newest first, in rows of at most
     * {@value #MAX_POSTINGS_PER_ROW}. Words go in index order, so that consecutive inserts change neighbouring pages.
     */
    void add(Connection connection, Map<String, ? extends Collection<Posting>> byWord) throws SQLException {
        if (byWord.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            for (Map.Entry<String, ? extends Collection<Posting>> word : new TreeMap<>(byWord).entrySet()) {
                for (List<Posting> row : rows(new TreeSet<>(word.getValue()), MAX_POSTINGS_PER_ROW,
                        posting -> 12 + 3 * posting.traceId().length())) {
                    statement.setString(1, word.getKey());
                    statement.setLong(2, row.get(0).start());
                    statement.setLong(3, row.get(row.size() - 1).start());
                    statement.setBytes(4, encode(row));
                    statement.addBatch();
                }
            }
            statement.executeBatch();
        }
    }

    /**
     * Cuts a list, newest first, into rows of at most {@code maxPerRow} items and about {@value #MAX_ROW_BYTES}
     * bytes, as {@code estimatedBytes} reckons an item: the rows of one word, or of one metadata entry.
     */
    static <T> List<List<T>> rows(Collection<T> newestFirst, int maxPerRow, ToIntFunction<T> estimatedBytes) {
        List<List<T>> rows = new ArrayList<>();
        List<T> row = new ArrayList<>();
        int bytes = 0;
        for (T item : newestFirst) {
            int size = estimatedBytes.applyAsInt(item);
            if (!row.isEmpty() && (row.size() == maxPerRow || bytes + size > MAX_ROW_BYTES)) {
                rows.add(row);
                row = new ArrayList<>();
                bytes = 0;
            }
            row.add(item);
            bytes += size;
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        return rows;
    }

    /**
     * Takes these traces out of the rows of these words, every time a row lists them: each word's rows whose range
     * holds one of the traces' starts are read, and rewritten without them (or deleted when nothing is left). A
     * trace is matched by its id, at its start give or take a microsecond of rounding.
     */
    void remove(DSLContext tx, Map<String, ? extends Collection<Posting>> byWord) {
        for (Map.Entry<String, ? extends Collection<Posting>> word : byWord.entrySet()) {
            Map<String, Long> starts = new HashMap<>();
            long newest = Long.MIN_VALUE;
            long oldest = Long.MAX_VALUE;
            for (Posting posting : word.getValue()) {
                starts.put(posting.traceId(), posting.start());
                newest = Math.max(newest, posting.start());
                oldest = Math.min(oldest, posting.start());
            }
            if (starts.isEmpty()) {
                continue;
            }
            var rows = tx.select(SEARCH_POSTINGS.ID, SEARCH_POSTINGS.TRACES).from(SEARCH_POSTINGS)
                    .where(SEARCH_POSTINGS.WORD.eq(word.getKey()))
                    .and(SEARCH_POSTINGS.NEWEST.ge(oldest - 1)).and(SEARCH_POSTINGS.OLDEST.le(newest + 1))
                    .fetch();
            for (Record2<Long, byte[]> row : rows) {
                List<Posting> listed = decode(row.value2());
                List<Posting> kept = listed.stream().filter(posting -> {
                    Long start = starts.get(posting.traceId());
                    return start == null || Math.abs(start - posting.start()) > 1;
                }).toList();
                rewrite(tx, row.value1(), listed, kept);
            }
        }
    }

    /**
     * Takes pruned traces out of every row, whatever its word: the rows that list a trace that started at
     * {@code upTo} or before, read through their oldest start. Pruning deletes the oldest traces first, so these are
     * the few rows of the oldest writes (and the rare row that lists an old trace beside newer ones).
     */
    void prune(DSLContext tx, long upTo, Set<String> traceIds) {
        var rows = tx.select(SEARCH_POSTINGS.ID, SEARCH_POSTINGS.TRACES).from(SEARCH_POSTINGS)
                .where(SEARCH_POSTINGS.OLDEST.le(upTo + 1)).fetch();
        for (Record2<Long, byte[]> row : rows) {
            List<Posting> listed = decode(row.value2());
            List<Posting> kept = listed.stream().filter(posting -> !traceIds.contains(posting.traceId())).toList();
            rewrite(tx, row.value1(), listed, kept);
        }
    }

    private static void rewrite(DSLContext tx, long id, List<Posting> listed, List<Posting> kept) {
        if (kept.isEmpty()) {
            tx.deleteFrom(SEARCH_POSTINGS).where(SEARCH_POSTINGS.ID.eq(id)).execute();
        } else if (kept.size() < listed.size()) {
            tx.update(SEARCH_POSTINGS)
                    .set(SEARCH_POSTINGS.NEWEST, kept.get(0).start())
                    .set(SEARCH_POSTINGS.OLDEST, kept.get(kept.size() - 1).start())
                    .set(SEARCH_POSTINGS.TRACES, encode(kept))
                    .where(SEARCH_POSTINGS.ID.eq(id)).execute();
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // Reading

    /** Returns a cursor over the traces that hold this word, newest first. */
    Cursor newestFirst(String word) {
        return new Cursor(word);
    }

    /**
     * Returns the ids of those of the candidates that hold the word, or for a prefix term a word it begins: the rows
     * of the word whose range overlaps the candidates' starts are read.
     */
    Set<String> holding(SearchQuery.Term term, String word, Collection<Posting> candidates) {
        if (candidates.isEmpty()) {
            return Set.of();
        }
        Set<String> ids = new HashSet<>();
        long newest = Long.MIN_VALUE;
        long oldest = Long.MAX_VALUE;
        for (Posting candidate : candidates) {
            ids.add(candidate.traceId());
            newest = Math.max(newest, candidate.start());
            oldest = Math.min(oldest, candidate.start());
        }
        Set<String> held = new HashSet<>();
        for (byte[] row : sql.select(SEARCH_POSTINGS.TRACES).from(SEARCH_POSTINGS).where(wordCondition(term, word))
                .and(SEARCH_POSTINGS.NEWEST.ge(oldest - 1)).and(SEARCH_POSTINGS.OLDEST.le(newest + 1))
                .fetch(SEARCH_POSTINGS.TRACES)) {
            for (Posting posting : decode(row)) {
                if (ids.contains(posting.traceId())) {
                    held.add(posting.traceId());
                }
            }
        }
        return held;
    }

    /** Returns the ids of all traces that hold the word, or for a prefix term a word it begins. */
    Set<String> allHolding(SearchQuery.Term term, String word) {
        Set<String> held = new HashSet<>();
        for (byte[] row : sql.select(SEARCH_POSTINGS.TRACES).from(SEARCH_POSTINGS).where(wordCondition(term, word))
                .fetch(SEARCH_POSTINGS.TRACES)) {
            for (Posting posting : decode(row)) {
                held.add(posting.traceId());
            }
        }
        return held;
    }

    private static Condition wordCondition(SearchQuery.Term term, String word) {
        return term.prefix() ? SEARCH_POSTINGS.WORD.startsWith(word) : SEARCH_POSTINGS.WORD.eq(word);
    }

    /**
     * The traces that hold one word, newest first and each once, read a few rows at a time. A row is read in the
     * order of its newest trace, but may list older traces than rows read after it: a trace is handed out only once
     * it is newer than the newest trace of every row still unread.
     */
    final class Cursor {
        private final String word;
        private final TreeSet<Posting> pending = new TreeSet<>();
        private final Set<String> handedOut = new HashSet<>();
        /** The newest and the id of the last row read: every unread row is at most as new. */
        private long lastNewest = Long.MAX_VALUE;
        private long lastId = Long.MAX_VALUE;
        private boolean started;
        private boolean exhausted;

        private Cursor(String word) {
            this.word = word;
        }

        /** Returns up to this many of the next traces, newest first; fewer only when the word has no more. */
        List<Posting> next(int count) {
            List<Posting> next = new ArrayList<>();
            while (next.size() < count) {
                Posting first = pending.isEmpty() ? null : pending.first();
                if (first != null && (exhausted || first.start() > lastNewest)) {
                    pending.pollFirst();
                    if (handedOut.add(first.traceId())) {
                        next.add(first);
                    }
                } else if (exhausted) {
                    break;
                } else {
                    readRows();
                }
            }
            return next;
        }

        private void readRows() {
            Condition where = SEARCH_POSTINGS.WORD.eq(word);
            if (started) {
                // After the last row read, in (newest DESC, id DESC) order; the first part bounds the index range.
                where = where.and(SEARCH_POSTINGS.NEWEST.le(lastNewest))
                        .and(SEARCH_POSTINGS.NEWEST.lt(lastNewest).or(SEARCH_POSTINGS.ID.lt(lastId)));
            }
            var rows = sql.select(SEARCH_POSTINGS.ID, SEARCH_POSTINGS.NEWEST, SEARCH_POSTINGS.TRACES)
                    .from(SEARCH_POSTINGS).where(where)
                    .orderBy(SEARCH_POSTINGS.NEWEST.desc(), SEARCH_POSTINGS.ID.desc())
                    .limit(rowsPerRead).fetch();
            started = true;
            for (var row : rows) {
                pending.addAll(decode(row.value3()));
                lastNewest = row.value2();
                lastId = row.value1();
            }
            if (rows.size() < rowsPerRead) {
                exhausted = true;
            }
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // The binary form of a row's list

    /**
     * Encodes postings, newest first: their number, the first start as eight bytes, then for each the difference to
     * the start before it (never negative, newest first) and the id's UTF-8 length, as unsigned variable-length
     * integers, and the id's UTF-8 bytes.
     */
    static byte[] encode(List<Posting> newestFirst) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + newestFirst.size() * 40);
        writeVarLong(out, newestFirst.size());
        long previous = newestFirst.isEmpty() ? 0 : newestFirst.get(0).start();
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (previous >>> shift));
        }
        for (Posting posting : newestFirst) {
            writeVarLong(out, previous - posting.start());
            previous = posting.start();
            byte[] id = posting.traceId().getBytes(StandardCharsets.UTF_8);
            writeVarLong(out, id.length);
            out.write(id, 0, id.length);
        }
        return out.toByteArray();
    }

    /** Decodes what {@link #encode} wrote. */
    static List<Posting> decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int count = (int) readVarLong(in);
        List<Posting> postings = new ArrayList<>(count);
        long start = in.getLong();
        for (int i = 0; i < count; i++) {
            start -= readVarLong(in);
            int length = (int) readVarLong(in);
            String id = new String(bytes, in.position(), length, StandardCharsets.UTF_8);
            in.position(in.position() + length);
            postings.add(new Posting(start, id));
        }
        return postings;
    }

    static void writeVarLong(ByteArrayOutputStream out, long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.write((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
    }

    static long readVarLong(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }
}
