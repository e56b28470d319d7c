package dev.loupe.examples.travel;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.service.AiServices;
import dev.loupe.assertj.GenerationAssert;
import dev.loupe.assertj.TraceBudget;
import dev.loupe.fakellm.FakeLlm;
import dev.loupe.fakellm.ToolCall;
import dev.loupe.junit.CapturedTraces;
import dev.loupe.langchain4j.LoupeLangChain4j;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The travel agent's trajectory, on the real LangChain4j OpenAI client against a scripted model server. */
@TraceBudget(maxTokens = 2_000)   // checked after every test: registers TraceCapture too
class TripPlannerTest {

    private final FakeLlm llm = FakeLlm.start();

    @AfterEach
    void stop() {
        llm.close();
    }

    // tag::langchain4j-wiring[]
    TripPlanner planner(ChatModel chatModel, EmbeddingModel embeddings) {
        LoupeLangChain4j loupe = LoupeLangChain4j.create();   // records with Loupe.tracer()
        return AiServices.builder(TripPlanner.class)
                .chatModel(chatModel)
                .tools(new TravelTools())
                .contentRetriever(TravelGuide.retriever(embeddings,
                                embeddings.addListener(loupe.embeddingModelListener()))
                        .addListener(loupe.contentRetrieverListener()))
                .registerListeners(loupe.aiServiceListeners())   // AGENT, GENERATION, TOOL, GUARDRAIL
                .build();
    }
    // end::langchain4j-wiring[]

    private TripPlanner planner() {
        ChatModel chatModel = OpenAiChatModel.builder().baseUrl(llm.baseUrl()).apiKey("test-key")
                .modelName("gpt-4o-mini").maxRetries(0).timeout(Duration.ofSeconds(10)).build();
        EmbeddingModel embeddings = OpenAiEmbeddingModel.builder().baseUrl(llm.baseUrl()).apiKey("test-key")
                .modelName("text-embedding-3-small").build();
        return planner(chatModel, embeddings);
    }

    // tag::langchain4j-trajectory[]
    @Test
    void plansATripByCheckingTheWeatherThenTheTrains(CapturedTraces traces) {
        llm.replyWithToolCalls(ToolCall.of("forecast", "{\"city\":\"Lyon\",\"day\":\"2026-12-05\"}")).usage(420, 18);
        llm.replyWithToolCalls(ToolCall.of("trains", "{\"from\":\"Paris\",\"to\":\"Lyon\"}"))
                .usage(470, 16).cachedTokens(384);
        llm.reply("Take the TGV 6601 at 08:04; Lyon will be sunny, so walk up to Fourviere.")
                .usage(530, 22).cachedTokens(448);

        String plan = planner().plan("A day trip from Paris to Lyon on 2026-12-05?");

        TraceTree trace = traces.single();
        assertThat(trace).hasOutput(plan).hasNoErrors()
                .hasToolCallsInOrder("forecast", "trains")
                .hasTotalTokensAtMost(1_500)
                .hasShape("""
                        AGENT TripPlanner.plan
                          RETRIEVER retrieve
                            EMBEDDING embeddings text-embedding-3-small
                          GENERATION chat gpt-4o-mini
                          TOOL forecast
                          GENERATION chat gpt-4o-mini
                          TOOL trains
                          GENERATION chat gpt-4o-mini
                        """);
        assertThat(trace).toolCall("forecast").hasArgument("city", "Lyon").hasArgument("day", "2026-12-05")
                .hasResult("sunny, 24 C in Lyon on 2026-12-05");
        assertThat(trace).toolCall("trains").hasArgument("from", "Paris").hasArgument("to", "Lyon")
                .hasResultJson("[\"TGV 6601 08:04-10:00\", \"TGV 6611 10:04-12:00\"]");
        assertThat(trace).observation("retrieve").hasOutputContaining("Fourviere");
        assertThat(trace).generations().extracting(Observation::model).containsOnly("gpt-4o-mini");
        assertThat(trace).generation("chat gpt-4o-mini")                  // the first one
                .hasInputMessageContaining("user", "Fourviere")           // the retrieved passage went in
                .hasUsage(420, 18)
                .hasTotalTokensAtMost(500);
    }
    // end::langchain4j-trajectory[]

    @Test
    void eachGenerationCarriesItsTokensWithTheCachedShare(CapturedTraces traces) {
        llm.replyWithToolCalls(ToolCall.of("forecast", "{\"city\":\"Lyon\",\"day\":\"2026-12-05\"}")).usage(420, 18);
        llm.replyWithToolCalls(ToolCall.of("trains", "{\"from\":\"Paris\",\"to\":\"Lyon\"}"))
                .usage(470, 16).cachedTokens(384);
        llm.reply("Take the 08:04 TGV.").usage(530, 22).cachedTokens(448);

        planner().plan("A day trip from Paris to Lyon on 2026-12-05?");

        List<Observation> generations = traces.single().observations().stream()
                .filter(observation -> observation.type() == ObservationType.GENERATION).toList();
        assertThat(traces.single()).hasObservationCount(ObservationType.GENERATION, 3);
        new GenerationAssert(generations.get(0)).hasUsage(420, 18).hasMetadataEntry("finish_reason", "tool_calls");
        new GenerationAssert(generations.get(1)).hasUsage(470, 16).hasUsageDetail("cached_input", 384);
        new GenerationAssert(generations.get(2)).hasUsage(530, 22).hasUsageDetail("cached_input", 448)
                .hasMetadataEntry("finish_reason", "stop")
                .hasInputMessageRoles("system", "user", "assistant", "tool", "assistant", "tool");
    }

    @Test
    void aModelOutageAfterTheFirstToolIsTheErrorPathOfTheTrace(CapturedTraces traces) {
        llm.replyWithToolCalls(ToolCall.of("forecast", "{\"city\":\"Lille\",\"day\":\"2026-12-05\"}"));
        llm.fail(503);

        assertThatThrownBy(() -> planner().plan("Lille on 2026-12-05?"))
                .hasMessageContaining("server had an error");

        TraceTree trace = traces.single();
        assertThat(trace).hasToolCallsInOrder("forecast")
                .hasFirstErrorIn("chat gpt-4o-mini")
                .hasErrorWithMessage("server had an error")
                .hasShape("""
                        AGENT TripPlanner.plan
                          RETRIEVER retrieve
                            EMBEDDING embeddings text-embedding-3-small
                          GENERATION chat gpt-4o-mini
                          TOOL forecast
                          GENERATION chat gpt-4o-mini
                        """);
        assertThat(trace).root().isError();
        assertThat(trace).toolCall("forecast").isNotError().hasResult("rain, 12 C in Lille on 2026-12-05");
    }
}
