package dev.loupe.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Span;
import dev.loupe.trace.TraceContext;
import dev.loupe.trace.Tracer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InvocationsTest {

    private final List<UUID> added = new ArrayList<>();
    private Tracer tracer;

    @AfterEach
    void forget() {
        added.forEach(Invocations::remove);
        tracer.close();
    }

    private void fill(Instant startedAt) {
        tracer = TracerBuilder.create().withoutStore().shutdownHook(false)
                .clock(Clock.fixed(startedAt, ZoneOffset.UTC)).build();
        while (Invocations.open() < Invocations.MAX_OPEN) {
            Span agent = Contexts.startUnder(TraceContext.empty(),
                    () -> tracer.startObservation(ObservationType.AGENT, "Assistant.chat"));
            UUID id = UUID.randomUUID();
            added.add(id);
            Invocations.put(id, new Invocation(tracer, agent));
        }
    }

    @Test
    void aFullTableOfRecentInvocationsTakesNoMore() {
        fill(Instant.now());

        assertThat(Invocations.full()).isTrue();
        assertThat(Invocations.open()).isEqualTo(Invocations.MAX_OPEN);
    }

    @Test
    void aFullTableEndsTheInvocationsOpenForTooLongAsAbandonedAndTakesNewOnes() {
        fill(Instant.now().minus(Invocations.ABANDONED_AFTER).minus(Duration.ofMinutes(1)));

        assertThat(Invocations.full()).isFalse();
        assertThat(Invocations.open()).isZero();
        tracer.flush();
        assertThat(tracer.stats().enqueued()).isGreaterThanOrEqualTo(Invocations.MAX_OPEN);
    }
}
