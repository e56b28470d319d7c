package dev.loupe.junit;

import dev.loupe.Loupe;
import dev.loupe.engine.ExportListener;
import dev.loupe.engine.GlobalListeners;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.trace.ContextKey;
import dev.loupe.trace.StartedObservation;
import dev.loupe.trace.TraceContext;
import dev.loupe.trace.Tracer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends what the global tracer records to the test that owns it. A trace belongs to the test whose capture is
 * carried in the context where the trace began; a trace begun where no capture is carried belongs to the only test
 * running at that moment, or, when several run, to none: it is kept as unattributed and reported, never given to the
 * wrong test. One router serves the whole JVM.
 */
final class CaptureRouter implements ExportListener {

    /** Carries the capture of the test that owns the work on a thread. */
    static final ContextKey<TestCapture> CAPTURE = ContextKey.inheritable("loupe.junit.capture");

    private static CaptureRouter instance;

    private final Map<String, TestCapture> byTrace = new ConcurrentHashMap<>();
    private final Set<TestCapture> running = ConcurrentHashMap.newKeySet();
    /** Session scores (they have no trace) by score id, routed when they are recorded. */
    private final Map<String, TestCapture> bySessionScore = new ConcurrentHashMap<>();
    private volatile TestCapture unattributed;
    private volatile TestCapture late;

    private CaptureRouter() {
        this.unattributed = new TestCapture(this, "(unattributed)", null);
        this.late = new TestCapture(this, "(late)", null);
    }

    /**
     * Returns the router, installing it on first use. It listens to every Loupe engine of the JVM, so it keeps
     * capturing when a test or the application replaces the global tracer ({@code Loupe.setTracer}) or builds tracers
     * of its own. Unless the application configured a store for the global tracer ({@code loupe.store}), the global
     * tracer gets none: the extension writes each test's traces to the test store itself, so they are stored once.
     */
    static synchronized CaptureRouter get() {
        if (instance == null) {
            Loupe.initialize(() -> {
                boolean storeConfigured = System.getProperty("loupe.store") != null
                        || System.getenv("LOUPE_STORE") != null;
                TracerBuilder builder = TracerBuilder.fromEnvironment();
                return (storeConfigured ? builder : builder.withoutStore()).build();
            });
            instance = new CaptureRouter();
            GlobalListeners.add(instance);
        }
        return instance;
    }

    static TestCapture currentCapture() {
        return TraceContext.current().get(CAPTURE);
    }

    /** Returns the tracer application code records with: the global one, whichever it is now. */
    Tracer tracer() {
        return Loupe.tracer();
    }

    /** Returns the traces no test owned since the last call, and starts collecting anew. */
    synchronized TestCapture takeUnattributed() {
        TestCapture taken = unattributed;
        unattributed = new TestCapture(this, "(unattributed)", null);
        taken.traceIds().forEach(byTrace::remove);
        return taken;
    }

    /**
     * Returns the traces that began after the test they belong to had ended (on a thread the test started, say),
     * each name prefixed with its test's, and starts collecting anew.
     */
    synchronized TestCapture takeLate() {
        TestCapture taken = late;
        late = new TestCapture(this, "(late)", null);
        taken.traceIds().forEach(byTrace::remove);
        return taken;
    }

    void running(TestCapture capture) {
        running.add(capture);
    }

    void stopped(TestCapture capture) {
        capture.end();
        running.remove(capture);
    }

    void finished(TestCapture capture) {
        capture.end();
        running.remove(capture);
        capture.traceIds().forEach(byTrace::remove);
        capture.sessionScoreIds().forEach(bySessionScore::remove);
    }

    @Override
    public void onStart(StartedObservation observation) {
        if (observation.isTraceRoot()) {
            TestCapture owner = ownerWhere(observation.context());
            if (owner.hasEnded()) {
                // Begun where an ended test's context is carried: it is that test's, too late to be seen by it.
                // It is reported, never given to the test running now.
                late.lateFrom(owner, observation.traceId());
                owner = late;
            }
            byTrace.put(observation.traceId(), owner);
            owner.started(observation);
        } else {
            TestCapture owner = byTrace.get(observation.traceId());
            if (owner != null) {
                owner.started(observation);
            }
        }
    }

    /**
     * Returns the test whose capture the context carries; where it carries none, the only test running, or when
     * several run, the unattributed collection.
     */
    private TestCapture ownerWhere(TraceContext context) {
        TestCapture owner = context.get(CAPTURE);
        if (owner == null) {
            owner = soleRunningTest();
        }
        return owner == null ? unattributed : owner;
    }

    @Override
    public void onSessionScore(String scoreId, TraceContext context) {
        TestCapture owner = ownerWhere(context);
        bySessionScore.put(scoreId, owner.hasEnded() ? late : owner);
    }

    private TestCapture soleRunningTest() {
        TestCapture sole = null;
        for (TestCapture capture : running) {
            if (sole != null) {
                return null;
            }
            sole = capture;
        }
        return sole;
    }

    @Override
    public void onExport(TraceBatch batch) {
        Map<TestCapture, List<Trace>> traces = new HashMap<>();
        Map<TestCapture, List<Observation>> observations = new HashMap<>();
        Map<TestCapture, List<Score>> scores = new HashMap<>();
        for (Trace trace : batch.traces()) {
            route(trace.id(), traces, trace);
        }
        for (Observation observation : batch.observations()) {
            route(observation.traceId(), observations, observation);
        }
        for (Score score : batch.scores()) {
            if (score.traceId() != null) {
                route(score.traceId(), scores, score);
            } else {
                TestCapture owner = bySessionScore.get(score.id());
                if (owner != null) {
                    scores.computeIfAbsent(owner, key -> new ArrayList<>()).add(score);
                }
            }
        }
        Set<TestCapture> owners = ConcurrentHashMap.newKeySet();
        owners.addAll(traces.keySet());
        owners.addAll(observations.keySet());
        owners.addAll(scores.keySet());
        for (TestCapture owner : owners) {
            owner.exported(traces.getOrDefault(owner, List.of()), observations.getOrDefault(owner, List.of()),
                    scores.getOrDefault(owner, List.of()));
        }
    }

    private <T> void route(String traceId, Map<TestCapture, List<T>> into, T record) {
        TestCapture owner = byTrace.get(traceId);
        if (owner != null) {
            into.computeIfAbsent(owner, key -> new ArrayList<>()).add(record);
        }
    }
}
