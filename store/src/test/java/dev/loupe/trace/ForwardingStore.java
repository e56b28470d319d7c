package dev.loupe.trace;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Session;
import dev.loupe.model.SessionSummary;
import dev.loupe.model.TraceBatch;
import dev.loupe.model.TraceSummary;
import dev.loupe.model.TraceTree;
import dev.loupe.store.ObservationQuery;
import dev.loupe.store.Page;
import dev.loupe.store.ScoreQuery;
import dev.loupe.store.SessionQuery;
import dev.loupe.store.TestRunStore;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import java.util.Optional;

/** A store that passes every call on to a real one; tests override {@link #write} to disturb it. */
abstract class ForwardingStore implements TraceStore {

    private final TraceStore delegate;

    ForwardingStore(TraceStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void write(TraceBatch batch) {
        delegate.write(batch);
    }

    @Override
    public void sync() {
        delegate.sync();
    }

    @Override
    public Page<TraceSummary> traces(TraceQuery query) {
        return delegate.traces(query);
    }

    @Override
    public Optional<TraceTree> trace(String traceId) {
        return delegate.trace(traceId);
    }

    @Override
    public Page<Observation> observations(ObservationQuery query) {
        return delegate.observations(query);
    }

    @Override
    public Optional<Observation> observation(String observationId) {
        return delegate.observation(observationId);
    }

    @Override
    public Page<SessionSummary> sessions(SessionQuery query) {
        return delegate.sessions(query);
    }

    @Override
    public Optional<Session> session(String sessionId) {
        return delegate.session(sessionId);
    }

    @Override
    public Page<Score> scores(ScoreQuery query) {
        return delegate.scores(query);
    }

    @Override
    public TestRunStore testRuns() {
        return delegate.testRuns();
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public long pruneOlderThan(java.time.Instant cutoff) {
        return delegate.pruneOlderThan(cutoff);
    }

    @Override
    public boolean closeAndCompact() {
        return delegate.closeAndCompact();
    }
}
