package dev.loupe.store.internal;

import static dev.loupe.store.internal.generated.Tables.OBSERVATIONS;
import static dev.loupe.store.internal.generated.Tables.TRACES;

import dev.loupe.model.Observation;
import dev.loupe.model.Trace;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * Every stored trace with its observations, read in the order the traces started, a round at a time: what the Java
 * migrations that build an index from stored rows go through. In start order, each round's posting rows cover a span
 * of time of their own, as the writer's do.
 */
final class StoredTraces {

    /** Traces read per round. */
    static final int TRACES_PER_ROUND = 500;

    /** What a migration does with one round. */
    interface Round {

        /** Indexes these traces, given their observations by trace id. */
        void index(List<Trace> traces, Map<String, List<Observation>> observations) throws SQLException;
    }

    private StoredTraces() {
    }

    /** Returns a jOOQ context on a migration's connection, rendering as the store does. */
    static DSLContext sql(Connection connection) {
        return DSL.using(connection, SQLDialect.H2, new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER)
                .withRenderSchema(false).withExecuteLogging(false));
    }

    /** Hands every stored trace, with its observations, to the round, {@value #TRACES_PER_ROUND} at a time. */
    static void inStartOrder(DSLContext sql, Round round) throws SQLException {
        Trace last = null;
        while (true) {
            var page = sql.selectFrom(TRACES);
            List<Trace> traces = (last == null ? page.orderBy(TRACES.START_TIME, TRACES.ID)
                    : page.where(DSL.row(TRACES.START_TIME, TRACES.ID).gt(last.timestamp(), last.id()))
                            .orderBy(TRACES.START_TIME, TRACES.ID))
                    .limit(TRACES_PER_ROUND).fetch(Rows::trace);
            if (traces.isEmpty()) {
                return;
            }
            Map<String, List<Observation>> observations = new HashMap<>();
            for (List<String> ids : TraceWriter.inLists(traces.stream().map(Trace::id).toList())) {
                for (Observation observation : sql.selectFrom(OBSERVATIONS).where(OBSERVATIONS.TRACE_ID.in(ids))
                        .fetch(Rows::observation)) {
                    observations.computeIfAbsent(observation.traceId(), id -> new ArrayList<>()).add(observation);
                }
            }
            round.index(traces, observations);
            last = traces.get(traces.size() - 1);
        }
    }
}
