package dev.loupe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordQueueTest {

    private static final class Marker {
    }

    private static int drainAll(RecordQueue queue, List<Object> into) {
        return queue.drain(into, Integer.MAX_VALUE, 0);
    }

    @Test
    void refusesRecordsBeyondItsCapacityAndCountsOnlyWhatItHolds() {
        RecordQueue queue = new RecordQueue(3);
        for (int i = 0; i < 3; i++) {
            assertThat(queue.offer("record-" + i)).isTrue();
        }
        for (int i = 0; i < 1_000; i++) {
            assertThat(queue.offer("refused-" + i)).isFalse();
        }
        assertThat(queue.size()).isEqualTo(3);
        assertThat(queue.offer("still-refused")).isFalse();

        List<Object> taken = new ArrayList<>();
        assertThat(drainAll(queue, taken)).isEqualTo(3);
        assertThat(taken).containsExactly("record-0", "record-1", "record-2");
        assertThat(queue.size()).isZero();
        assertThat(queue.offer("after")).isTrue();
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void refusesRecordsBeyondItsBytesAndTakesOneLargeRecordWhenEmpty() {
        RecordQueue queue = new RecordQueue(100, 1_000, item -> item instanceof String text ? text.length() : 0);

        assertThat(queue.offer("x".repeat(600))).isTrue();
        assertThat(queue.offer("y".repeat(600))).as("over the byte bound").isFalse();
        assertThat(queue.offer("z".repeat(300))).isTrue();
        assertThat(queue.bytes()).isEqualTo(900);

        List<Object> taken = new ArrayList<>();
        assertThat(drainAll(queue, taken)).isEqualTo(2);
        assertThat(queue.bytes()).isZero();
        assertThat(queue.offer("w".repeat(5_000))).as("a record larger than the bound, into an empty queue").isTrue();
        assertThat(queue.offer("v")).isFalse();
    }

    @Test
    void aDrainStopsOnceItTookTheBytesItWasGiven() {
        RecordQueue queue = new RecordQueue(100, Long.MAX_VALUE, item -> 100);
        for (int i = 0; i < 10; i++) {
            queue.offer("record-" + i);
        }

        List<Object> taken = new ArrayList<>();
        assertThat(queue.drain(taken, Integer.MAX_VALUE, 300, 0)).isEqualTo(3);
        assertThat(queue.bytes()).isEqualTo(700);
    }

    @Test
    void markersPassTheBoundOfAFullQueue() {
        RecordQueue queue = new RecordQueue(1);
        assertThat(queue.offer("record")).isTrue();
        assertThat(queue.offer("refused")).isFalse();
        queue.offerMarker(new Marker());

        List<Object> taken = new ArrayList<>();
        assertThat(drainAll(queue, taken)).isEqualTo(2);
        assertThat(taken.get(0)).isEqualTo("record");
        assertThat(taken.get(1)).isInstanceOf(Marker.class);
        assertThat(queue.size()).isZero();
    }

    @Test
    void itemsComeOutInTheOrderTheyWentInAcrossManyLapsOfTheRing() {
        RecordQueue queue = new RecordQueue(5);
        List<Object> taken = new ArrayList<>();
        int next = 0;
        assertThat(queue.offer(next++)).isTrue();
        assertThat(queue.offer(next++)).isTrue();
        for (int lap = 0; lap < 1_000; lap++) {
            for (int i = 0; i < 3; i++) {
                assertThat(queue.offer(next++)).isTrue();
            }
            assertThat(queue.drain(taken, 3, 0)).isEqualTo(3);
        }
        drainAll(queue, taken);
        assertThat(taken).hasSize(3_002);
        for (int i = 0; i < taken.size(); i++) {
            assertThat(taken.get(i)).isEqualTo(i);
        }
    }

    @Test
    void manyProducersNeverOverfillIt() throws Exception {
        RecordQueue queue = new RecordQueue(100);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            Thread producer = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    queue.offer(i);
                }
            });
            producers.add(producer);
            producer.start();
        }
        List<Object> taken = new ArrayList<>();
        long taking = 0;
        while (producers.stream().anyMatch(Thread::isAlive)) {
            assertThat(queue.size()).isBetween(0, 100);
            taking += queue.drain(taken, 10, 0);
            taken.clear();
        }
        for (Thread producer : producers) {
            producer.join();
        }
        assertThat(queue.size()).isBetween(0, 100);
        taking += drainAll(queue, taken);
        assertThat(queue.size()).isZero();
        assertThat(taking).isPositive();
    }
}
