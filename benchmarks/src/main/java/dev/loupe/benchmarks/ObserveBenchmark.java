package dev.loupe.benchmarks;

import dev.loupe.Loupe;
import dev.loupe.agent.LoupeAgent;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.spring.LoupeObserveAutoConfiguration;
import dev.loupe.trace.Observe;
import dev.loupe.trace.Tracer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * observe: what an {@code @Observe} call costs the application thread, woven by the agent and by the Spring aspect, next
 * to the same body in a callback-style {@code tracer.span(...)} that records the same input ({@code {"question": ...}})
 * and output, and next to the same body unannotated. Each benchmark runs in its own fork (JMH's default), so the agent
 * is installed only where it is measured. The tracer is B1's: the exporter converts every record but has no store,
 * and a record that finds the queue full is dropped at once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ObserveBenchmark {

    static final String QUESTION = "How do I reset my password?";

    /** The body, unannotated and untraced. */
    @Benchmark
    public String plainCall(Plain state) {
        return state.steps.step(QUESTION);
    }

    /** The same body in a callback-style span that records the same input and output as the annotation does. */
    @Benchmark
    public String callbackSpan(Callback state) {
        Tracer tracer = state.tracer;
        return tracer.span("step", span -> {
            span.input(Map.of("question", QUESTION));
            return state.steps.step(QUESTION);
        });
    }

    /** The same body as an {@code @Observe} method woven by the agent, installed into this fork. */
    @Benchmark
    public String agentWoven(Agent state) {
        return state.steps.step(QUESTION);
    }

    /** The same body as an {@code @Observe} method of a Spring bean, called through its proxy. */
    @Benchmark
    public String springAspect(Spring state) {
        return state.steps.step(QUESTION);
    }

    /** The body with no annotation. */
    public static class PlainSteps {
        /** Returns a short answer built from the question. */
        public String step(String question) {
            return Steps.answer(question);
        }
    }

    /** The body as an {@code @Observe} method, for the agent. */
    public static class WovenSteps {
        /** Returns a short answer built from the question; each call is an observation. */
        @Observe
        public String step(String question) {
            return Steps.answer(question);
        }
    }

    /** The body as an {@code @Observe} method of a Spring bean. */
    public static class ProxiedSteps {
        /** Returns a short answer built from the question; each call through the proxy is an observation. */
        @Observe
        public String step(String question) {
            return Steps.answer(question);
        }
    }

    /** The body all variants share. */
    static final class Steps {
        private Steps() {
        }

        static String answer(String question) {
            return question.length() > 10 ? "Open Settings > Security" : "Ask again";
        }
    }

    /** The untraced body. */
    @State(Scope.Thread)
    public static class Plain {
        final PlainSteps steps = new PlainSteps();
    }

    /** The global tracer, as B1 builds it; the other states extend it. */
    @State(Scope.Thread)
    public static class Callback {
        Tracer tracer;
        final PlainSteps steps = new PlainSteps();

        /** Makes a tracer without a store the global one, which {@code @Observe} records with. */
        @Setup(Level.Trial)
        public void startTracer() {
            tracer = TracerBuilder.create().withoutStore().offerTimeout(Duration.ZERO).shutdownHook(false).build();
            Loupe.setTracer(tracer);
        }

        /** Closes the tracer. */
        @TearDown(Level.Trial)
        public void stopTracer() {
            tracer.close();
        }
    }

    /** The agent, installed into this fork, and a class it weaves. */
    @State(Scope.Thread)
    public static class Agent extends Callback {
        WovenSteps steps;

        /** Installs the agent, then loads the woven class. */
        @Setup(Level.Trial)
        public void installAgent() {
            LoupeAgent.install();
            steps = new WovenSteps();
        }
    }

    /** A Spring context with Loupe's auto-configuration and the bean. */
    @State(Scope.Thread)
    public static class Spring extends Callback {
        AnnotationConfigApplicationContext context;
        ProxiedSteps steps;

        /** Starts the context. */
        @Setup(Level.Trial)
        public void startContext() {
            context = new AnnotationConfigApplicationContext(LoupeObserveAutoConfiguration.class,
                    ProxiedSteps.class);
            steps = context.getBean(ProxiedSteps.class);
        }

        /** Closes the context. */
        @TearDown(Level.Trial)
        public void stopContext() {
            context.close();
        }
    }
}
