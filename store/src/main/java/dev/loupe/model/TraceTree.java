package dev.loupe.model;

import dev.loupe.trace.ObservationType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One trace with its observation tree and its scores: the read model that the store returns, the JUnit capture
 * builds, the assertions check and the devserver renders. Immutable.
 *
 * <p>Children are ordered by start time. An observation whose parent is not in the trace is treated as a top-level
 * observation, and so is the earliest observation of a cycle of parents, so nothing recorded is hidden.
 */
public final class TraceTree {

    private static final Comparator<Observation> START_ORDER = Comparator
            .comparing(Observation::startTime, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Observation::id);
    private static final Pattern PATH_SEPARATOR = Pattern.compile("\\s*>\\s*");

    private final Trace trace;
    private final List<Observation> observations;
    private final List<Score> scores;
    private final Map<String, Observation> byId;
    private final Map<String, List<Observation>> childrenByParent;
    private final List<Observation> roots;
    private final List<Observation> depthFirst;
    private final Set<String> cycleBreaks;

    private TraceTree(Trace trace, Collection<Observation> observations, Collection<Score> scores) {
        this.trace = Objects.requireNonNull(trace, "trace");
        List<Observation> sorted = new ArrayList<>(observations);
        sorted.sort(START_ORDER);
        this.observations = List.copyOf(sorted);
        this.scores = List.copyOf(scores);
        Map<String, Observation> index = new LinkedHashMap<>();
        for (Observation observation : this.observations) {
            if (!observation.traceId().equals(trace.id())) {
                throw new IllegalArgumentException("Observation '" + observation.name() + "' (" + observation.id()
                        + ") belongs to trace " + observation.traceId() + ", not to trace " + trace.id());
            }
            index.put(observation.id(), observation);
        }
        this.byId = Collections.unmodifiableMap(index);
        Map<String, List<Observation>> children = new HashMap<>();
        List<Observation> top = new ArrayList<>();
        for (Observation observation : this.observations) {
            String parent = observation.parentObservationId();
            if (parent == null || !index.containsKey(parent) || parent.equals(observation.id())) {
                top.add(observation);
            } else {
                children.computeIfAbsent(parent, key -> new ArrayList<>()).add(observation);
            }
        }
        this.cycleBreaks = breakParentCycles(top, children);
        children.replaceAll((key, list) -> List.copyOf(list));
        this.childrenByParent = Collections.unmodifiableMap(children);
        this.roots = List.copyOf(top);
        List<Observation> walk = new ArrayList<>(this.observations.size());
        for (Observation root : roots) {
            walk(root, walk);
        }
        this.depthFirst = List.copyOf(walk);
    }

    /**
     * Makes the earliest observation of each cycle of parents (corrupt or hand-made data) top-level, so that no
     * observation is unreachable from the top; returns the ids of those observations.
     */
    private Set<String> breakParentCycles(List<Observation> top, Map<String, List<Observation>> children) {
        Set<String> reached = new HashSet<>();
        top.forEach(root -> reach(root, children, reached));
        if (reached.size() == observations.size()) {
            return Set.of();
        }
        Set<String> broken = new HashSet<>();
        for (Observation observation : observations) {
            if (!reached.contains(observation.id())) {
                children.get(observation.parentObservationId()).remove(observation);
                top.add(observation);
                broken.add(observation.id());
                reach(observation, children, reached);
            }
        }
        top.sort(START_ORDER);
        return Set.copyOf(broken);
    }

    private static void reach(Observation from, Map<String, List<Observation>> children, Set<String> reached) {
        if (reached.add(from.id())) {
            children.getOrDefault(from.id(), List.of()).forEach(child -> reach(child, children, reached));
        }
    }

    /** Returns the tree of this trace, its observations (in any order) and its scores. */
    public static TraceTree of(Trace trace, Collection<Observation> observations, Collection<Score> scores) {
        return new TraceTree(trace, observations, scores);
    }

    private void walk(Observation observation, List<Observation> into) {
        into.add(observation);
        for (Observation child : children(observation)) {
            walk(child, into);
        }
    }

    /** Returns the trace record. */
    public Trace trace() {
        return trace;
    }

    /** Returns the trace id. */
    public String id() {
        return trace.id();
    }

    /** Returns the trace name. */
    public String name() {
        return trace.name();
    }

    /** Returns all observations in the order they started. */
    public List<Observation> observations() {
        return observations;
    }

    /** Returns all observations depth first: each one followed by its children, in start order. */
    public List<Observation> walk() {
        return depthFirst;
    }

    /** Returns the observations at the top of the trace, in start order. */
    public List<Observation> roots() {
        return roots;
    }

    /**
     * Returns the root observation: the first top-level observation, whose name is usually the trace's.
     *
     * @throws IllegalStateException when the trace has no observation
     */
    public Observation root() {
        if (roots.isEmpty()) {
            throw new IllegalStateException("Trace '" + trace.name() + "' (" + trace.id() + ") has no observations");
        }
        return roots.get(0);
    }

    /** Returns the observation with this id, if the trace has one. */
    public Optional<Observation> observation(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Returns the children of an observation in start order. */
    public List<Observation> children(Observation observation) {
        return childrenByParent.getOrDefault(observation.id(), List.of());
    }

    /** Returns the parent of an observation, or empty for a top-level observation. */
    public Optional<Observation> parent(Observation observation) {
        String parent = observation.parentObservationId();
        return parent == null || parent.equals(observation.id()) || cycleBreaks.contains(observation.id())
                ? Optional.empty()
                : Optional.ofNullable(byId.get(parent));
    }

    /** Returns the observations from the top of the trace down to this one, both included. */
    public List<Observation> ancestry(Observation observation) {
        List<Observation> chain = new ArrayList<>();
        Optional<Observation> current = Optional.of(observation);
        while (current.isPresent() && chain.size() <= observations.size()) {
            chain.add(0, current.get());
            current = parent(current.get());
        }
        return List.copyOf(chain);
    }

    /** Returns how deep an observation sits: 0 at the top of the trace. */
    public int depth(Observation observation) {
        return ancestry(observation).size() - 1;
    }

    /** Returns the path of names from the top of the trace to this observation, such as {@code agent > search}. */
    public String path(Observation observation) {
        return ancestry(observation).stream().map(Observation::name).map(String::valueOf)
                .collect(Collectors.joining(" > "));
    }

    /** Returns the first observation with this name, depth first. */
    public Optional<Observation> find(String name) {
        return depthFirst.stream().filter(observation -> Objects.equals(observation.name(), name)).findFirst();
    }

    /** Returns all observations with this name, depth first. */
    public List<Observation> findAll(String name) {
        return filter(observation -> Objects.equals(observation.name(), name));
    }

    /** Returns all observations of this type, depth first. */
    public List<Observation> ofType(ObservationType type) {
        return filter(observation -> observation.type() == type);
    }

    /** Returns all observations that satisfy the predicate, depth first. */
    public List<Observation> filter(Predicate<? super Observation> predicate) {
        return depthFirst.stream().filter(predicate).collect(Collectors.toUnmodifiableList());
    }

    /**
     * Returns the observation at a path of names separated by {@code >}, such as
     * {@code "support-agent > search_docs"}. The path starts at a top-level observation; when no top-level
     * observation matches its first name, it may start anywhere in the tree.
     */
    public Optional<Observation> findByPath(String path) {
        String[] names = PATH_SEPARATOR.split(path.trim());
        Optional<Observation> fromTop = descend(roots, names);
        if (fromTop.isPresent()) {
            return fromTop;
        }
        return descend(findAll(names[0]), names);
    }

    private Optional<Observation> descend(List<Observation> candidates, String[] names) {
        for (Observation candidate : candidates) {
            if (Objects.equals(candidate.name(), names[0])) {
                Optional<Observation> found = names.length == 1 ? Optional.of(candidate)
                        : descend(children(candidate), java.util.Arrays.copyOfRange(names, 1, names.length));
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** Returns the generations, depth first. */
    public List<Observation> generations() {
        return ofType(ObservationType.GENERATION);
    }

    /** Returns the tool calls, depth first. */
    public List<Observation> toolCalls() {
        return ofType(ObservationType.TOOL);
    }

    /** Returns the spans, depth first. */
    public List<Observation> spans() {
        return ofType(ObservationType.SPAN);
    }

    /** Returns the events, depth first. */
    public List<Observation> events() {
        return ofType(ObservationType.EVENT);
    }

    /** Returns the observations that failed (level ERROR), depth first. */
    public List<Observation> errors() {
        return filter(Observation::isError);
    }

    /** Returns the observations that have not ended, depth first. */
    public List<Observation> openObservations() {
        return filter(Observation::isOpen);
    }

    /** Returns all scores: of the trace and of its observations. */
    public List<Score> scores() {
        return scores;
    }

    /** Returns the scores of the trace as a whole (not of one observation). */
    public List<Score> traceScores() {
        return scores.stream().filter(score -> score.observationId() == null)
                .collect(Collectors.toUnmodifiableList());
    }

    /** Returns the scores of one observation. */
    public List<Score> scoresOf(Observation observation) {
        return scores.stream().filter(score -> observation.id().equals(score.observationId()))
                .collect(Collectors.toUnmodifiableList());
    }

    /** Returns the latest trace-level score with this name. */
    public Optional<Score> score(String name) {
        return traceScores().stream().filter(score -> score.name().equals(name)).reduce((first, second) -> second);
    }

    /** Returns the figures derived from the observations: latency, counts, tokens and cost. */
    public TraceStats stats() {
        java.time.Instant start = trace.timestamp();
        if (start == null && !observations.isEmpty()) {
            start = observations.get(0).startTime();
        }
        return TraceStats.of(start, observations);
    }

    /** Returns the tree as a readable outline: type, name, duration, model and tokens, errors and scores. */
    public String render() {
        return TraceTreeRenderer.render(this, null);
    }

    /** Returns the outline of {@link #render()} with one observation marked, for failure messages. */
    public String render(Observation marked) {
        return TraceTreeRenderer.render(this, marked == null ? null : marked.id());
    }

    /** Returns the outline of {@link #render()}. */
    @Override
    public String toString() {
        return render();
    }

    /** Returns whether the other object is a tree of the same trace, observations and scores. */
    @Override
    public boolean equals(Object other) {
        return other instanceof TraceTree tree && trace.equals(tree.trace) && observations.equals(tree.observations)
                && scores.equals(tree.scores);
    }

    /** Returns a hash of the trace, observations and scores. */
    @Override
    public int hashCode() {
        return Objects.hash(trace, observations, scores);
    }
}
