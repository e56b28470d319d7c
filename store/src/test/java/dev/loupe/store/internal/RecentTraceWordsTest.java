package dev.loupe.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RecentTraceWordsTest {

    @Test
    void wordsNotedDuringAWriteAreKnownOnlyOnceItCommits() {
        RecentTraceWords recent = new RecentTraceWords(100);

        recent.add("t", Set.of("refund", "order"));

        assertThat(recent.get("t")).isEmpty();
        recent.commit();
        assertThat(recent.get("t")).containsExactlyInAnyOrder("refund", "order");
    }

    @Test
    void wordsNotedByAWriteThatRolledBackAreForgotten() {
        RecentTraceWords recent = new RecentTraceWords(100);
        recent.add("t", Set.of("refund"));
        recent.commit();

        recent.add("t", Set.of("order"));
        recent.rollback();
        recent.commit();

        assertThat(recent.get("t")).containsExactly("refund");
    }

    @Test
    void replacingATracesWordsDropsThoseItNoLongerHolds() {
        RecentTraceWords recent = new RecentTraceWords(100);
        recent.add("t", Set.of("pending", "order"));
        recent.commit();

        recent.replace("t", Set.of("delivered", "order"));
        recent.commit();

        assertThat(recent.get("t")).containsExactlyInAnyOrder("delivered", "order");
    }

    @Test
    void theLeastRecentlyWrittenTracesAreForgottenBeyondTheBound() {
        RecentTraceWords recent = new RecentTraceWords(4);
        recent.add("old", Set.of("a", "b"));
        recent.add("middle", Set.of("c", "d"));
        recent.commit();
        recent.get("old");

        recent.add("new", Set.of("e"));
        recent.commit();

        assertThat(recent.get("middle")).as("least recently used").isEmpty();
        assertThat(recent.get("old")).containsExactlyInAnyOrder("a", "b");
        assertThat(recent.get("new")).containsExactly("e");
    }
}
