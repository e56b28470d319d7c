package dev.loupe.model;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Two runs of the same work side by side, such as the trace of a test before and after a change: which observations
 * were added, removed or changed (naming the fields that changed), and how tokens, cost and latency moved.
 *
 * <p>Ids differ from run to run, so observations are paired by place: the path of types and names from the top of
 * the trace, and their order among observations on the same path. Times and durations are not compared field by
 * field (they always differ); the latency of the whole trace is.
 *
 * @param before  the earlier trace
 * @param after   the later trace
 * @param changes every observation added, removed or changed, in the order of the later trace then the earlier one
 */
public record TraceComparison(TraceTree before, TraceTree after, List<ObservationChange> changes) {

    /** How an observation differs between the two traces. */
    public enum ChangeKind {
        /** Only in the later trace. */
        ADDED,
        /** Only in the earlier trace. */
        REMOVED,
        /** In both, with other values in some fields. */
        CHANGED
    }

    /**
     * One observation that differs.
     *
     * @param kind          added, removed or changed
     * @param place         where it is: its path of {@code TYPE name} from the top, with its order when repeated,
     *                      such as {@code SPAN agent > TOOL search #2}
     * @param before        the observation in the earlier trace, or null when added
     * @param after         the observation in the later trace, or null when removed
     * @param changedFields the fields with other values, such as {@code model} or {@code input}; empty unless changed
     */
    public record ObservationChange(ChangeKind kind, String place, Observation before, Observation after,
            List<String> changedFields) {

        /** Copies the list of fields. */
        public ObservationChange {
            changedFields = List.copyOf(changedFields);
        }
    }

    private static final Map<String, Function<Observation, Object>> FIELDS = fields();

    /** Copies the list of changes. */
    public TraceComparison {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        changes = List.copyOf(changes);
    }

    /** Compares two traces. */
    public static TraceComparison of(TraceTree before, TraceTree after) {
        Map<String, Observation> earlier = byPlace(before);
        Map<String, Observation> later = byPlace(after);
        List<ObservationChange> changes = new ArrayList<>();
        later.forEach((place, observation) -> {
            Observation old = earlier.get(place);
            if (old == null) {
                changes.add(new ObservationChange(ChangeKind.ADDED, place, null, observation, List.of()));
                return;
            }
            List<String> changed = new ArrayList<>();
            FIELDS.forEach((field, read) -> {
                if (!Objects.equals(read.apply(old), read.apply(observation))) {
                    changed.add(field);
                }
            });
            if (!changed.isEmpty()) {
                changes.add(new ObservationChange(ChangeKind.CHANGED, place, old, observation, changed));
            }
        });
        earlier.forEach((place, observation) -> {
            if (!later.containsKey(place)) {
                changes.add(new ObservationChange(ChangeKind.REMOVED, place, observation, null, List.of()));
            }
        });
        return new TraceComparison(before, after, changes);
    }

    /** Returns whether the two trees have the same shape: no observation added or removed. */
    public boolean sameShape() {
        return changes.stream().allMatch(change -> change.kind() == ChangeKind.CHANGED);
    }

    /** Returns the later trace's total tokens minus the earlier one's. */
    public long tokenDelta() {
        return after.stats().totalTokens() - before.stats().totalTokens();
    }

    /** Returns the later trace's total cost minus the earlier one's in US dollars; an unknown cost counts as zero. */
    public BigDecimal costDelta() {
        return orZero(after.stats().totalCost()).subtract(orZero(before.stats().totalCost()));
    }

    /** Returns the later trace's latency minus the earlier one's, or null when either has no ended observation. */
    public Duration latencyDelta() {
        Duration was = before.stats().latency();
        Duration is = after.stats().latency();
        return was == null || is == null ? null : is.minus(was);
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }

    /** Returns the observations of a tree by place, depth first. */
    private static Map<String, Observation> byPlace(TraceTree tree) {
        Map<String, Observation> byPlace = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Observation observation : tree.walk()) {
            StringBuilder path = new StringBuilder();
            for (Observation step : tree.ancestry(observation)) {
                path.append(path.length() == 0 ? "" : " > ").append(step.type()).append(' ').append(step.name());
            }
            String place = path.toString();
            int count = seen.merge(place, 1, Integer::sum);
            byPlace.put(count == 1 ? place : place + " #" + count, observation);
        }
        return byPlace;
    }

    private static Map<String, Function<Observation, Object>> fields() {
        Map<String, Function<Observation, Object>> fields = new LinkedHashMap<>();
        fields.put("model", Observation::model);
        fields.put("level", Observation::level);
        fields.put("statusMessage", Observation::statusMessage);
        fields.put("input", Observation::input);
        fields.put("output", Observation::output);
        fields.put("metadata", Observation::metadata);
        fields.put("modelParameters", Observation::modelParameters);
        fields.put("usage", Observation::usage);
        fields.put("cost", observation -> observation.cost() == null ? null : observation.cost().total() == null
                ? null : observation.cost().total().stripTrailingZeros());
        fields.put("prompt", observation -> observation.promptName() == null ? null
                : observation.promptName() + " v" + observation.promptVersion());
        return fields;
    }
}
