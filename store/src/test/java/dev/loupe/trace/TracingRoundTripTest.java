package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.store.TraceStore;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracingRoundTripTest {

    @TempDir
    Path directory;

    TraceStore store;
    Tracer tracer;

    @BeforeEach
    void open() {
        store = TraceStore.open(directory);
        tracer = TracerBuilder.create().store(store).shutdownHook(false).build();
    }

    @AfterEach
    void close() {
        tracer.close();
        store.close();
    }

    @Test
    void callbackStyleNestsObservationsAndRecordsTheirFields() {
        String answer = tracer.trace("support-agent", root -> {
            root.input("How do I reset my password?").userId("user-123").sessionId("session-456").tags("support");
            String draft = tracer.generation("draft-reply", gen -> {
                gen.model("gpt-4o-mini").input(List.of(Map.of("role", "user", "content", "reset?")))
                        .modelParameters(Map.of("temperature", 0.2));
                gen.output("Go to Settings").usage(120, 45);
                return "Go to Settings";
            });
            List<String> docs = tracer.tool("search_docs", tool -> {
                tool.input(Map.of("query", draft));
                return List.of("Settings > Security");
            });
            root.score("helpfulness", 0.92, "answered from the docs");
            return draft + " " + docs.get(0);
        });
        assertThat(tracer.flush()).isTrue();

        assertThat(answer).isEqualTo("Go to Settings Settings > Security");
        TraceTree tree = store.traces(dev.loupe.store.TraceQuery.all()).items().stream()
                .map(summary -> store.trace(summary.trace().id()).orElseThrow()).findFirst().orElseThrow();
        assertThat(tree.name()).isEqualTo("support-agent");
        assertThat(tree.trace().userId()).isEqualTo("user-123");
        assertThat(tree.trace().sessionId()).isEqualTo("session-456");
        assertThat(tree.trace().tags()).containsExactly("support");
        assertThat(tree.trace().input()).isEqualTo("\"How do I reset my password?\"");
        assertThat(tree.trace().output()).isEqualTo("\"Go to Settings Settings > Security\"");
        assertThat(tree.root().name()).isEqualTo("support-agent");
        assertThat(tree.children(tree.root())).extracting(Observation::name)
                .containsExactly("draft-reply", "search_docs");
        Observation generation = tree.find("draft-reply").orElseThrow();
        assertThat(generation.type()).isEqualTo(ObservationType.GENERATION);
        assertThat(generation.model()).isEqualTo("gpt-4o-mini");
        assertThat(generation.usage().input()).isEqualTo(120);
        assertThat(generation.usage().total()).isEqualTo(165);
        assertThat(generation.cost().total()).isEqualByComparingTo(new BigDecimal("0.000045"));
        assertThat(generation.modelParameters()).isEqualTo("{\"temperature\":0.2}");
        Observation tool = tree.find("search_docs").orElseThrow();
        assertThat(tool.input()).isEqualTo("{\"query\":\"Go to Settings\"}");
        assertThat(tool.output()).isEqualTo("[\"Settings > Security\"]");
        assertThat(tree.score("helpfulness").orElseThrow().value()).isEqualTo(0.92);
        assertThat(tree.stats().totalTokens()).isEqualTo(165);
        System.out.println(tree.render());
    }

    @Test
    void exceptionEscapingACallbackMarksTheObservationAsErrorAndIsRethrownUnchanged() {
        IOException failure = new IOException("rate limited");
        assertThatThrownBy(() -> tracer.trace("agent", root -> tracer.tool("fetch", tool -> {
            throw failure;
        }))).isSameAs(failure);
        tracer.flush();
        TraceTree tree = store.trace(store.traces(dev.loupe.store.TraceQuery.all()).items().get(0).trace().id())
                .orElseThrow();
        Observation tool = tree.find("fetch").orElseThrow();
        assertThat(tool.level()).isEqualTo(ObservationLevel.ERROR);
        assertThat(tool.statusMessage()).isEqualTo("rate limited");
        assertThat(tool.metadata()).contains("\"exception.type\":\"java.io.IOException\"");
        assertThat(tree.stats().errorCount()).isEqualTo(2);
    }

    @Test
    void aCallbackThatReturnsItsHandleRecordsNoOutput() {
        tracer.trace("agent", root -> root.userId("user-1"));
        tracer.flush();
        TraceTree tree = store.trace(store.traces(dev.loupe.store.TraceQuery.all()).items().get(0).trace().id())
                .orElseThrow();
        assertThat(tree.root().output()).isNull();
        assertThat(tree.trace().userId()).isEqualTo("user-1");
    }

    /** A value whose getter fails with an Error, as a class that failed to initialize does. */
    public static final class BrokenBean {
        public String getName() {
            throw new ExceptionInInitializerError("static init of the application's class failed");
        }
    }

    @Test
    void anErrorThrownWhileSerializingAPayloadIsRecordedNotThrown() {
        tracer.span("step", span -> span.input(new BrokenBean()));
        tracer.flush();
        TraceTree tree = store.trace(store.traces(dev.loupe.store.TraceQuery.all()).items().get(0).trace().id())
                .orElseThrow();
        assertThat(tree.root().input()).contains("loupe.unserializable").contains("ExceptionInInitializerError");
    }
}
