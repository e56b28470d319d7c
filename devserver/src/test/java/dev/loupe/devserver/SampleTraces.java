package dev.loupe.devserver;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.Tracer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Three traces recorded through the tracer at known times, for the API and browser tests:
 * <ol>
 * <li>10:00, "checkout-agent" for ann in session s-1, tags shop and beta, 1.5 s: a generation (from 0.1 s, for
 *     0.9 s; 100 input tokens of which 60 cached, 20 output tokens of which 5 reasoning) and a tool call (metadata
 *     warehouse.region eu-west), helpfulness 0.9;</li>
 * <li>10:05, "checkout-agent" for ben in session s-1, tag shop, metadata channel email, 4 s: the tool call fails,
 *     helpfulness 0.2;</li>
 * <li>10:10, "summarizer" for ann without a session, tag internal, 0.5 s.</li>
 * </ol>
 */
final class SampleTraces {

    static final Instant FIRST = Instant.parse("2025-05-01T10:00:00Z");
    static final Instant SECOND = Instant.parse("2025-05-01T10:05:00Z");
    static final Instant THIRD = Instant.parse("2025-05-01T10:10:00Z");

    private SampleTraces() {
    }

    /** Records the three traces into the store and waits until they are written. */
    static void recordInto(TraceStore store) {
        SettableClock clock = new SettableClock(Instant.EPOCH);
        try (Tracer tracer = TracerBuilder.create().store(store).clock(clock).environment("test").release("1.0")
                .shutdownHook(false).build()) {
            clock.set(FIRST);
            tracer.trace("checkout-agent", root -> {
                root.userId("ann").sessionId("s-1").tags("shop", "beta").input(Map.of("question", "Where is order 42?"));
                clock.advance(Duration.ofMillis(100));
                tracer.generation("answer", generation -> {
                    generation.model("gpt-4o-mini").modelParameters(Map.of("temperature", 0.2))
                            .input(List.of(Map.of("role", "system", "content", "You are a shop assistant."),
                                    Map.of("role", "user", "content", "Where is order 42?")));
                    clock.advance(Duration.ofMillis(900));
                    generation.output(Map.of("role", "assistant", "content", "Order 42 ships today."))
                            .usageDetails(Map.of("input", 100, "output", 20, "cached_input", 60, "reasoning", 5));
                    return null;
                });
                tracer.tool("lookup_order", tool -> {
                    tool.input(Map.of("orderId", 42)).metadata("warehouse", Map.of("region", "eu-west"));
                    clock.advance(Duration.ofMillis(500));
                    return Map.of("status", "SHIPPING");
                });
                root.score("helpfulness", 0.9, "answered");
                return Map.of("answer", "Order 42 ships today.");
            });
            clock.set(SECOND);
            try {
                tracer.trace("checkout-agent", root -> {
                    root.userId("ben").sessionId("s-1").tags("shop").input(Map.of("question", "Cancel order 43"))
                            .metadata("channel", "email");
                    root.score("helpfulness", 0.2);
                    clock.advance(Duration.ofMillis(100));
                    tracer.tool("cancel_order", tool -> {
                        tool.input(Map.of("orderId", 43));
                        clock.advance(Duration.ofMillis(3_900));
                        throw new IllegalStateException("orders-api answered 503");
                    });
                    return null;
                });
            } catch (IllegalStateException expected) {
                // recorded as the trace's error
            }
            clock.set(THIRD);
            tracer.trace("summarizer", root -> {
                root.userId("ann").tags("internal").input("Summarize ticket 7");
                clock.advance(Duration.ofMillis(500));
                return "Ticket 7: a late delivery.";
            });
            tracer.session("s-1").score("resolved", false);
            if (!tracer.flush()) {
                throw new IllegalStateException("the sample traces were not written in time");
            }
        }
    }
}
