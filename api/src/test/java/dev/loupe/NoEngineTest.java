package dev.loupe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.trace.Generation;
import dev.loupe.trace.Span;
import dev.loupe.trace.TraceContext;
import dev.loupe.trace.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With only {@code loupe-api} on the class path (this module's tests have no engine), tracing is the no-op. */
class NoEngineTest {

    @Test
    void theGlobalTracerIsTheNoopWhenNoEngineIsOnTheClassPath() {
        Tracer tracer = Loupe.tracer();

        assertThat(tracer).isSameAs(Tracer.noop());
        assertThat(tracer.isEnabled()).isFalse();
        assertThat(tracer.engine()).isNull();
    }

    @Test
    void callbacksRunAndReturnTheirResultsWithoutRecording() {
        Tracer tracer = Loupe.tracer();

        String answer = tracer.trace("support-agent", root -> {
            root.input("question").userId("user-1").sessionId("s-1").tags("support").score("helpful", 0.9);
            String draft = tracer.generation("draft", (Generation gen) -> {
                gen.model("gpt-4o-mini").usage(10, 5).modelParameters(Map.of("temperature", 0.2));
                return "draft";
            });
            List<String> docs = tracer.tool("search", (Span tool) -> List.of(draft, "doc"));
            tracer.event("cache-miss", Map.of("key", "k"));
            tracer.currentTrace().metadata("plan", "pro");
            return docs.get(1);
        });

        assertThat(answer).isEqualTo("doc");
        assertThat(TraceContext.current().traceId()).isNull();
        assertThat(tracer.stats().enqueued()).isZero();
        assertThat(tracer.flush(Duration.ofMillis(1))).isTrue();
    }

    @Test
    void manualHandlesOfTheNoopRecordNothingAndNeverThrow() {
        Tracer tracer = Tracer.noop();

        try (var root = tracer.startTrace("job"); Span step = tracer.startSpan("step")) {
            step.output("x").error(new IllegalStateException("boom")).end();
            assertThat(root.isRecording()).isFalse();
            assertThat(root.id()).isNull();
            assertThat(tracer.currentObservation().isRecording()).isFalse();
        }
        tracer.session("s").score("resolved", true);
        tracer.traceById("t").score("feedback", "good");
        tracer.close();
    }

    @Test
    void anExceptionInACallbackPassesThroughUnchanged() {
        IllegalStateException failure = new IllegalStateException("billing API is down");

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() ->
                Tracer.noop().tool("refund", tool -> {
                    throw failure;
                }));

        assertThat(thrown).isSameAs(failure);
    }
}
