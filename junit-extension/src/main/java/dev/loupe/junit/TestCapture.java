package dev.loupe.junit;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.StartedObservation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What one test (or one test class, for its class-level lifecycle methods) captured: the traces it began and every
 * record exported for them, merged with the read model's rules, plus the observations begun but not yet ended.
 */
final class TestCapture implements CapturedTraces {

    private final CaptureRouter router;
    private final String displayName;
    private final String uniqueId;
    private final Object lock = new Object();
    private final Set<String> traceIds = new LinkedHashSet<>();
    private final Map<String, StartedObservation> started = new LinkedHashMap<>();
    private final Map<String, Trace> traces = new LinkedHashMap<>();
    private final Map<String, Observation> observations = new LinkedHashMap<>();
    private final Map<String, Score> scores = new LinkedHashMap<>();
    /** For the collection of late traces: the test each trace came from, by trace id. */
    private final Map<String, String> lateFrom = new LinkedHashMap<>();
    private volatile boolean ended;

    TestCapture(CaptureRouter router, String displayName, String uniqueId) {
        this.router = router;
        this.displayName = displayName;
        this.uniqueId = uniqueId;
    }

    String displayName() {
        return displayName;
    }

    /** Marks the test as ended: traces begun where its context is still carried are late from now on. */
    void end() {
        ended = true;
    }

    boolean hasEnded() {
        return ended;
    }

    /** Notes, in the collection of late traces, that this trace began after its test had ended. */
    void lateFrom(TestCapture test, String traceId) {
        synchronized (lock) {
            lateFrom.put(traceId, test.displayName());
        }
    }

    /** Returns, for late traces, "test: trace name" of each. */
    List<String> lateNames() {
        synchronized (lock) {
            List<String> names = new ArrayList<>();
            for (TraceTree tree : snapshot()) {
                names.add(lateFrom.getOrDefault(tree.id(), "?") + ": " + tree.name());
            }
            return names;
        }
    }

    List<String> sessionScoreIds() {
        synchronized (lock) {
            return scores.values().stream().filter(score -> score.traceId() == null).map(Score::id).toList();
        }
    }

    String uniqueId() {
        return uniqueId;
    }

    List<String> traceIds() {
        synchronized (lock) {
            return List.copyOf(traceIds);
        }
    }

    void started(StartedObservation observation) {
        synchronized (lock) {
            if (observation.isTraceRoot()) {
                traceIds.add(observation.traceId());
            }
            started.put(observation.observationId(), observation);
        }
    }

    void exported(List<Trace> newTraces, List<Observation> newObservations, List<Score> newScores) {
        synchronized (lock) {
            newTraces.forEach(trace -> {
                traceIds.add(trace.id());
                traces.merge(trace.id(), trace, Trace::mergedWith);
            });
            newObservations.forEach(observation -> observations.merge(observation.id(), observation,
                    Observation::mergedWith));
            newScores.forEach(score -> scores.merge(score.id(), score, Score::mergedWith));
            lock.notifyAll();
        }
    }

    /** Returns every record captured, for writing to the test store. */
    TraceBatch records() {
        synchronized (lock) {
            return new TraceBatch(List.copyOf(traces.values()), List.copyOf(observations.values()),
                    List.copyOf(scores.values()));
        }
    }

    @Override
    public List<TraceTree> all() {
        router.tracer().flush();
        return snapshot();
    }

    private List<TraceTree> snapshot() {
        synchronized (lock) {
            List<TraceTree> trees = new ArrayList<>(traceIds.size());
            for (String traceId : traceIds) {
                trees.add(tree(traceId));
            }
            return trees;
        }
    }

    /** Builds one trace's tree from what was exported, with still-open observations added as open. */
    private TraceTree tree(String traceId) {
        List<Observation> members = new ArrayList<>();
        for (Observation observation : observations.values()) {
            if (observation.traceId().equals(traceId)) {
                members.add(observation);
            }
        }
        StartedObservation root = null;
        for (StartedObservation start : started.values()) {
            if (!start.traceId().equals(traceId)) {
                continue;
            }
            if (start.isTraceRoot()) {
                root = start;
            }
            if (!observations.containsKey(start.observationId())) {
                members.add(Observation.builder(start.observationId(), traceId)
                        .parentObservationId(start.parentObservationId()).type(start.type()).name(start.name())
                        .startTime(start.startTime()).build());
            }
        }
        Trace trace = traces.get(traceId);
        if (trace == null) {
            trace = Trace.builder(traceId).name(root == null ? null : root.name())
                    .timestamp(root == null ? null : root.startTime()).build();
        }
        List<Score> traceScores = scores.values().stream().filter(score -> traceId.equals(score.traceId()))
                .toList();
        return TraceTree.of(trace, members, traceScores);
    }

    @Override
    public TraceTree single() {
        List<TraceTree> all = all();
        if (all.size() != 1) {
            throw new AssertionError(expectedOne("one trace", all));
        }
        return all.get(0);
    }

    @Override
    public TraceTree single(String name) {
        List<TraceTree> all = all();
        List<TraceTree> matching = all.stream().filter(tree -> Objects.equals(tree.name(), name)).toList();
        if (matching.size() != 1) {
            throw new AssertionError(expectedOne("one trace named '" + name + "'", all).replace(
                    "but " + all.size(), "but " + matching.size() + " of " + all.size()));
        }
        return matching.get(0);
    }

    private String expectedOne(String what, List<TraceTree> all) {
        StringBuilder message = new StringBuilder("Expecting test ").append(displayName).append(" to have captured ")
                .append(what).append(",\nbut ").append(all.size()).append(all.size() == 1 ? " trace was" : " traces were")
                .append(" captured");
        if (all.isEmpty()) {
            message.append(".\nTraces begun on threads that do not carry the test's context are not attributed to it "
                    + "when tests run in parallel: wrap executors with TraceContext.propagating(...).");
        } else {
            message.append(":");
            all.forEach(tree -> message.append("\n").append(indent(tree.render())));
        }
        return message.toString();
    }

    @Override
    public List<TraceTree> named(String name) {
        return all().stream().filter(tree -> Objects.equals(tree.name(), name)).toList();
    }

    @Override
    public int count() {
        return all().size();
    }

    @Override
    public List<String> names() {
        return all().stream().map(TraceTree::name).toList();
    }

    @Override
    public List<Score> sessionScores() {
        router.tracer().flush();
        synchronized (lock) {
            return scores.values().stream().filter(score -> score.traceId() == null).toList();
        }
    }

    @Override
    public List<Observation> openObservations() {
        return all().stream().flatMap(tree -> tree.openObservations().stream()).toList();
    }

    @Override
    public List<TraceTree> awaitAtLeast(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        router.tracer().flush(timeout);
        synchronized (lock) {
            while (completedTraces() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    List<TraceTree> all = snapshot();
                    throw new AssertionError("Expecting test " + displayName + " to capture at least " + count
                            + " completed traces within " + timeout + ",\nbut " + completedTraces()
                            + " had completed:" + all.stream().map(tree -> "\n" + indent(tree.render()))
                            .collect(Collectors.joining()));
                }
                waitFor(left);
            }
        }
        return snapshot();
    }

    private long completedTraces() {
        return traceIds.stream().filter(traces::containsKey).filter(id -> started.values().stream()
                .filter(start -> start.traceId().equals(id) && start.isTraceRoot())
                .allMatch(root -> observations.containsKey(root.observationId()))).count();
    }

    @Override
    public List<TraceTree> awaitCompleted(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        router.tracer().flush(timeout);
        synchronized (lock) {
            while (!openIds().isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(stillOpen(timeout));
                }
                waitFor(left);
            }
        }
        return snapshot();
    }

    private List<String> openIds() {
        return started.keySet().stream().filter(id -> {
            Observation exported = observations.get(id);
            return exported == null || exported.isOpen();
        }).toList();
    }

    private String stillOpen(Duration timeout) {
        StringBuilder message = new StringBuilder("Expecting every observation begun in test ").append(displayName)
                .append(" to end within ").append(timeout).append(",\nbut these are still open:");
        Set<String> open = Set.copyOf(openIds());
        for (TraceTree tree : snapshot()) {
            for (Observation observation : tree.walk()) {
                if (open.contains(observation.id())) {
                    message.append("\n  ").append(observation.type()).append(' ').append(observation.name())
                            .append(" (at ").append(tree.path(observation)).append(')');
                }
            }
        }
        return message.toString();
    }

    private void waitFor(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(lock, Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(100)));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for traces of test " + displayName, interrupted);
        }
    }

    static String indent(String text) {
        return text.lines().map(line -> "  " + line).collect(Collectors.joining("\n"));
    }

    /** Returns the test's display name and what it captured, for debugging. */
    @Override
    public String toString() {
        return "CapturedTraces of " + displayName + " " + traceIds();
    }
}
