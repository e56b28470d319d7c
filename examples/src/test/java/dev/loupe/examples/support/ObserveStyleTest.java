package dev.loupe.examples.support;

import static dev.loupe.assertj.LoupeAssertions.assertThat;

import dev.loupe.Loupe;
import dev.loupe.junit.CapturedTraces;
import dev.loupe.junit.TraceCapture;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.Observe;
import dev.loupe.trace.ObservationType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The annotation style of the README: {@code @Observe} methods of a plain class, woven by the agent that TraceCapture
 * installs (junit-platform.properties sets {@code loupe.junit.installAgent=true}).
 */
@ExtendWith(TraceCapture.class)
class ObserveStyleTest {

    // tag::observe[]
    static class ResearchAgent {

        @Observe(type = ObservationType.AGENT)          // a call with no trace current begins a trace
        String answer(String question, @Observe.Ignore String apiKey) {   // the key stays out of the input
            Loupe.tracer().currentTrace().userId("user-123").tags("research");   // enrich from inside
            List<String> docs = search(question.toLowerCase());
            return docs.isEmpty() ? "I don't know" : docs.get(0);
        }

        @Observe(name = "search_docs", type = ObservationType.TOOL)
        List<String> search(String query) {             // input {"query": ...}, output the returned list
            return query.contains("password") ? List.of("Settings > Security > Reset password") : List.of();
        }
    }
    // end::observe[]

    @Test
    void annotatedMethodsRecordNestedObservationsWithArgumentsAndResults(CapturedTraces traces) {
        String answer = new ResearchAgent().answer("How do I reset my password?", "sk-live-secret");

        TraceTree trace = traces.single();
        assertThat(answer).isEqualTo("Settings > Security > Reset password");
        assertThat(trace)
                .hasName("answer")
                .hasUserId("user-123")
                .hasTags("research")
                .hasInputContaining("reset my password")
                .hasShape("""
                        AGENT answer
                          TOOL search_docs
                        """);
        assertThat(trace).toolCall("search_docs").hasArgument("query", "how do i reset my password?");
        assertThat(trace.root().input()).doesNotContain("sk-live-secret");
    }
}
