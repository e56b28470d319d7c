package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

// Spans opened with try-with-resources are often used only for the nesting they create.
@SuppressWarnings("try")
class EventsTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2025-05-05T12:00:00Z"));

    @RegisterExtension
    final TracingFixture tracing = TracingFixture.inMemory(builder -> builder.clock(clock));

    private Tracer tracer() {
        return tracing.tracer();
    }

    @Test
    void eventNestsUnderTheCurrentObservationWithItsInput() {
        tracer().trace("agent", () -> tracer().tool("search", () -> tracer().event("cache-miss", Map.of("key", "q1"))));

        TraceTree tree = tracing.onlyStored();
        Observation event = tree.find("cache-miss").orElseThrow();
        assertThat(tree.path(event)).isEqualTo("agent > search > cache-miss");
        assertThat(event.type()).isEqualTo(ObservationType.EVENT);
        assertThat(event.input()).isEqualTo("{\"key\":\"q1\"}");
    }

    @Test
    void eventIsAPointInTimeWhoseEndIsItsStart() {
        tracer().trace("agent", () -> {
            clock.advance(Duration.ofMillis(5));
            tracer().event("checkpoint", "reached");
            clock.advance(Duration.ofMillis(5));
        });

        Observation event = tracing.onlyStored().find("checkpoint").orElseThrow();
        assertThat(event.endTime()).isEqualTo(event.startTime());
        assertThat(event.duration()).isZero();
    }

    @Test
    void configuredEventNestsUnderTheCurrentObservationWithWhatTheCallbackSet() {
        tracer().trace("agent", () -> tracer().event("retry", event -> event.input("attempt 2")
                .level(ObservationLevel.WARNING).statusMessage("first attempt timed out").metadata("attempt", 2)));

        TraceTree tree = tracing.onlyStored();
        Observation event = tree.find("retry").orElseThrow();
        assertThat(tree.parent(event)).contains(tree.root());
        assertThat(event.type()).isEqualTo(ObservationType.EVENT);
        assertThat(event.input()).isEqualTo("\"attempt 2\"");
        assertThat(event.level()).isEqualTo(ObservationLevel.WARNING);
        assertThat(event.statusMessage()).isEqualTo("first attempt timed out");
        assertThat(event.metadata()).isEqualTo("{\"attempt\":2}");
        assertThat(event.endTime()).isEqualTo(event.startTime());
    }

    @Test
    void configuredEventIsAPointInTimeEvenWhenTheCallbackTakesTime() {
        tracer().trace("agent", () -> tracer().event("slow-configure", event -> clock.advance(Duration.ofSeconds(1))));

        Observation event = tracing.onlyStored().find("slow-configure").orElseThrow();
        assertThat(event.endTime()).isEqualTo(event.startTime());
    }

    @Test
    void exceptionFromTheConfigureCallbackIsPassedOnAndTheEventMarkedError() {
        IllegalArgumentException failure = new IllegalArgumentException("bad input");

        tracer().trace("agent", () -> assertThatThrownBy(() -> tracer().event("broken", event -> {
            throw failure;
        })).isSameAs(failure));

        Observation event = tracing.onlyStored().find("broken").orElseThrow();
        assertThat(event.level()).isEqualTo(ObservationLevel.ERROR);
        assertThat(event.statusMessage()).isEqualTo("bad input");
    }

    @Test
    void eventOfAHandleNestsUnderThatHandleWhateverIsCurrent() {
        tracer().trace("agent", () -> {
            Span planning = tracer().startSpan("planning");
            try (Span other = tracer().startSpan("other")) {
                planning.event("decided", "use search");
            }
            planning.end();
        });

        TraceTree tree = tracing.onlyStored();
        assertThat(tree.path(tree.find("decided").orElseThrow())).isEqualTo("agent > planning > decided");
    }

    @Test
    void eventWithoutACurrentObservationBeginsATraceOfItsOwn() {
        tracer().event("startup", "loaded 3 tools");

        TraceTree tree = tracing.onlyStored();
        assertThat(tree.name()).isEqualTo("startup");
        assertThat(tree.root().type()).isEqualTo(ObservationType.EVENT);
        assertThat(tree.root().input()).isEqualTo("\"loaded 3 tools\"");
    }
}
