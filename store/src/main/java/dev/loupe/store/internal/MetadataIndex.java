package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.METADATA_POSTINGS;

import dev.loupe.store.MetadataFilter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record2;

/**
 * The index that metadata filters read: for each key path and value ({@link MetadataEntries.Entry}), the documents
 * that have it (a trace's own metadata, or an observation's), kept in the posting rows of {@code metadata_postings}.
 * A write adds, for each entry it brings, one row listing the documents of that write that have it: the spans of a
 * batch mostly share their attributes (a service name, a scope, a kind), so a batch writes a row per distinct
 * attribute rather than one per attribute of every span. A document is listed by its trace's start, so that it is
 * found again, by the range of starts a row covers, when its metadata changes or its trace is deleted.
 */
final class MetadataIndex {

    /** The most documents one posting row lists; an entry of more documents in one write gets several rows. */
    static final int MAX_DOCUMENTS_PER_ROW = 512;

    private final DSLContext sql;
    private final String insert;

    MetadataIndex(DSLContext sql) {
        this.sql = sql;
        this.insert = sql.insertInto(METADATA_POSTINGS, METADATA_POSTINGS.PATH, METADATA_POSTINGS.VAL,
                METADATA_POSTINGS.NEWEST, METADATA_POSTINGS.OLDEST, METADATA_POSTINGS.DOCUMENTS)
                .values((String) null, null, null, null, null).getSQL();
    }

    /**
     * One document that has an entry.
     *
     * @param start         its trace's start, in microseconds since the epoch, as {@link SearchIndex#micros} rounds it
     * @param traceId       its trace's id
     * @param observationId the observation's id, or {@link TraceWriter#TRACE_DOCUMENT} for the trace's own metadata
     */
    record Document(long start, String traceId, String observationId) {

        /** Newest first, then by trace and observation id. */
        static final Comparator<Document> ORDER = Comparator.comparingLong(Document::start).reversed()
                .thenComparing(Document::traceId).thenComparing(Document::observationId);

        /** Returns the document of a trace that started at this instant. */
        static Document of(Instant start, String traceId, String observationId) {
            return new Document(SearchIndex.micros(start), traceId, observationId);
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // Writing

    /** Inserts the postings of one write: for each entry, its documents newest first, in rows of bounded size. */
    void add(Connection connection, Map<MetadataEntries.Entry, ? extends Collection<Document>> byEntry)
            throws SQLException {
        if (byEntry.isEmpty()) {
            return;
        }
        Map<MetadataEntries.Entry, Collection<Document>> ordered = new TreeMap<>(Comparator
                .comparing(MetadataEntries.Entry::path)
                .thenComparing(MetadataEntries.Entry::value, Comparator.nullsFirst(Comparator.naturalOrder())));
        ordered.putAll(byEntry);
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            for (Map.Entry<MetadataEntries.Entry, Collection<Document>> entry : ordered.entrySet()) {
                List<Document> documents = entry.getValue().stream().distinct().sorted(Document.ORDER).toList();
                for (List<Document> row : SearchIndex.rows(documents, MAX_DOCUMENTS_PER_ROW, document ->
                        12 + 3 * (document.traceId().length() + document.observationId().length()))) {
                    statement.setString(1, entry.getKey().path());
                    if (entry.getKey().value() == null) {
                        statement.setNull(2, Types.VARCHAR);
                    } else {
                        statement.setString(2, entry.getKey().value());
                    }
                    statement.setLong(3, row.get(0).start());
                    statement.setLong(4, row.get(row.size() - 1).start());
                    statement.setBytes(5, encode(row));
                    statement.addBatch();
                }
            }
            statement.executeBatch();
        }
    }

    /**
     * Takes these documents out of the rows of these entries: each entry's rows whose range holds one of the
     * documents' starts are read and rewritten without them (or deleted when nothing is left). A document is matched
     * by its trace and observation id, at its start give or take a microsecond of rounding.
     */
    void remove(DSLContext tx, Map<MetadataEntries.Entry, ? extends Collection<Document>> byEntry) {
        for (Map.Entry<MetadataEntries.Entry, ? extends Collection<Document>> entry : byEntry.entrySet()) {
            Collection<Document> gone = entry.getValue();
            if (gone.isEmpty()) {
                continue;
            }
            long newest = gone.stream().mapToLong(Document::start).max().orElseThrow();
            long oldest = gone.stream().mapToLong(Document::start).min().orElseThrow();
            Map<String, Long> starts = new java.util.HashMap<>();
            gone.forEach(document -> starts.put(key(document), document.start()));
            var rows = tx.select(METADATA_POSTINGS.ID, METADATA_POSTINGS.DOCUMENTS).from(METADATA_POSTINGS)
                    .where(entryCondition(entry.getKey()))
                    .and(METADATA_POSTINGS.NEWEST.ge(oldest - 1)).and(METADATA_POSTINGS.OLDEST.le(newest + 1))
                    .fetch();
            for (Record2<Long, byte[]> row : rows) {
                List<Document> listed = decode(row.value2());
                List<Document> kept = listed.stream().filter(document -> {
                    Long start = starts.get(key(document));
                    return start == null || Math.abs(start - document.start()) > 1;
                }).toList();
                rewrite(tx, row.value1(), listed, kept);
            }
        }
    }

    /**
     * Takes the documents of pruned traces out of every row, whatever its entry: the rows that list a document whose
     * trace started at {@code upTo} or before, read through their oldest start (see {@link SearchIndex#prune}).
     */
    void prune(DSLContext tx, long upTo, Set<String> traceIds) {
        var rows = tx.select(METADATA_POSTINGS.ID, METADATA_POSTINGS.DOCUMENTS).from(METADATA_POSTINGS)
                .where(METADATA_POSTINGS.OLDEST.le(upTo + 1)).fetch();
        for (Record2<Long, byte[]> row : rows) {
            List<Document> listed = decode(row.value2());
            List<Document> kept = listed.stream().filter(document -> !traceIds.contains(document.traceId()))
                    .toList();
            rewrite(tx, row.value1(), listed, kept);
        }
    }

    private static void rewrite(DSLContext tx, long id, List<Document> listed, List<Document> kept) {
        if (kept.isEmpty()) {
            tx.deleteFrom(METADATA_POSTINGS).where(METADATA_POSTINGS.ID.eq(id)).execute();
        } else if (kept.size() < listed.size()) {
            tx.update(METADATA_POSTINGS)
                    .set(METADATA_POSTINGS.NEWEST, kept.get(0).start())
                    .set(METADATA_POSTINGS.OLDEST, kept.get(kept.size() - 1).start())
                    .set(METADATA_POSTINGS.DOCUMENTS, encode(kept))
                    .where(METADATA_POSTINGS.ID.eq(id)).execute();
        }
    }

    private static String key(Document document) {
        return document.traceId() + '\u0000' + document.observationId();
    }

    private static Condition entryCondition(MetadataEntries.Entry entry) {
        Condition path = METADATA_POSTINGS.PATH.eq(entry.path());
        return entry.value() == null ? path.and(METADATA_POSTINGS.VAL.isNull())
                : path.and(METADATA_POSTINGS.VAL.eq(entry.value()));
    }

    // -------------------------------------------------------------------------------------------------------------
    // Reading

    /** Returns the documents that meet the filter: its key path, with its value when it names one. */
    List<Document> documents(MetadataFilter filter) {
        Condition condition = METADATA_POSTINGS.PATH.eq(MetadataEntries.path(filter.path()));
        if (filter.value() != null) {
            condition = condition.and(METADATA_POSTINGS.VAL.eq(filter.value()));
        }
        List<Document> documents = new ArrayList<>();
        for (byte[] row : sql.select(METADATA_POSTINGS.DOCUMENTS).from(METADATA_POSTINGS).where(condition)
                .fetch(METADATA_POSTINGS.DOCUMENTS)) {
            documents.addAll(decode(row));
        }
        return documents;
    }

    /** Returns the ids of the traces with a document (their own metadata or an observation's) that meets it. */
    Set<String> traceIds(MetadataFilter filter) {
        Set<String> ids = new HashSet<>();
        documents(filter).forEach(document -> ids.add(document.traceId()));
        return ids;
    }

    /** Returns the ids of the observations whose own metadata meets the filter. */
    Set<String> observationIds(MetadataFilter filter) {
        Set<String> ids = new HashSet<>();
        for (Document document : documents(filter)) {
            if (!Objects.equals(document.observationId(), TraceWriter.TRACE_DOCUMENT)) {
                ids.add(document.observationId());
            }
        }
        return ids;
    }

    // -------------------------------------------------------------------------------------------------------------
    // The binary form of a row's list

    /**
     * Encodes documents, newest first: their number, the first start as eight bytes, then for each the difference to
     * the start before it, and its trace id and observation id, each as a UTF-8 length and bytes.
     */
    static byte[] encode(List<Document> newestFirst) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + newestFirst.size() * 48);
        SearchIndex.writeVarLong(out, newestFirst.size());
        long previous = newestFirst.isEmpty() ? 0 : newestFirst.get(0).start();
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (previous >>> shift));
        }
        for (Document document : newestFirst) {
            SearchIndex.writeVarLong(out, previous - document.start());
            previous = document.start();
            writeString(out, document.traceId());
            writeString(out, document.observationId());
        }
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        SearchIndex.writeVarLong(out, bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    /** Decodes what {@link #encode} wrote. */
    static List<Document> decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int count = (int) SearchIndex.readVarLong(in);
        List<Document> documents = new ArrayList<>(count);
        long start = in.getLong();
        for (int i = 0; i < count; i++) {
            start -= SearchIndex.readVarLong(in);
            documents.add(new Document(start, readString(in, bytes), readString(in, bytes)));
        }
        return documents;
    }

    private static String readString(ByteBuffer in, byte[] bytes) {
        int length = (int) SearchIndex.readVarLong(in);
        String text = new String(bytes, in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }
}
