package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CallbackStyleTest {

    @RegisterExtension
    final TracingFixture tracing = TracingFixture.inMemory();

    private Tracer tracer() {
        return tracing.tracer();
    }

    @Test
    void returnValueBecomesTheOutput() {
        List<String> docs = tracer().trace("agent", root -> tracer().tool("search", tool -> List.of("a", "b")));

        TraceTree tree = tracing.onlyStored();
        assertThat(docs).containsExactly("a", "b");
        assertThat(tree.find("search").orElseThrow().output()).isEqualTo("[\"a\",\"b\"]");
        assertThat(tree.trace().output()).isEqualTo("[\"a\",\"b\"]");
    }

    @Test
    void explicitOutputWinsOverTheReturnValue() {
        String result = tracer().trace("agent", root -> tracer().tool("search", tool -> {
            tool.output(Map.of("hits", 2));
            return "raw result";
        }));

        assertThat(result).isEqualTo("raw result");
        assertThat(tracing.onlyStored().find("search").orElseThrow().output()).isEqualTo("{\"hits\":2}");
    }

    @Test
    void nullReturnValueLeavesTheOutputEmpty() {
        tracer().trace("agent", root -> tracer().span("step", span -> null));

        assertThat(tracing.onlyStored().find("step").orElseThrow().output()).isNull();
    }

    @Test
    void voidOverloadsRecordObservationsWithoutOutput() {
        tracer().trace("agent", () -> {
            tracer().span("span", () -> { });
            tracer().tool("tool", () -> { });
            tracer().observe(ObservationType.CHAIN, "chain", () -> { });
        });

        TraceTree tree = tracing.onlyStored();
        assertThat(tree.children(tree.root())).extracting(Observation::name, Observation::type).containsExactly(
                tuple("span", ObservationType.SPAN),
                tuple("tool", ObservationType.TOOL),
                tuple("chain", ObservationType.CHAIN));
        assertThat(tree.observations()).allSatisfy(observation -> {
            assertThat(observation.output()).isNull();
            assertThat(observation.isOpen()).isFalse();
        });
    }

    @Test
    void eachCallbackRecordsItsObservationType() {
        tracer().trace("agent", () -> {
            tracer().agent("agent-step", span -> null);
            tracer().tool("tool-step", span -> null);
            tracer().retriever("retriever-step", span -> null);
            tracer().chain("chain-step", span -> null);
            tracer().evaluator("evaluator-step", span -> null);
            tracer().guardrail("guardrail-step", span -> null);
            tracer().generation("generation-step", gen -> null);
            tracer().embedding("embedding-step", gen -> null);
            tracer().observe(ObservationType.EVENT, "observed-event", span -> null);
        });

        TraceTree tree = tracing.onlyStored();
        assertThat(tree.find("agent-step").orElseThrow().type()).isEqualTo(ObservationType.AGENT);
        assertThat(tree.find("tool-step").orElseThrow().type()).isEqualTo(ObservationType.TOOL);
        assertThat(tree.find("retriever-step").orElseThrow().type()).isEqualTo(ObservationType.RETRIEVER);
        assertThat(tree.find("chain-step").orElseThrow().type()).isEqualTo(ObservationType.CHAIN);
        assertThat(tree.find("evaluator-step").orElseThrow().type()).isEqualTo(ObservationType.EVALUATOR);
        assertThat(tree.find("guardrail-step").orElseThrow().type()).isEqualTo(ObservationType.GUARDRAIL);
        assertThat(tree.find("generation-step").orElseThrow().type()).isEqualTo(ObservationType.GENERATION);
        assertThat(tree.find("embedding-step").orElseThrow().type()).isEqualTo(ObservationType.EMBEDDING);
        assertThat(tree.find("observed-event").orElseThrow().type()).isEqualTo(ObservationType.EVENT);
    }

    @Test
    void checkedExceptionPassesThroughAsTheSameInstance() {
        IOException failure = new IOException("rate limited");

        assertThatThrownBy(() -> tracer().trace("agent", root -> tracer().tool("fetch", tool -> {
            throw failure;
        }))).isSameAs(failure);
    }

    @Test
    void checkedExceptionOfAVoidCallbackPassesThroughAsTheSameInstance() {
        TimeoutException failure = new TimeoutException("model did not answer");

        assertThatThrownBy(() -> tracer().trace("agent", () -> tracer().span("wait", () -> {
            throw failure;
        }))).isSameAs(failure);
    }

    @Test
    void errorPassesThroughAsTheSameInstance() {
        AssertionError failure = new AssertionError("invariant broken");

        assertThatThrownBy(() -> tracer().trace("agent", root -> tracer().span("check", span -> {
            throw failure;
        }))).isSameAs(failure);
        assertThat(tracing.onlyStored().find("check").orElseThrow().statusMessage()).isEqualTo("invariant broken");
    }

    @Test
    void observationAnExceptionEscapesIsMarkedErrorWithMessageAndExceptionType() {
        assertThatThrownBy(() -> tracer().trace("agent", root -> tracer().tool("fetch", tool -> {
            throw new IOException("rate limited");
        }))).isInstanceOf(IOException.class);

        Observation fetch = tracing.onlyStored().find("fetch").orElseThrow();
        assertThat(fetch.level()).isEqualTo(ObservationLevel.ERROR);
        assertThat(fetch.statusMessage()).isEqualTo("rate limited");
        assertThat(fetch.metadata()).contains("\"exception.type\":\"java.io.IOException\"");
        assertThat(fetch.isOpen()).as("the failed observation has ended").isFalse();
    }

    @Test
    void failureCaughtByTheEnclosingCallbackMarksOnlyTheInnerObservation() {
        String answer = tracer().trace("agent", root -> {
            try {
                tracer().tool("flaky", tool -> {
                    throw new IOException("timeout");
                });
            } catch (IOException recovered) {
                return tracer().tool("fallback", tool -> "cached answer");
            }
            return "unreachable";
        });

        TraceTree tree = tracing.onlyStored();
        assertThat(answer).isEqualTo("cached answer");
        assertThat(tree.errors()).extracting(Observation::name).containsExactly("flaky");
        assertThat(tree.root().level()).isEqualTo(ObservationLevel.DEFAULT);
        assertThat(tree.trace().output()).isEqualTo("\"cached answer\"");
    }

    @Test
    void failureEscapingNestedCallbacksMarksEveryObservationOnItsWay() {
        IllegalStateException failure = new IllegalStateException("index missing");

        assertThatThrownBy(() -> tracer().trace("agent", root -> tracer().chain("rag", chain ->
                tracer().retriever("retrieve", retriever -> {
                    throw failure;
                })))).isSameAs(failure);

        TraceTree tree = tracing.onlyStored();
        assertThat(tree.errors()).extracting(tree::path)
                .containsExactly("agent", "agent > rag", "agent > rag > retrieve");
        assertThat(tree.errors()).extracting(Observation::statusMessage).containsOnly("index missing");
        assertThat(tree.stats().errorCount()).isEqualTo(3);
    }
}
