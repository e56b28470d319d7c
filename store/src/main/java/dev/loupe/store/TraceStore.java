package dev.loupe.store;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Session;
import dev.loupe.model.SessionSummary;
import dev.loupe.model.TraceBatch;
import dev.loupe.model.TraceSummary;
import dev.loupe.model.TraceTree;
import dev.loupe.store.internal.H2TraceStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Where traces are kept: written by the tracer's exporter, read by the JUnit capture, the assertions and the
 * devserver. Every list is paged by a {@link PageRequest} and answered with a {@link Page}. The test runs of the JUnit
 * extension are kept beside the traces, in {@link #testRuns()}. Implementations are safe for concurrent use.
 *
 * <p>Writes are upserts by id with Langfuse's merge rules (see {@link dev.loupe.model.Trace#mergedWith},
 * {@link Observation#mergedWith}, {@link Score#mergedWith}): a later record for the same id merges into the stored
 * one, whatever order the records arrive in.
 */
public interface TraceStore extends AutoCloseable {

    /**
     * Opens (creating or migrating as needed) the file store in this directory, and takes in what waits in its
     * {@link StoreInbox}. Another process may open the same store at the same time, for example a devserver reading
     * while tests write.
     *
     * @throws IllegalStateException when the store cannot be opened, saying why
     */
    static TraceStore open(Path directory) {
        TraceStore store = H2TraceStore.openFile(directory);
        StoreInbox.of(directory).deliverTo(store);
        return store;
    }

    /** Opens a new, empty store held in memory, gone when closed. */
    static TraceStore inMemory() {
        return H2TraceStore.inMemory();
    }

    /**
     * Writes a batch of records, merging each into what is stored under its id; all or nothing.
     *
     * @throws IllegalArgumentException when a record cannot be stored, naming it and the reason
     */
    void write(TraceBatch batch);

    /**
     * Makes everything written so far durable: it survives the process being killed. Writes become durable by
     * themselves within a short delay; the exporter calls this for {@code flush()}.
     */
    void sync();

    /** Returns one page of traces that match the query, with their figures and scores. */
    Page<TraceSummary> traces(TraceQuery query);

    /** Returns one trace with its observation tree and scores. */
    Optional<TraceTree> trace(String traceId);

    /** Returns one page of observations that match the query, oldest first. */
    Page<Observation> observations(ObservationQuery query);

    /** Returns one observation. */
    Optional<Observation> observation(String observationId);

    /** Returns one page of sessions, most recently active first. */
    Page<SessionSummary> sessions(SessionQuery query);

    /** Returns one session with its traces in the order they began. */
    Optional<Session> session(String sessionId);

    /** Returns one page of scores that match the query, newest first. */
    Page<Score> scores(ScoreQuery query);

    /** Returns the test runs recorded by the JUnit extension, kept in this store beside their traces. */
    TestRunStore testRuns();

    /** Returns where the store keeps its data, for messages: a directory, or a name for an in-memory store. */
    String location();

    /**
     * Deletes every trace that began before the cutoff, with its observations and scores, the scores of sessions
     * given before it, and the test runs (with their results) that began before it. Returns the number of traces
     * deleted. The space they took is reused by new data, and returned to the file system when the file is compacted.
     */
    long pruneOlderThan(Instant cutoff);

    /**
     * Closes the store; data of a file store stays on disk. A file store is compacted on the way when its file has
     * grown to twice its size after the last compaction and no other connection (of this process or another one)
     * has it open.
     */
    @Override
    void close();

    /**
     * Closes the store and compacts its file (rewrites it with live data only), unless another connection has it
     * open: then it is compacted when the last one closes it. Returns whether it compacted.
     */
    boolean closeAndCompact();
}
