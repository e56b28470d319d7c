package dev.loupe.devserver;

import dev.loupe.model.Observation;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ObservationLevel;
import java.time.Instant;
import java.util.List;

/**
 * A hand-made trace whose stored parents do not form a tree, written with {@code store.write(...)} as another tool
 * or a corrupt file could leave it:
 * <ul>
 * <li>{@code planner} (0 ms) and {@code critic} (5 ms) name each other as parent, a cycle; {@code reviser} (7 ms)
 *     is the critic's child, and {@code rewrite} (9 ms), the reviser's, failed;</li>
 * <li>{@code orphan} (2 ms) names a parent that is not in the trace;</li>
 * <li>{@code narcissist} (3 ms) names itself.</li>
 * </ul>
 * {@link dev.loupe.model.TraceTree} makes the earliest observation of the cycle, the planner, top-level:
 * planner &gt; critic &gt; reviser &gt; rewrite, with the orphan and the narcissist beside it.
 */
final class CyclicTrace {

    static final String ID = "c1c11c0ffee";
    static final String NAME = "cyclic-agent";
    static final Instant START = Instant.parse("2025-06-01T09:00:00Z");
    /** The observations' names, in the order the tree walks them. */
    static final List<String> WALK = List.of("planner", "critic", "reviser", "rewrite", "orphan", "narcissist");

    private CyclicTrace() {
    }

    /** Writes the trace and its observations into the store. */
    static void writeInto(TraceStore store) {
        Trace trace = Trace.builder(ID).name(NAME).timestamp(START).build();
        store.write(new TraceBatch(List.of(trace), List.of(
                observation("planner", "critic", 0).build(),
                observation("critic", "planner", 5).build(),
                observation("reviser", "critic", 7).build(),
                observation("rewrite", "reviser", 9).level(ObservationLevel.ERROR).statusMessage("rewrite failed")
                        .build(),
                observation("orphan", "no-such-observation", 2).build(),
                observation("narcissist", "narcissist", 3).build()), List.of()));
    }

    /** Returns the id of the observation with this name. */
    static String idOf(String name) {
        return "obs-" + name;
    }

    private static Observation.Builder observation(String name, String parentName, long startMillis) {
        String parentId = parentName.startsWith("no-such") ? parentName : idOf(parentName);
        return Observation.builder(idOf(name), ID).parentObservationId(parentId).name(name)
                .startTime(START.plusMillis(startMillis)).endTime(START.plusMillis(startMillis + 100));
    }
}
