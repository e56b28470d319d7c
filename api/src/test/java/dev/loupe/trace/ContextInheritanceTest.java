package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ContextInheritanceTest {

    private static final ContextKey<String> INHERITED = ContextKey.inheritable("test.inherited");
    private static final ContextKey<String> LOCAL = ContextKey.named("test.local");

    private static TraceContext contextOfANewThread() throws InterruptedException {
        AtomicReference<TraceContext> seen = new AtomicReference<>();
        Thread thread = new Thread(() -> seen.set(TraceContext.current()));
        thread.start();
        thread.join();
        return seen.get();
    }

    @Test
    void aThreadCreatedWhileAnInheritableValueIsCurrentCarriesIt() throws InterruptedException {
        try (Scope ignored = TraceContext.empty().with(INHERITED, "test-1").with(LOCAL, "local").makeCurrent()) {
            TraceContext child = contextOfANewThread();

            assertThat(child.get(INHERITED)).isEqualTo("test-1");
            assertThat(child.get(LOCAL)).as("a key that is not inheritable").isNull();
            assertThat(child.observationId()).isNull();
        }
    }

    @Test
    void aThreadCreatedWithNothingCurrentCarriesNothing() throws InterruptedException {
        try (Scope ignored = TraceContext.empty().makeCurrent()) {
            assertThat(contextOfANewThread().get(INHERITED)).isNull();
        }
    }

    @Test
    void theCreatorsLaterChangesDoNotReachTheThread() throws InterruptedException {
        AtomicReference<String> seen = new AtomicReference<>();
        Thread thread;
        try (Scope ignored = TraceContext.empty().with(INHERITED, "before").makeCurrent()) {
            thread = new Thread(() -> seen.set(TraceContext.current().get(INHERITED)));
        }
        try (Scope ignored = TraceContext.empty().with(INHERITED, "after").makeCurrent()) {
            thread.start();
            thread.join();
        }

        assertThat(seen.get()).isEqualTo("before");
    }
}
