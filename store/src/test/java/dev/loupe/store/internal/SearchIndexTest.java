package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.SEARCH_POSTINGS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.store.internal.SearchIndex.Posting;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchIndexTest {

    private static final SearchQuery.Term WORD = new SearchQuery.Term(List.of("refund"), false);

    @TempDir
    Path directory;

    private Connection connection;
    private DSLContext sql;
    private SearchIndex index;

    @BeforeEach
    void openAStoreSchema() throws Exception {
        H2TraceStore.openFile(directory).close();
        connection = DriverManager.getConnection("jdbc:h2:file:" + directory.resolve(H2TraceStore.DATABASE_NAME)
                + ";AUTO_SERVER=TRUE", "loupe", "");
        sql = DSL.using(connection, SQLDialect.H2,
                new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER).withRenderSchema(false));
        index = new SearchIndex(sql);
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
    }

    @Test
    void aRowsListSurvivesEncodingWithUnicodeIdsAndStartsBeforeTheEpoch() {
        List<Posting> postings = List.of(new Posting(1_700_000_000_000_001L, "trace-ü-日本"),
                new Posting(1_700_000_000_000_001L, "a"), new Posting(5, "x".repeat(800)),
                new Posting(-62_000_000_000_000_000L, "before-the-epoch"));

        assertThat(SearchIndex.decode(SearchIndex.encode(postings))).containsExactlyElementsOf(postings);
    }

    @Test
    void aStartIsRoundedToTheMicrosecondAsTheStoreRoundsIt() {
        assertThat(SearchIndex.micros(Instant.parse("2025-01-01T00:00:00.0000015Z")))
                .isEqualTo(SearchIndex.micros(Instant.parse("2025-01-01T00:00:00.000002Z")));
        assertThat(SearchIndex.micros(Instant.parse("2025-01-01T00:00:00.9999995Z")))
                .isEqualTo(SearchIndex.micros(Instant.parse("2025-01-01T00:00:01Z")));
    }

    @Test
    void aWordsTracesAreReadNewestFirstAcrossRowsWhoseTimesOverlap() throws Exception {
        // A late write lists an old trace beside new ones: its row is read first, its old trace handed out last.
        index.add(connection, Map.of("refund", List.of(new Posting(100, "t100"), new Posting(10, "t10"))));
        index.add(connection, Map.of("refund", List.of(new Posting(50, "t50"), new Posting(40, "t40"))));
        index.add(connection, Map.of("refund", List.of(new Posting(20, "t20"), new Posting(20, "t20b"))));
        connection.commit();

        // A row at a time: each step knows only that the rows still unread are no newer than the last one read.
        SearchIndex.Cursor cursor = new SearchIndex(sql, 1).newestFirst("refund");

        assertThat(cursor.next(2)).extracting(Posting::traceId).containsExactly("t100", "t50");
        assertThat(cursor.next(10)).extracting(Posting::traceId).containsExactly("t40", "t20b", "t20", "t10");
        assertThat(cursor.next(10)).isEmpty();
    }

    @Test
    void aTraceListedTwiceForAWordIsReadOnce() throws Exception {
        index.add(connection, Map.of("refund", List.of(new Posting(30, "t30"), new Posting(10, "t10"))));
        index.add(connection, Map.of("refund", List.of(new Posting(30, "t30"))));
        connection.commit();

        assertThat(index.newestFirst("refund").next(10)).extracting(Posting::traceId).containsExactly("t30", "t10");
        assertThat(index.allHolding(WORD, "refund")).containsExactlyInAnyOrder("t30", "t10");
    }

    @Test
    void aWordOfMoreTracesThanARowHoldsIsSpreadOverRowsAndReadInOrder() throws Exception {
        int count = SearchIndex.MAX_POSTINGS_PER_ROW * 2 + 7;
        List<Posting> postings = IntStream.range(0, count).mapToObj(i -> new Posting(i, "t" + i)).toList();
        index.add(connection, Map.of("refund", postings));
        connection.commit();

        assertThat(sql.fetchCount(SEARCH_POSTINGS, SEARCH_POSTINGS.WORD.eq("refund"))).isEqualTo(3);
        List<String> read = new ArrayList<>();
        SearchIndex.Cursor cursor = index.newestFirst("refund");
        for (List<Posting> next = cursor.next(100); !next.isEmpty(); next = cursor.next(100)) {
            next.forEach(posting -> read.add(posting.traceId()));
        }
        assertThat(read).hasSize(count).startsWith("t" + (count - 1)).endsWith("t0");
    }

    @Test
    void removingTracesRewritesTheirRowsAndDeletesRowsLeftEmpty() throws Exception {
        index.add(connection, Map.of("refund", List.of(new Posting(30, "t30"), new Posting(20, "t20"))));
        index.add(connection, Map.of("refund", List.of(new Posting(10, "t10"))));
        connection.commit();

        index.remove(sql, Map.of("refund", List.of(new Posting(30, "t30"), new Posting(10, "t10"))));
        connection.commit();

        assertThat(index.newestFirst("refund").next(10)).extracting(Posting::traceId).containsExactly("t20");
        assertThat(sql.select(SEARCH_POSTINGS.NEWEST, SEARCH_POSTINGS.OLDEST).from(SEARCH_POSTINGS).fetch())
                .singleElement().satisfies(row -> {
                    assertThat(row.value1()).isEqualTo(20);
                    assertThat(row.value2()).isEqualTo(20);
                });
    }

    @Test
    void holdingFindsWhichCandidatesHoldAWordOrAPrefix() throws Exception {
        index.add(connection, Map.of("refund", List.of(new Posting(30, "t30")),
                "refunded", List.of(new Posting(20, "t20")), "shipping", List.of(new Posting(10, "t10"))));
        connection.commit();
        List<Posting> candidates = List.of(new Posting(30, "t30"), new Posting(20, "t20"), new Posting(10, "t10"));

        assertThat(index.holding(WORD, "refund", candidates)).containsExactly("t30");
        assertThat(index.holding(new SearchQuery.Term(List.of("refund"), true), "refund", candidates))
                .containsExactlyInAnyOrder("t30", "t20");
    }
}
