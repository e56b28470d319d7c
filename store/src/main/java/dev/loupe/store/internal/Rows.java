package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.OBSERVATIONS;
import static dev.loupe.store.internal.generated.Tables.TRACES;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.internal.Json;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.ScoreDataType;
import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TestStatus;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceStats.ObservationFigures;
import dev.loupe.model.TraceStats;
import dev.loupe.store.internal.generated.tables.records.ObservationsRecord;
import dev.loupe.store.internal.generated.tables.records.ScoresRecord;
import dev.loupe.store.internal.generated.tables.records.TestResultsRecord;
import dev.loupe.store.internal.generated.tables.records.TestRunsRecord;
import dev.loupe.store.internal.generated.tables.records.TracesRecord;
import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Configuration;
import org.jooq.Field;
import org.jooq.JSON;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The mapping between the read model and the rows of each table, column by column and by name: one method fills the
 * generated jOOQ record of a model object, and one reads the model object back from it. Nothing else in the store
 * knows which value goes into which column.
 */
final class Rows {

    /** Encloses each tag in the separator the tags column uses; a tag filter looks for one enclosed tag. */
    static final String TAG_SEPARATOR = "\u001f";
    /** The figure columns of a trace row, which {@link #withFigures} sets: all other columns are the trace's own. */
    static final List<Field<?>> TRACE_FIGURE_COLUMNS = List.of(TRACES.END_TIME, TRACES.LATENCY_MICROS,
            TRACES.OBSERVATION_COUNT, TRACES.ERROR_COUNT, TRACES.INPUT_TOKENS, TRACES.OUTPUT_TOKENS,
            TRACES.TOTAL_TOKENS, TRACES.TOTAL_COST);
    /** The columns of an observation row that {@link #figures(ObservationsRecord)} reads. */
    static final List<Field<?>> OBSERVATION_FIGURE_COLUMNS = List.of(OBSERVATIONS.END_TIME, OBSERVATIONS.LEVEL,
            OBSERVATIONS.INPUT_TOKENS, OBSERVATIONS.OUTPUT_TOKENS, OBSERVATIONS.TOTAL_TOKENS, OBSERVATIONS.TOTAL_COST);

    /**
     * The configuration the rows are attached to, a constant. jOOQ looks up a record's settings when its primary key is
     * set, and builds a whole new configuration for a record that has none: on B2's 200,000 observations that was
     * 400 MB of garbage, 12 % of what the exporter allocates.
     */
    private static final Configuration ROWS = DSL.using(SQLDialect.H2).configuration();

    private Rows() {
    }

    private static <R extends Record> R attached(R row) {
        row.attach(ROWS);
        return row;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Traces

    /** Returns the row of a trace record, without its figures (see {@link #withFigures}). */
    static TracesRecord traceRow(Trace trace, Instant updatedAt) {
        TracesRecord row = attached(new TracesRecord());
        row.setId(trace.id());
        row.setName(trace.name());
        row.setStartTime(trace.timestamp());
        row.setInput(json(trace.input()));
        row.setOutput(json(trace.output()));
        row.setUserId(trace.userId());
        row.setSessionId(trace.sessionId());
        row.setMetadata(json(trace.metadata()));
        row.setRelease(trace.release());
        row.setVersion(trace.version());
        row.setEnvironment(trace.environment());
        row.setTags(tagsColumn(trace.tags()));
        row.setUpdatedAt(updatedAt);
        return row;
    }

    static Trace trace(TracesRecord row) {
        return new Trace(row.getId(), row.getName(), row.getStartTime(), text(row.getInput()), text(row.getOutput()),
                row.getUserId(), row.getSessionId(), text(row.getMetadata()), tags(row.getTags()), row.getRelease(),
                row.getVersion(), row.getEnvironment());
    }

    /** Returns a row of only the id and the figure columns of a trace, to update its figures. */
    static TracesRecord figuresRow(String traceId, TraceStats stats) {
        TracesRecord row = attached(new TracesRecord());
        row.setId(traceId);
        return withFigures(row, stats);
    }

    /** Sets the figure columns of a trace row; returns the row. */
    static TracesRecord withFigures(TracesRecord row, TraceStats stats) {
        row.setEndTime(stats.endTime());
        row.setLatencyMicros(stats.latency() == null ? null : stats.latency().toNanos() / 1_000);
        row.setObservationCount(stats.observationCount());
        row.setErrorCount(stats.errorCount());
        row.setInputTokens(stats.inputTokens());
        row.setOutputTokens(stats.outputTokens());
        row.setTotalTokens(stats.totalTokens());
        row.setTotalCost(stats.totalCost());
        return row;
    }

    static TraceStats stats(TracesRecord row) {
        return new TraceStats(row.getEndTime(),
                row.getLatencyMicros() == null ? null : Duration.ofNanos(row.getLatencyMicros() * 1_000),
                row.getObservationCount(), row.getErrorCount(), row.getInputTokens(), row.getOutputTokens(),
                row.getTotalTokens(), row.getTotalCost() == null ? null : row.getTotalCost().stripTrailingZeros());
    }

    /** Returns the tags column of a trace: the sorted tags, each enclosed in {@link #TAG_SEPARATOR}; null if none. */
    static String tagsColumn(List<String> tags) {
        if (tags.isEmpty()) {
            return null;
        }
        StringBuilder column = new StringBuilder(TAG_SEPARATOR);
        for (String tag : tags) {
            column.append(tag.replace(TAG_SEPARATOR, " ")).append(TAG_SEPARATOR);
        }
        return column.toString();
    }

    /** Returns the condition value that finds one tag in the tags column. */
    static String tagNeedle(String tag) {
        return TAG_SEPARATOR + tag.replace(TAG_SEPARATOR, " ") + TAG_SEPARATOR;
    }

    private static List<String> tags(String column) {
        if (column == null || column.length() < 2) {
            return List.of();
        }
        return List.of(column.substring(1, column.length() - 1).split(TAG_SEPARATOR, -1));
    }

    // -------------------------------------------------------------------------------------------------------------
    // Observations

    /**
     * Returns the row of an observation. An observation without a start (only an update of one was ever written)
     * starts when it ended, or {@code now}, and its row says that this start time is not known (see
     * {@link #observationToMerge}). Beside the usage and cost it keeps the observation's
     * {@link ObservationFigures}, from which the figures of its trace are added up.
     */
    static ObservationsRecord observationRow(Observation observation, Instant now) {
        ObservationsRecord row = attached(new ObservationsRecord());
        row.setId(observation.id());
        row.setTraceId(observation.traceId());
        row.setParentObservationId(observation.parentObservationId());
        row.setType(observation.type().name());
        row.setName(observation.name());
        row.setStartTime(observation.startTime() != null ? observation.startTime()
                : observation.endTime() != null ? observation.endTime() : now);
        row.setStartTimeKnown(observation.startTime() != null);
        row.setEndTime(observation.endTime());
        row.setCompletionStartTime(observation.completionStartTime());
        row.setInput(json(observation.input()));
        row.setOutput(json(observation.output()));
        row.setMetadata(json(observation.metadata()));
        row.setLevel(observation.level().name());
        row.setStatusMessage(observation.statusMessage());
        row.setVersion(observation.version());
        row.setModel(observation.model());
        row.setModelParameters(json(observation.modelParameters()));
        row.setUsageDetails(observation.usage() == null ? null
                : json(Json.write(observation.usage().details(), Integer.MAX_VALUE)));
        row.setCostDetails(observation.cost() == null ? null
                : json(Json.write(observation.cost().details(), Integer.MAX_VALUE)));
        ObservationFigures figures = ObservationFigures.of(observation);
        row.setInputTokens(figures.inputTokens());
        row.setOutputTokens(figures.outputTokens());
        row.setTotalTokens(figures.totalTokens());
        row.setTotalCost(figures.totalCost());
        row.setPromptName(observation.promptName());
        row.setPromptVersion(observation.promptVersion());
        return row;
    }

    /**
     * Returns a stored observation as a later record merges into it: a start time that only stood in for an unknown
     * one is null, so that the first start time given takes its place.
     */
    static Observation observationToMerge(ObservationsRecord row) {
        Observation stored = observation(row);
        return Boolean.FALSE.equals(row.getStartTimeKnown()) ? stored.toBuilder().startTime(null).build() : stored;
    }

    static Observation observation(ObservationsRecord row) {
        return new Observation(row.getId(), row.getTraceId(), row.getParentObservationId(),
                ObservationType.parse(row.getType()), row.getName(), row.getStartTime(), row.getEndTime(),
                row.getCompletionStartTime(), text(row.getInput()), text(row.getOutput()), text(row.getMetadata()),
                ObservationLevel.parse(row.getLevel()), row.getStatusMessage(), row.getVersion(), row.getModel(),
                text(row.getModelParameters()), usage(text(row.getUsageDetails())), cost(text(row.getCostDetails())),
                row.getPromptName(), row.getPromptVersion());
    }

    /** Returns what an observation row contributes to its trace's figures, from its figure columns alone. */
    static ObservationFigures figures(ObservationsRecord row) {
        return new ObservationFigures(row.getEndTime(), ObservationLevel.parse(row.getLevel()), row.getInputTokens(),
                row.getOutputTokens(), row.getTotalTokens(), row.getTotalCost());
    }

    private static Usage usage(String json) {
        if (json == null) {
            return null;
        }
        Map<String, Long> details = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = parse(json).fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNumber()) {
                details.put(field.getKey(), field.getValue().longValue());
            }
        }
        return new Usage(details);
    }

    private static Cost cost(String json) {
        if (json == null) {
            return null;
        }
        Map<String, BigDecimal> details = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = parse(json).fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNumber()) {
                details.put(field.getKey(), field.getValue().decimalValue());
            }
        }
        return new Cost(details);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Scores

    /** Returns the row of a score; a score without a timestamp was given {@code now}. */
    static ScoresRecord scoreRow(Score score, Instant now) {
        ScoresRecord row = attached(new ScoresRecord());
        row.setId(score.id());
        row.setTraceId(score.traceId());
        row.setObservationId(score.observationId());
        row.setSessionId(score.sessionId());
        row.setName(score.name());
        row.setDataType(score.dataType().name());
        row.setNumericValue(score.value());
        row.setStringValue(score.stringValue());
        row.setComment(score.comment());
        row.setSource(score.source());
        row.setCreatedAt(score.timestamp() == null ? now : score.timestamp());
        row.setMetadata(json(score.metadata()));
        return row;
    }

    static Score score(ScoresRecord row) {
        return new Score(row.getId(), row.getTraceId(), row.getObservationId(), row.getSessionId(), row.getName(),
                ScoreDataType.parse(row.getDataType()), row.getNumericValue(), row.getStringValue(), row.getComment(),
                row.getSource(), row.getCreatedAt(), text(row.getMetadata()));
    }

    // -------------------------------------------------------------------------------------------------------------
    // Test runs and results

    static TestRunsRecord testRunRow(TestRun run) {
        TestRunsRecord row = attached(new TestRunsRecord());
        row.setId(run.id());
        row.setStartTime(run.startTime());
        row.setEndTime(run.endTime());
        row.setGitCommit(run.gitCommit());
        row.setGitBranch(run.gitBranch());
        row.setPassed(run.passed());
        row.setFailed(run.failed());
        row.setSkipped(run.skipped());
        row.setAborted(run.aborted());
        return row;
    }

    static TestRun testRun(TestRunsRecord row) {
        return new TestRun(row.getId(), row.getStartTime(), row.getEndTime(), row.getGitCommit(), row.getGitBranch(),
                row.getPassed(), row.getFailed(), row.getSkipped(), row.getAborted());
    }

    static TestResultsRecord testResultRow(TestResult result) {
        TestResultsRecord row = attached(new TestResultsRecord());
        row.setId(result.id());
        row.setRunId(result.runId());
        row.setUniqueId(result.uniqueId());
        row.setTestClass(result.testClass());
        row.setTestMethod(result.testMethod());
        row.setDisplayName(result.displayName());
        row.setParameters(result.parameters());
        row.setTags(json(Json.write(result.tags(), Integer.MAX_VALUE)));
        row.setStatus(result.status().name());
        row.setStartTime(result.startTime());
        row.setDurationMicros(result.duration() == null ? null : result.duration().toNanos() / 1_000);
        row.setFailureMessage(result.failureMessage());
        row.setTraceIds(json(Json.write(result.traceIds(), Integer.MAX_VALUE)));
        return row;
    }

    static TestResult testResult(TestResultsRecord row) {
        return new TestResult(row.getId(), row.getRunId(), row.getUniqueId(), row.getTestClass(),
                row.getTestMethod(), row.getDisplayName(), row.getParameters(), strings(row.getTags()),
                TestStatus.valueOf(row.getStatus()), row.getStartTime(),
                row.getDurationMicros() == null ? null : Duration.ofNanos(row.getDurationMicros() * 1_000),
                row.getFailureMessage(), strings(row.getTraceIds()));
    }

    // -------------------------------------------------------------------------------------------------------------
    // JSON columns

    private static JSON json(String document) {
        return document == null ? null : JSON.json(document);
    }

    private static String text(JSON json) {
        return json == null ? null : json.data();
    }

    private static List<String> strings(JSON json) {
        if (json == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        parse(json.data()).forEach(node -> values.add(node.asText()));
        return values;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (IOException corrupt) {
            throw new IllegalStateException("Stored JSON is not valid: " + json, corrupt);
        }
    }
}
