package dev.loupe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.trace.ObservationType;
import dev.loupe.trace.spi.JsonPayload;
import dev.loupe.trace.spi.ObservationRecord;
import dev.loupe.trace.spi.ScoreRecord;
import dev.loupe.trace.spi.TraceRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordSizesTest {

    private static ObservationRecord observation(Object input, Object output, Map<String, Object> metadata) {
        return new ObservationRecord("o1", "t1", null, ObservationType.GENERATION, "llm", Instant.EPOCH, Instant.EPOCH,
                null, input, output, metadata, null, null, null, "gpt-4o-mini", null, null, null, null, null);
    }

    @Test
    void anObservationCountsItsTextPayloadsAtTwoBytesACharacter() {
        long empty = RecordSizes.of(observation(null, null, Map.of()));
        long large = RecordSizes.of(observation("p".repeat(16_000), "c".repeat(16_000), Map.of()));

        assertThat(empty).isEqualTo(RecordSizes.RECORD_BYTES);
        assertThat(large - empty).isBetween(64_000L, 64_200L);
    }

    @Test
    void jsonPayloadsCollectionsAndMetadataCount() {
        long empty = RecordSizes.of(observation(null, null, Map.of()));

        assertThat(RecordSizes.of(observation(new JsonPayload("x".repeat(1_000)), null, Map.of())) - empty)
                .isGreaterThanOrEqualTo(2_000);
        assertThat(RecordSizes.of(observation(List.of("a".repeat(500), "b".repeat(500)), null, Map.of())) - empty)
                .isGreaterThanOrEqualTo(2_000);
        assertThat(RecordSizes.of(observation(null, null, Map.of("prompt", "q".repeat(1_000)))) - empty)
                .isGreaterThanOrEqualTo(2_000);
    }

    @Test
    void tracesAndScoresHaveSizesAndMarkersNone() {
        TraceRecord trace = new TraceRecord("t1", "agent", Instant.EPOCH, "i".repeat(100), null, null, null, Map.of(),
                List.of(), null, null, null);
        ScoreRecord score = new ScoreRecord("s1", "t1", null, null, "helpful", 1.0, "fine", Instant.EPOCH);

        assertThat(RecordSizes.of(trace)).isGreaterThan(RecordSizes.RECORD_BYTES + 200);
        assertThat(RecordSizes.of(score)).isGreaterThan(RecordSizes.RECORD_BYTES);
        assertThat(RecordSizes.of(new Object())).isZero();
    }
}
