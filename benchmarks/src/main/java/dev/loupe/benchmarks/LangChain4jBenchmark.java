package dev.loupe.benchmarks;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.service.AiServices;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.langchain4j.LoupeLangChain4j;
import dev.loupe.trace.ExporterStats;
import dev.loupe.trace.Tracer;
import java.time.Duration;
import java.util.ArrayList;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * langchain4j: what Loupe's LangChain4j listeners add to a model call and to a tool call, against the same LangChain4j calls
 * without them, in the same run. The chat model answers in process (no HTTP): a network round trip would bury the
 * listener's cost in its noise, and both sides call the same model. Three pairs: a chat model call with and without
 * {@code chatModelListener()}; an AI service invocation answered at once (one model request), and one whose model asks
 * for {@value #TOOLS} tool calls before it answers (two model requests), each with and without
 * {@code aiServiceListeners()}. The exporter runs and converts every record but writes nowhere, as in B1, and drops
 * a record that finds its queue full; each trial records how many were dropped.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LangChain4jBenchmark {

    /** Tool calls the model asks for in the tool scenario. */
    static final int TOOLS = 4;

    static final ChatRequest REQUEST = ChatRequest.builder()
            .messages(UserMessage.from("How do I reset my password?")).build();

    /** The AI service of the benchmark. */
    public interface Assistant {
        /** Answers a question. */
        String answer(String question);
    }

    /** The tool the model calls. */
    public static final class Lookup {
        /** Looks a key up. */
        @Tool("Looks a key up")
        public String lookup(String key) {
            return "value of " + key;
        }
    }

    /**
     * A chat model that answers in process: with {@code tools} tool calls when the last message is the user's, with
     * text otherwise; usage and finish reason as a provider reports them.
     */
    static final class InProcessModel implements ChatModel {
        private final List<ChatModelListener> listeners;
        private final int tools;
        private final ChatRequestParameters defaults = DefaultChatRequestParameters.builder()
                .modelName("gpt-4o-mini").temperature(0.2).build();

        InProcessModel(List<ChatModelListener> listeners, int tools) {
            this.listeners = listeners;
            this.tools = tools;
        }

        @Override
        public ChatResponse doChat(ChatRequest request) {
            List<ChatMessage> messages = request.messages();
            boolean askTools = tools > 0 && !(messages.get(messages.size() - 1) instanceof ToolExecutionResultMessage);
            AiMessage message;
            if (askTools) {
                List<ToolExecutionRequest> calls = new ArrayList<>(tools);
                for (int i = 0; i < tools; i++) {
                    calls.add(ToolExecutionRequest.builder().id("call_" + i).name("lookup")
                            .arguments("{\"key\":\"k" + i + "\"}").build());
                }
                message = AiMessage.from(calls);
            } else {
                message = AiMessage.from("Open Settings > Security and choose Reset password.");
            }
            return ChatResponse.builder().aiMessage(message).metadata(ChatResponseMetadata.builder()
                    .id("chatcmpl-1").modelName("gpt-4o-mini").tokenUsage(new TokenUsage(120, 45))
                    .finishReason(askTools ? FinishReason.TOOL_EXECUTION : FinishReason.STOP).build()).build();
        }

        @Override
        public ChatRequestParameters defaultRequestParameters() {
            return defaults;
        }

        @Override
        public List<ChatModelListener> listeners() {
            return listeners;
        }
    }

    /** The models and AI services, with Loupe's listeners and without. */
    @State(Scope.Thread)
    public static class Calls {
        Tracer tracer;
        ChatModel capturedModel;
        ChatModel plainModel;
        Assistant capturedAnswer;
        Assistant plainAnswer;
        Assistant capturedTools;
        Assistant plainTools;

        /** Starts a tracer without a store and builds both sides. */
        @Setup(Level.Trial)
        public void start() {
            tracer = TracerBuilder.create().withoutStore().offerTimeout(Duration.ZERO).shutdownHook(false).build();
            LoupeLangChain4j loupe = LoupeLangChain4j.create(tracer);
            capturedModel = new InProcessModel(List.of(loupe.chatModelListener()), 0);
            plainModel = new InProcessModel(List.of(), 0);
            capturedAnswer = assistant(0, loupe);
            plainAnswer = assistant(0, null);
            capturedTools = assistant(TOOLS, loupe);
            plainTools = assistant(TOOLS, null);
        }

        private static Assistant assistant(int tools, LoupeLangChain4j loupe) {
            AiServices<Assistant> builder = AiServices.builder(Assistant.class)
                    .chatModel(new InProcessModel(List.of(), tools)).tools(new Lookup());
            if (loupe != null) {
                builder.registerListeners(loupe.aiServiceListeners());
            }
            return builder.build();
        }

        /**
         * Flushes and closes the tracer and records, for a benchmark with Loupe's listeners, how many records it
         * produced, how many were dropped and how many failures the adapter reported (it must report none).
         */
        @TearDown(Level.Trial)
        public void stop(BenchmarkParams params) {
            tracer.flush(Duration.ofSeconds(30));
            ExporterStats stats = tracer.stats();
            String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            if (method.endsWith("Captured")) {
                RunFacts.record("langchain4j." + method + ".records", stats.enqueued() + stats.dropped());
                RunFacts.record("langchain4j." + method + ".dropped", stats.dropped());
                RunFacts.record("langchain4j." + method + ".internalErrors", stats.internalErrors());
            }
            tracer.close();
        }
    }

    /** A chat model call with Loupe's chat model listener. */
    @Benchmark
    public ChatResponse modelCallCaptured(Calls calls) {
        return calls.capturedModel.chat(REQUEST);
    }

    /** The same call without it. */
    @Benchmark
    public ChatResponse modelCallPlain(Calls calls) {
        return calls.plainModel.chat(REQUEST);
    }

    /** An AI service invocation answered at once, with Loupe's AI service listeners. */
    @Benchmark
    public String invocationCaptured(Calls calls) {
        return calls.capturedAnswer.answer("How do I reset my password?");
    }

    /** The same invocation without them. */
    @Benchmark
    public String invocationPlain(Calls calls) {
        return calls.plainAnswer.answer("How do I reset my password?");
    }

    /** An AI service invocation with {@value #TOOLS} tool calls, with Loupe's AI service listeners. */
    @Benchmark
    public String invocationWithToolsCaptured(Calls calls) {
        return calls.capturedTools.answer("How do I reset my password?");
    }

    /** The same invocation without them. */
    @Benchmark
    public String invocationWithToolsPlain(Calls calls) {
        return calls.plainTools.answer("How do I reset my password?");
    }
}
