package dev.loupe.assertj;

import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationType;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Finds observations the way the assertions navigate, and explains why a path led nowhere. */
final class Finder {

    private static final Pattern PATH_SEPARATOR = Pattern.compile("\\s*>\\s*");

    private Finder() {
    }

    /** Returns the model calls (generations and embeddings), depth first. */
    static List<Observation> modelCalls(TraceTree tree) {
        return tree.filter(observation -> observation.type().isModelCall());
    }

    /** Returns the first model call with this name, depth first. */
    static Optional<Observation> modelCall(TraceTree tree, String name) {
        return modelCalls(tree).stream().filter(observation -> name.equals(observation.name())).findFirst();
    }

    /** Returns the tool calls in the order they started. */
    static List<Observation> toolCallsInStartOrder(TraceTree tree) {
        return tree.observations().stream().filter(observation -> observation.type() == ObservationType.TOOL)
                .collect(Collectors.toList());
    }

    /**
     * Returns the observations that failed, first to last: by end time, the deeper first when two ended at the
     * same instant, since a failure surfaces in the child before it reaches the parent.
     */
    static List<Observation> errorsInOrder(TraceTree tree) {
        return tree.errors().stream()
                .sorted(Comparator.comparing((Observation error) -> moment(error),
                                Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
                        .thenComparing(Comparator.comparingInt(tree::depth).reversed()))
                .collect(Collectors.toList());
    }

    private static Instant moment(Observation observation) {
        return observation.endTime() != null ? observation.endTime() : observation.startTime();
    }

    /** Returns the failure message for a path that leads nowhere, saying how far it could be followed. */
    static String pathNotFound(TraceTree tree, String path) {
        String[] names = PATH_SEPARATOR.split(path.trim());
        Observation deepest = null;
        int followed = 0;
        for (int length = names.length - 1; length > 0; length--) {
            Optional<Observation> prefix = tree.findByPath(String.join(" > ", List.of(names).subList(0, length)));
            if (prefix.isPresent()) {
                deepest = prefix.get();
                followed = length;
                break;
            }
        }
        List<Observation> candidates = deepest == null ? tree.walk() : tree.children(deepest);
        return LoupeErrors.shouldHaveObservationAtPath(tree, path, deepest, names[followed], candidates);
    }
}
