package dev.loupe.assertj;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The built-in normalisers and the token tolerance of golden snapshots. */
class TraceOutlineTest {

    @Test
    void idsTimestampsAndDurationsBecomePlaceholders() {
        assertThat(TraceOutline.normalise("  TOOL fetch  arguments: {\"trace\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
                + "\"request\":\"3f2b8c1e-9a4d-4c6b-8f0e-2d7a5b9c1e3f\",\"at\":\"2025-03-01T10:00:00.123Z\","
                + "\"took\":\"350 ms\",\"timeout\":\"PT30S\",\"retry\":\"1.5s\"}"))
                .isEqualTo("  TOOL fetch  arguments: {\"trace\":\"<id>\",\"request\":\"<uuid>\",\"at\":\"<timestamp>\","
                        + "\"took\":\"<duration>\",\"timeout\":\"<duration>\",\"retry\":\"<duration>\"}");
    }

    @Test
    void namesModelsAndNumbersThatAreNotIdsStayAsTheyAre() {
        String line = "  GENERATION step-3  model: gpt-4o-2024-08-06  tokens: 120 in, 45 out  arguments: {\"limit\":3,"
                + "\"order\":1234567890123456789,\"query\":\"top 3 sellers\"}";

        assertThat(TraceOutline.normalise(line)).isEqualTo(line);
    }

    @Test
    void tokenCountsMatchWithinTheToleranceOfTheSnapshotsCount() {
        String snapshot = "  GENERATION answer  model: gpt-4o-mini  tokens: 400 in, 100 out";

        assertThat(TraceOutline.sameLine(snapshot, "  GENERATION answer  model: gpt-4o-mini  tokens: 440 in, 90 out",
                0.10)).isTrue();
        assertThat(TraceOutline.sameLine(snapshot, "  GENERATION answer  model: gpt-4o-mini  tokens: 441 in, 100 out",
                0.10)).isFalse();
        assertThat(TraceOutline.sameLine(snapshot, "  GENERATION answer  model: gpt-4o  tokens: 400 in, 100 out",
                0.10)).isFalse();
        assertThat(TraceOutline.sameLine(snapshot, "  GENERATION answer  model: gpt-4o-mini  tokens: 401 in, 100 out",
                0)).isFalse();
    }
}
