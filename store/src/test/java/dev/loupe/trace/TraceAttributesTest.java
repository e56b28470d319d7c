package dev.loupe.trace;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceTree;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TraceAttributesTest {

    @RegisterExtension
    final TracingFixture tracing = TracingFixture.inMemory();

    private Tracer tracer() {
        return tracing.tracer();
    }

    @Test
    void attributesSetThroughTheCurrentTraceFromANestedObservationLandOnTheTrace() {
        tracer().trace("agent", () -> tracer().chain("rag", span ->
                tracer().generation("answer", gen -> {
                    tracer().currentTrace().userId("user-7").sessionId("session-9").tags("support", "beta")
                            .metadata("plan", "pro").metadata(Map.of("region", "eu")).release("2.4.0")
                            .version("prompt-v3").environment("production");
                    return "ok";
                })));

        Trace trace = tracing.onlyStored().trace();
        assertThat(trace.userId()).isEqualTo("user-7");
        assertThat(trace.sessionId()).isEqualTo("session-9");
        assertThat(trace.tags()).containsExactlyInAnyOrder("support", "beta");
        assertThat(trace.metadata()).isEqualTo("{\"plan\":\"pro\",\"region\":\"eu\"}");
        assertThat(trace.release()).isEqualTo("2.4.0");
        assertThat(trace.version()).isEqualTo("prompt-v3");
        assertThat(trace.environment()).isEqualTo("production");
    }

    @Test
    void currentTraceReachesTheTraceFromAnotherThreadTheContextWasCarriedTo() throws Exception {
        tracer().trace("agent", () -> TraceContext.runAsync(() -> tracer().currentTrace().userId("async-user"))
                .get(10, SECONDS));

        assertThat(tracing.onlyStored().trace().userId()).isEqualTo("async-user");
    }

    @Test
    void rootSpanSettersSetTheTraceAttributes() {
        try (RootSpan root = tracer().startTrace("agent")) {
            root.userId("user-1").sessionId("session-1").tags("a").tags("b").traceMetadata("tier", "gold")
                    .traceMetadata(Map.of("beta", true)).release("1.0").environment("test");
        }

        Trace trace = tracing.onlyStored().trace();
        assertThat(trace.userId()).isEqualTo("user-1");
        assertThat(trace.sessionId()).isEqualTo("session-1");
        assertThat(trace.tags()).containsExactlyInAnyOrder("a", "b");
        assertThat(trace.metadata()).isEqualTo("{\"tier\":\"gold\",\"beta\":true}");
        assertThat(trace.release()).isEqualTo("1.0");
        assertThat(trace.environment()).isEqualTo("test");
    }

    @Test
    void nameInputAndOutputSetOnTheTraceWinOverThoseOfTheRootSpan() {
        tracer().trace("agent", root -> {
            root.input("root input");
            tracer().currentTrace().name("renamed").input("trace input").output("trace output");
            return "root output";
        });

        Trace trace = tracing.onlyStored().trace();
        assertThat(trace.name()).isEqualTo("renamed");
        assertThat(trace.input()).isEqualTo("\"trace input\"");
        assertThat(trace.output()).isEqualTo("\"trace output\"");
    }

    @Test
    void tracerDefaultsForEnvironmentAndReleaseApplyToEveryTrace() {
        try (Tracer configured = TracerBuilder.create().store(tracing.store()).environment("staging").release("3.1.0")
                .shutdownHook(false).build()) {
            configured.trace("agent", () -> { });
            configured.flush();
        }

        Trace trace = tracing.onlyStored().trace();
        assertThat(trace.environment()).isEqualTo("staging");
        assertThat(trace.release()).isEqualTo("3.1.0");
    }

    @Test
    void attributesSetOnATraceOverrideTheTracerDefaults() {
        try (Tracer configured = TracerBuilder.create().store(tracing.store()).environment("staging").release("3.1.0")
                .shutdownHook(false).build()) {
            try (RootSpan root = configured.startTrace("agent")) {
                root.environment("canary").release("3.2.0-rc1");
            }
            configured.flush();
        }

        Trace trace = tracing.onlyStored().trace();
        assertThat(trace.environment()).isEqualTo("canary");
        assertThat(trace.release()).isEqualTo("3.2.0-rc1");
    }

    @Test
    void currentTraceOutsideAnyTraceRecordsNothing() {
        TraceHandle none = tracer().currentTrace();
        none.userId("nobody").tags("ignored").metadata("k", "v").score("ignored", 1.0);

        assertThat(none.isRecording()).isFalse();
        assertThat(none.id()).isNull();
        assertThat(tracer().flush()).isTrue();
        assertThat(tracer().stats().enqueued()).isZero();
    }

    @Test
    void updatesByIdAfterTheTraceEndedMergeIntoTheStoredTrace() {
        String traceId = tracer().trace("agent", root -> {
            root.input("question").userId("user-1").tags("support").traceMetadata("plan", "pro");
            return root.traceId();
        });
        tracing.stored(traceId);

        tracer().traceById(traceId).tags("reviewed").metadata("feedback", "thumbs-up").version("v2");

        Trace trace = tracing.stored(traceId).trace();
        assertThat(trace.name()).isEqualTo("agent");
        assertThat(trace.input()).isEqualTo("\"question\"");
        assertThat(trace.userId()).isEqualTo("user-1");
        assertThat(trace.tags()).containsExactlyInAnyOrder("support", "reviewed");
        assertThat(trace.metadata()).isEqualTo("{\"plan\":\"pro\",\"feedback\":\"thumbs-up\"}");
        assertThat(trace.version()).isEqualTo("v2");
    }

    @Test
    void updatesByIdKeepTheEnvironmentAndReleaseTheTraceWasRecordedWith() {
        try (Tracer configured = TracerBuilder.create().store(tracing.store()).environment("staging").release("3.1.0")
                .shutdownHook(false).build()) {
            String traceId;
            try (RootSpan root = configured.startTrace("agent")) {
                traceId = root.environment("canary").traceId();
            }
            configured.traceById(traceId).userId("late-user");
            configured.flush();
        }

        Trace trace = tracing.onlyStored().trace();
        assertThat(trace.environment()).isEqualTo("canary");
        assertThat(trace.release()).isEqualTo("3.1.0");
        assertThat(trace.userId()).isEqualTo("late-user");
    }

    @Test
    void traceHandleKeptFromTheRootSpanUpdatesTheTraceAfterItEnded() {
        TraceHandle handle;
        try (RootSpan root = tracer().startTrace("agent")) {
            handle = root.trace();
        }

        handle.sessionId("session-after");

        assertThat(tracing.stored(handle.id()).trace().sessionId()).isEqualTo("session-after");
    }

    @Test
    void updateFromAnObservationThatOutlivesTheRootReachesTheTrace() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> late = tracer().trace("agent", root -> TraceContext.runAsync(() -> {
            release.join();
            tracer().span("late-step", () -> tracer().currentTrace().tags("finished-late"));
        }));
        release.complete(null);
        late.get(10, SECONDS);

        TraceTree tree = tracing.onlyStored();
        assertThat(tree.trace().tags()).containsExactly("finished-late");
        assertThat(tree.find("late-step")).isPresent();
    }
}
