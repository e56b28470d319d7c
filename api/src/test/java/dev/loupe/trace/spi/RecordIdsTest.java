package dev.loupe.trace.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordIdsTest {

    @Test
    void idsAreW3cTraceContextIdsThatAreNeverAllZerosAndDoNotRepeat() {
        Set<String> traceIds = new HashSet<>();
        Set<String> observationIds = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            traceIds.add(RecordIds.traceId());
            observationIds.add(RecordIds.observationId());
        }

        assertThat(traceIds).hasSize(10_000).allMatch(id -> id.matches("[0-9a-f]{32}") && !id.matches("0+"));
        assertThat(observationIds).hasSize(10_000).allMatch(id -> id.matches("[0-9a-f]{16}") && !id.matches("0+"));
    }
}
