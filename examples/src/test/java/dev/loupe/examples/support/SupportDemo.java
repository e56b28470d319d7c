package dev.loupe.examples.support;

import dev.loupe.Loupe;
import dev.loupe.agent.LoupeAgent;
import dev.loupe.engine.Exporter;
import dev.loupe.model.TraceTree;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.Tracer;

/**
 * Runs the support agent through a short multi-turn session (one answer, one follow-up, one failure) with the global
 * tracer, then reads the traces back from the store and prints their trees.
 */
public final class SupportDemo {

    private SupportDemo() {
    }

    /** Runs the demo; traces go to the default store (~/.loupe/store) unless loupe.store says otherwise. */
    public static void main(String[] args) {
        LoupeAgent.install();   // weaves @Observe methods (DocsIndex.search); -javaagent:loupe-agent.jar does the same
        SupportAgent agent = new SupportAgent(new FakeLlm());
        String session = "demo-session-" + Long.toHexString(System.currentTimeMillis());
        System.out.println(agent.answer("user-123", session, "How do I reset my password?"));
        System.out.println(agent.answer("user-123", session, "And how do I get a refund?"));
        try {
            agent.answer("user-456", session, "Is there an outage?");
        } catch (IllegalStateException failure) {
            System.out.println("The agent failed: " + failure.getMessage());
        }
        Tracer tracer = Loupe.tracer();
        tracer.flush();
        TraceStore store = Exporter.of(tracer).map(Exporter::store).orElse(null);
        if (store == null) {
            System.out.println("Tracing has no store (loupe.store=none or tracing disabled): nothing to show.");
            return;
        }
        System.out.println();
        System.out.println("Traces of " + session + " in " + store.location() + ":");
        for (var summary : store.traces(TraceQuery.builder().sessionId(session).build()).items()) {
            TraceTree tree = store.trace(summary.trace().id()).orElseThrow();
            System.out.println(tree.render());
            System.out.println();
        }
        tracer.close();
    }
}
