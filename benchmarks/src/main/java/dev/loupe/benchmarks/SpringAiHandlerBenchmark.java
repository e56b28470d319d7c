package dev.loupe.benchmarks;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.springai.LoupeObservationHandler;
import dev.loupe.trace.Tracer;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
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
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.observation.DefaultToolCallingObservationConvention;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;
import org.springframework.ai.tool.observation.ToolCallingObservationDocumentation;

/**
 * spring-ai: what loupe-spring-ai adds to a Spring AI model call and to a tool call. Each call makes the observation
 * Spring AI's model and tool calling make (the context, its convention, the prompt and response or the arguments and
 * result), on a registry with the Loupe handler and on the same kind of registry without it, in the same run. The
 * model's work itself is left out, so the difference is the handler's cost alone. Loupe's exporter runs and converts
 * every record but writes nowhere, as in B1.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SpringAiHandlerBenchmark {

    private static final DefaultChatModelObservationConvention MODEL_CONVENTION =
            new DefaultChatModelObservationConvention();
    private static final DefaultToolCallingObservationConvention TOOL_CONVENTION =
            new DefaultToolCallingObservationConvention();

    /** A model call observed on a registry without the Loupe handler. */
    @Benchmark
    public ChatResponse modelCallWithoutHandler(Calls calls) {
        return modelCall(calls.without, calls);
    }

    /** The same model call observed on a registry with the Loupe handler. */
    @Benchmark
    public ChatResponse modelCallWithHandler(Calls calls) {
        return modelCall(calls.with, calls);
    }

    /** A tool call observed on a registry without the Loupe handler. */
    @Benchmark
    public String toolCallWithoutHandler(Calls calls) {
        return toolCall(calls.without, calls);
    }

    /** The same tool call observed on a registry with the Loupe handler. */
    @Benchmark
    public String toolCallWithHandler(Calls calls) {
        return toolCall(calls.with, calls);
    }

    private static ChatResponse modelCall(ObservationRegistry registry, Calls calls) {
        ChatModelObservationContext context = ChatModelObservationContext.builder().prompt(calls.prompt)
                .provider("openai").build();
        return ChatModelObservationDocumentation.CHAT_MODEL_OPERATION
                .observation(null, MODEL_CONVENTION, () -> context, registry)
                .observe(() -> {
                    context.setResponse(calls.response);
                    return calls.response;
                });
    }

    private static String toolCall(ObservationRegistry registry, Calls calls) {
        ToolCallingObservationContext context = ToolCallingObservationContext.builder()
                .toolDefinition(calls.tool).toolCallArguments("{\"city\":\"Paris\"}").build();
        return ToolCallingObservationDocumentation.TOOL_CALL
                .observation(null, TOOL_CONVENTION, () -> context, registry)
                .observe(() -> {
                    context.setToolCallResult("\"sunny, 21 degrees\"");
                    return context.getToolCallResult();
                });
    }

    /** The two registries, and the prompt, response and tool of the calls. */
    @State(Scope.Thread)
    public static class Calls {
        Tracer tracer;
        ObservationRegistry without;
        ObservationRegistry with;
        Prompt prompt;
        ChatResponse response;
        ToolDefinition tool;

        /** Starts a tracer without store and registers the handler on one of the registries. */
        @Setup(Level.Trial)
        public void start() {
            tracer = TracerBuilder.create().withoutStore().offerTimeout(Duration.ZERO).shutdownHook(false).build();
            without = ObservationRegistry.create();
            with = ObservationRegistry.create();
            with.observationConfig().observationHandler(LoupeObservationHandler.builder().tracer(tracer).build());
            prompt = new Prompt(List.of(new SystemMessage("You are a travel agent."),
                    new UserMessage("What is the weather in Paris?")),
                    ChatOptions.builder().model("gpt-4o-mini").temperature(0.2).build());
            response = new ChatResponse(List.of(new Generation(new AssistantMessage("It is sunny in Paris."))),
                    ChatResponseMetadata.builder().model("gpt-4o-mini").usage(new DefaultUsage(120, 45)).build());
            tool = ToolDefinition.builder().name("currentWeather").description("Returns the weather in a city")
                    .inputSchema("{\"type\":\"object\"}").build();
        }

        /** Closes the tracer. */
        @TearDown(Level.Trial)
        public void stop() {
            tracer.close();
        }
    }
}
