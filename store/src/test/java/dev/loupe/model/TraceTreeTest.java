package dev.loupe.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTreeTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private static Observation span(String id, String parent, long startMillis) {
        return Observation.builder(id, TRACE_ID).parentObservationId(parent).name(id)
                .startTime(T0.plusMillis(startMillis)).endTime(T0.plusMillis(startMillis + 10)).build();
    }

    @Test
    void observationsInACycleOfParentsAreNotHidden() {
        TraceTree tree = TraceTree.of(Trace.builder(TRACE_ID).name("cyclic").build(),
                List.of(span("a", "b", 0), span("b", "a", 5), span("c", "b", 7)), List.of());

        assertThat(tree.walk()).extracting(Observation::id).containsExactly("a", "b", "c");
        assertThat(tree.root().id()).isEqualTo("a");
        assertThat(tree.parent(tree.root())).isEmpty();
        assertThat(tree.path(tree.observation("c").orElseThrow())).isEqualTo("a > b > c");
        assertThat(tree.render()).contains("SPAN a", "SPAN b", "SPAN c");
    }
}
