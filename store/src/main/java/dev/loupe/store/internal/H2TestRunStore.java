package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.TEST_RESULTS;
import static dev.loupe.store.internal.generated.Tables.TEST_RUNS;

import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TestStatus;
import dev.loupe.store.Page;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TestRunStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/** The test runs of an {@link H2TraceStore}, in tables of the same database; usable while that store is open. */
final class H2TestRunStore implements TestRunStore {

    private final DSLContext sql;
    private final Runnable checkOpen;

    H2TestRunStore(DSLContext sql, Runnable checkOpen) {
        this.sql = sql;
        this.checkOpen = checkOpen;
    }

    @Override
    public void writeRun(TestRun run) {
        checkOpen.run();
        var row = Rows.testRunRow(run);
        try {
            sql.insertInto(TEST_RUNS).set(row).onDuplicateKeyUpdate().set(row).execute();
        } catch (DataAccessException failure) {
            throw H2TraceStore.translate(failure, "test run " + run.id());
        }
    }

    @Override
    public void writeResults(List<TestResult> results) {
        checkOpen.run();
        if (results.isEmpty()) {
            return;
        }
        sql.transaction(configuration -> {
            DSLContext tx = configuration.dsl();
            for (TestResult result : results) {
                var row = Rows.testResultRow(result);
                try {
                    tx.insertInto(TEST_RESULTS).set(row).onDuplicateKeyUpdate().set(row).execute();
                } catch (DataAccessException failure) {
                    // Rolls the results written before back, too.
                    throw H2TraceStore.translate(failure, "test result " + result.id());
                }
            }
        });
    }

    @Override
    public Page<TestRun> runs(PageRequest page) {
        Objects.requireNonNull(page, "page");
        checkOpen.run();
        long total = page.countTotal() ? sql.fetchCount(TEST_RUNS) : -1;
        List<TestRun> runs = sql.selectFrom(TEST_RUNS).orderBy(TEST_RUNS.START_TIME.desc(), TEST_RUNS.ID)
                .limit(page.limit()).offset(page.offset()).fetch(Rows::testRun);
        return Page.of(runs, page, total);
    }

    @Override
    public Optional<TestRun> run(String runId) {
        checkOpen.run();
        return sql.selectFrom(TEST_RUNS).where(TEST_RUNS.ID.eq(runId)).fetchOptional(Rows::testRun);
    }

    @Override
    public List<TestResult> results(String runId) {
        checkOpen.run();
        var failuresFirst = DSL.when(TEST_RESULTS.STATUS.in(TestStatus.FAILED.name(), TestStatus.ABORTED.name()), 0)
                .otherwise(1);
        return sql.selectFrom(TEST_RESULTS).where(TEST_RESULTS.RUN_ID.eq(runId))
                .orderBy(failuresFirst, TEST_RESULTS.TEST_CLASS, TEST_RESULTS.DISPLAY_NAME, TEST_RESULTS.ID)
                .fetch(Rows::testResult);
    }
}
