package dev.loupe.assertj;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Trace trees for the tests, built from the read model's own builders with fixed times. */
final class SampleTraces {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private SampleTraces() {
    }

    static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    /**
     * The support agent of the issue:
     * <pre>
     * support-agent (SPAN, 1.2 s)
     *   GENERATION draft-reply   gpt-4o-mini 120 in / 45 out
     *   TOOL search_docs         {"query":"password reset"}
     *   GENERATION final-answer  gpt-4o-mini 300 in / 80 out, scored faithful=true
     *   EVENT answer-sent
     * </pre>
     */
    static TraceTree supportAgent() {
        Trace trace = Trace.builder(TRACE_ID).name("support-agent").timestamp(T0)
                .input("\"How do I reset my password?\"")
                .output("\"Go to Settings > Security and choose Reset password.\"")
                .userId("user-123").sessionId("session-456").tags(List.of("support", "beta"))
                .metadata("{\"tenant\":\"acme\",\"exception.type\":\"none\",\"attempt\":2}")
                .release("1.4.2").environment("test").build();
        List<Observation> observations = List.of(
                span("root", null, "support-agent", 0, 1_200).input("\"How do I reset my password?\"")
                        .metadata("{\"channel\":\"chat\"}").build(),
                generation("draft", "root", "draft-reply", 10, 400).completionStartTime(at(150))
                        .modelParameters("{\"temperature\":0.2,\"max_tokens\":256}")
                        .input("[{\"role\":\"system\",\"content\":\"You are a support agent.\"},"
                                + "{\"role\":\"user\",\"content\":\"How do I reset my password?\"}]")
                        .output("{\"role\":\"assistant\",\"content\":\"Go to Settings\"}")
                        .usage(Usage.of(120, 45))
                        .cost(Cost.of(new BigDecimal("0.000018"), new BigDecimal("0.000027")))
                        .prompt("support-reply", 3).build(),
                observation("search", "root", ObservationType.TOOL, "search_docs", 410, 600)
                        .input("{\"query\":\"password reset\",\"limit\":3}")
                        .output("[\"Settings > Security\",\"Account recovery\"]").build(),
                generation("final", "root", "final-answer", 610, 1_150).completionStartTime(at(700))
                        .input("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                                + "\"text\":\"Answer from: Settings > Security\"}]}]}")
                        .output("\"Go to Settings > Security and choose Reset password.\"")
                        .usage(usage(300, 80, 380, Map.of("cached_input", 100L)))
                        .cost(new Cost(Map.of(Usage.TOTAL, new BigDecimal("0.0001")))).build(),
                observation("sent", "root", ObservationType.EVENT, "answer-sent", 1_160, 1_160)
                        .input("{\"channel\":\"chat\"}").build());
        List<Score> scores = List.of(
                Score.builder("s-helpful", "helpfulness").traceId(TRACE_ID).value(0.92)
                        .comment("answered from the docs").build(),
                Score.builder("s-resolution", "resolution").traceId(TRACE_ID).value("resolved").build(),
                Score.builder("s-faithful", "faithful").traceId(TRACE_ID).observationId("final")
                        .value(true).build());
        return TraceTree.of(trace, observations, scores);
    }

    /**
     * A research agent whose fetch failed, nested two levels deep:
     * <pre>
     * research-agent (AGENT)               ERROR
     *   GENERATION planner
     *   CHAIN step
     *     TOOL search
     *     TOOL fetch                       ERROR rate limited (failed first)
     *   TOOL search
     * </pre>
     */
    static TraceTree researchAgent() {
        Trace trace = Trace.builder(TRACE_ID).name("research-agent").timestamp(T0).build();
        List<Observation> observations = List.of(
                observation("agent", null, ObservationType.AGENT, "research-agent", 0, 900)
                        .level(ObservationLevel.ERROR).statusMessage("fetch failed: rate limited").build(),
                generation("plan", "agent", "planner", 5, 100).usage(Usage.of(50, 10)).build(),
                observation("step", "agent", ObservationType.CHAIN, "step", 110, 800).build(),
                observation("search-1", "step", ObservationType.TOOL, "search", 120, 300)
                        .input("{\"query\":\"loupe\"}").build(),
                observation("fetch", "step", ObservationType.TOOL, "fetch", 310, 790)
                        .input("{\"url\":\"https://example.org\"}")
                        .level(ObservationLevel.ERROR).statusMessage("rate limited").build(),
                observation("search-2", "agent", ObservationType.TOOL, "search", 810, 890)
                        .input("{\"query\":\"loupe retry\"}").build());
        return TraceTree.of(trace, observations, List.of());
    }

    /** Returns a tree of the given observations in a trace named {@code trace}, with the given scores. */
    static TraceTree tree(List<Observation> observations, Score... scores) {
        return TraceTree.of(Trace.builder(TRACE_ID).name("trace").timestamp(T0).build(), observations,
                List.of(scores));
    }

    static Observation.Builder span(String id, String parent, String name, long start, long end) {
        return observation(id, parent, ObservationType.SPAN, name, start, end);
    }

    static Observation.Builder generation(String id, String parent, String name, long start, long end) {
        return observation(id, parent, ObservationType.GENERATION, name, start, end).model("gpt-4o-mini");
    }

    static Observation.Builder observation(String id, String parent, ObservationType type, String name, long start,
            long end) {
        return Observation.builder(id, TRACE_ID).parentObservationId(parent).type(type).name(name)
                .startTime(at(start)).endTime(end < 0 ? null : at(end));
    }

    static Usage usage(long input, long output, long total, Map<String, Long> details) {
        Map<String, Long> all = new LinkedHashMap<>();
        all.put(Usage.INPUT, input);
        all.put(Usage.OUTPUT, output);
        all.put(Usage.TOTAL, total);
        all.putAll(details);
        return new Usage(all);
    }

    /** Returns the same tree under another trace id and name, as a second trace of a test would be. */
    static TraceTree renamed(TraceTree tree, String traceId, String name) {
        Trace trace = tree.trace().toBuilder().build();
        Trace copy = new Trace(traceId, name, trace.timestamp(), trace.input(), trace.output(), trace.userId(),
                trace.sessionId(), trace.metadata(), trace.tags(), trace.release(), trace.version(),
                trace.environment());
        List<Observation> observations = new ArrayList<>();
        for (Observation o : tree.observations()) {
            observations.add(new Observation(o.id(), traceId, o.parentObservationId(), o.type(), o.name(),
                    o.startTime(), o.endTime(), o.completionStartTime(), o.input(), o.output(), o.metadata(),
                    o.level(), o.statusMessage(), o.version(), o.model(), o.modelParameters(), o.usage(), o.cost(),
                    o.promptName(), o.promptVersion()));
        }
        return TraceTree.of(copy, observations, List.of());
    }
}
