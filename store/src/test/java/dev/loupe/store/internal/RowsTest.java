package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.OBSERVATIONS;
import static dev.loupe.store.internal.generated.Tables.SCORES;
import static dev.loupe.store.internal.generated.Tables.TEST_RESULTS;
import static dev.loupe.store.internal.generated.Tables.TEST_RUNS;
import static dev.loupe.store.internal.generated.Tables.TRACES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TestStatus;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceStats.ObservationFigures;
import dev.loupe.model.TraceStats;
import dev.loupe.store.internal.generated.tables.records.ObservationsRecord;
import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.junit.jupiter.api.Test;

/**
 * The one mapping between the read model and the rows: every column of every table is filled from a fully set model
 * object, so a column added by a migration cannot be forgotten, and every model object reads back from its row
 * unchanged.
 */
class RowsTest {

    static final Instant START = Instant.parse("2025-03-01T10:15:30.123456Z");
    static final Instant NOW = Instant.parse("2025-03-01T11:00:00Z");

    static final Trace TRACE = Trace.builder("trace-1").name("support-agent").timestamp(START)
            .input("{\"question\":\"reset?\"}").output("\"Go to Settings\"").userId("user-1").sessionId("session-1")
            .metadata("{\"channel\":\"chat\"}").tags(List.of("beta", "support")).release("1.4.0").version("v7")
            .environment("production").build();
    static final Observation GENERATION = Observation.builder("gen-1", "trace-1").parentObservationId("root-1")
            .type(ObservationType.GENERATION).name("draft-reply").startTime(START)
            .completionStartTime(START.plusMillis(300)).endTime(START.plusSeconds(2)).input("[\"in\"]")
            .output("\"out\"").metadata("{\"retry\":false}").level(ObservationLevel.WARNING).statusMessage("slow")
            .version("agent-v3").model("gpt-4o-mini").modelParameters("{\"temperature\":0.2}")
            .usage(Usage.of(120, 45)).cost(Cost.of(new BigDecimal("0.000018"), new BigDecimal("0.000027")))
            .prompt("support-reply", 4).build();
    static final Score SCORE = Score.builder("score-1", "helpfulness").traceId("trace-1").observationId("gen-1")
            .sessionId("session-1").value(0.92).comment("from the docs").source("EVAL").timestamp(START)
            .metadata("{\"judge\":\"gpt-4o\"}").build();
    static final TestRun RUN = new TestRun("run-1", START, START.plusSeconds(7), "abc123", "main", 3, 1, 1, 1);
    static final TestResult RESULT = new TestResult("result-1", "run-1", "[engine:junit-jupiter]/[method:a()]",
            "shop.AccountTest", "logsIn", "logsIn()", "ticket 7", List.of("slow"), TestStatus.FAILED, START,
            Duration.ofMillis(250), "expected 1 but was 2", List.of("trace-1"));

    /** Returns the columns of the table that the row leaves unset. */
    static List<String> unsetColumns(Table<?> table, Record row) {
        return table.fieldStream().filter(column -> !row.changed(column)).map(Field::getName).toList();
    }

    @Test
    void aTraceRowWithItsFiguresFillsEveryColumnOfTheTracesTable() {
        var row = Rows.withFigures(Rows.traceRow(TRACE, NOW), TraceStats.of(START, List.of(GENERATION)));

        assertThat(unsetColumns(TRACES, row)).isEmpty();
    }

    @Test
    void aTraceRowWithoutFiguresLeavesOnlyTheFigureColumnsUnset() {
        var row = Rows.traceRow(TRACE, NOW);

        assertThat(unsetColumns(TRACES, row)).containsExactlyInAnyOrder("end_time", "latency_micros",
                "observation_count", "error_count", "input_tokens", "output_tokens", "total_tokens", "total_cost");
        assertThat(unsetColumns(TRACES, row))
                .containsExactlyInAnyOrderElementsOf(Rows.TRACE_FIGURE_COLUMNS.stream().map(Field::getName).toList());
    }

    @Test
    void aFiguresRowHoldsTheIdAndTheFigureColumnsOnly() {
        var row = Rows.figuresRow("trace-1", TraceStats.of(START, List.of(GENERATION)));

        assertThat(TRACES.fieldStream().filter(row::changed).toList())
                .containsExactlyInAnyOrderElementsOf(Stream.concat(Stream.of(TRACES.ID),
                        Rows.TRACE_FIGURE_COLUMNS.stream()).toList());
    }

    @Test
    void anObservationRowFillsEveryColumnOfTheObservationsTable() {
        assertThat(unsetColumns(OBSERVATIONS, Rows.observationRow(GENERATION, NOW))).isEmpty();
    }

    @Test
    void aScoreRowFillsEveryColumnOfTheScoresTable() {
        assertThat(unsetColumns(SCORES, Rows.scoreRow(SCORE, NOW))).isEmpty();
    }

    @Test
    void testRunAndResultRowsFillEveryColumnOfTheirTables() {
        assertThat(unsetColumns(TEST_RUNS, Rows.testRunRow(RUN))).isEmpty();
        assertThat(unsetColumns(TEST_RESULTS, Rows.testResultRow(RESULT))).isEmpty();
    }

    @Test
    void everyRecordReadsBackFromItsRowUnchanged() {
        assertThat(Rows.trace(Rows.traceRow(TRACE, NOW))).isEqualTo(TRACE);
        assertThat(Rows.observation(Rows.observationRow(GENERATION, NOW))).isEqualTo(GENERATION);
        assertThat(Rows.score(Rows.scoreRow(SCORE, NOW))).isEqualTo(SCORE);
        assertThat(Rows.testRun(Rows.testRunRow(RUN))).isEqualTo(RUN);
        assertThat(Rows.testResult(Rows.testResultRow(RESULT))).isEqualTo(RESULT);
    }

    @Test
    void theFiguresOfATraceReadBackFromItsRowUnchanged() {
        TraceStats stats = TraceStats.of(START, List.of(GENERATION));

        assertThat(Rows.stats(Rows.withFigures(Rows.traceRow(TRACE, NOW), stats))).isEqualTo(stats);
    }

    @Test
    void anObservationRowContributesToItsTraceWhatTheObservationDoesReadingOnlyItsFigureColumns() {
        var full = Rows.observationRow(GENERATION, NOW);
        var figuresOnly = new ObservationsRecord();
        Rows.OBSERVATION_FIGURE_COLUMNS.forEach(column -> copy(full, figuresOnly, column));

        assertThat(Rows.figures(figuresOnly)).isEqualTo(ObservationFigures.of(GENERATION));
    }

    private static <T> void copy(Record from, Record to, Field<T> column) {
        to.set(column, from.get(column));
    }

    @Test
    void anObservationWithoutAStartStartsWhenItEndedOrElseNow() {
        Observation ended = Observation.builder("obs-1", "trace-1").endTime(START).build();
        Observation unknown = Observation.builder("obs-2", "trace-1").build();

        assertThat(Rows.observationRow(ended, NOW).getStartTime()).isEqualTo(START);
        assertThat(Rows.observationRow(unknown, NOW).getStartTime()).isEqualTo(NOW);
    }

    @Test
    void aScoreWithoutATimestampWasGivenNow() {
        Score undated = Score.builder("score-2", "quality").traceId("trace-1").value(1).build();

        assertThat(Rows.scoreRow(undated, NOW).getCreatedAt()).isEqualTo(NOW);
    }

    @Test
    void anObservationRowKeepsTheTokensAndCostItsTraceFiguresAreAddedUpFrom() {
        Observation withoutTotals = Observation.builder("gen-2", "trace-1").startTime(START)
                .usage(new Usage(Map.of(Usage.INPUT, 7L, Usage.OUTPUT, 3L)))
                .cost(new Cost(Map.of(Usage.INPUT, new BigDecimal("0.1"), Usage.OUTPUT, new BigDecimal("0.2"))))
                .build();

        var row = Rows.observationRow(withoutTotals, NOW);

        assertThat(row.getInputTokens()).isEqualTo(7);
        assertThat(row.getOutputTokens()).isEqualTo(3);
        assertThat(row.getTotalTokens()).isEqualTo(10);
        assertThat(row.getTotalCost()).isEqualByComparingTo("0.3");
    }
}
