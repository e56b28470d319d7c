package dev.loupe.springai;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.Loupe;
import dev.loupe.assertj.GenerationAssert;
import dev.loupe.fakellm.ToolCall;
import dev.loupe.junit.CapturedTraces;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.client.ResourceAccessException;

class ChatClientCaptureTest extends SpringAiBootTest {

    @Autowired
    ChatClient.Builder chatClients;

    @Test
    void aChatClientCallIsATraceOfTheAgentItsAdvisorAndOneGeneration(CapturedTraces traces) {
        llm.reply("Paris is sunny.").usage(20, 5).model("gpt-4o-mini-2024-07-18");

        String answer = chatClients.build().prompt()
                .options(ChatOptions.builder().temperature(0.2).maxTokens(200).build())
                .system("Be terse.").user("Weather in Paris?").call().content();

        TraceTree trace = traces.single();
        assertThat(answer).isEqualTo("Paris is sunny.");
        assertThat(trace).hasName("chat_client").hasNoErrors().isWellFormed().hasShape("""
                AGENT chat_client
                  CHAIN call
                    GENERATION chat gpt-4o-mini
                """);
        assertThat(trace).generation("chat gpt-4o-mini")
                .hasModel("gpt-4o-mini-2024-07-18")
                .hasModelParameter("temperature", 0.2)
                .hasModelParameter("max_tokens", 200)
                .hasInputMessageRoles("system", "user")
                .hasInputMessage("user", "Weather in Paris?")
                .hasOutputAtPath("content", "Paris is sunny.")
                .hasMetadataEntry("finish_reason", "stop")
                .hasMetadataEntry("provider", "openai")
                .hasUsage(20, 5)
                .hasTotalTokens(25);
        assertThat(trace).hasInputContaining("Weather in Paris?").hasOutputContaining("Paris is sunny.");
    }

    @Test
    void toolCallsOverSeveralRoundsAreToolObservationsBetweenTheGenerationsWithTheirArgumentsAndResults(
            CapturedTraces traces) {
        TravelTools tools = new TravelTools();
        llm.replyWithToolCalls(ToolCall.of("currentWeather", "{\"city\":\"Paris\"}")).usage(50, 10);
        llm.replyWithToolCalls(ToolCall.of("bookTable", "{\"restaurant\":\"Chez Nous\",\"people\":2}"))
                .usage(80, 12);
        llm.reply("Booked: B-2-9.").usage(100, 6);

        String answer = chatClients.build().prompt().user("Book a table if it is sunny").tools(tools).call()
                .content();

        assertThat(answer).isEqualTo("Booked: B-2-9.");
        assertThat(tools.calls).containsExactly("currentWeather Paris", "bookTable Chez Nous 2");
        TraceTree trace = traces.single();
        assertThat(trace).hasNoErrors().hasToolCallsInOrder("currentWeather", "bookTable").hasShape("""
                AGENT chat_client
                  CHAIN call
                    GENERATION chat gpt-4o-mini
                    TOOL currentWeather
                    GENERATION chat gpt-4o-mini
                    TOOL bookTable
                    GENERATION chat gpt-4o-mini
                """);
        assertThat(trace).toolCall("currentWeather").hasArgument("city", "Paris")
                .hasResult("sunny, 21 degrees in Paris").isCalledTimes(1);
        assertThat(trace).toolCall("bookTable").hasArgument("restaurant", "Chez Nous").hasArgument("people", 2)
                .hasResultJson("{\"reference\":\"B-2-9\",\"restaurant\":\"Chez Nous\",\"people\":2}");
        List<Observation> generations = trace.generations();
        assertThat(generations).hasSize(3);
        // Spring AI reports the sum of the rounds so far with each round; each generation holds its own usage.
        new GenerationAssert(generations.get(0)).hasUsage(50, 10).hasMetadataEntry("finish_reason", "tool_calls")
                .hasOutputAtPath("tool_calls[0].function.name", "currentWeather");
        new GenerationAssert(generations.get(1)).hasUsage(80, 12).hasInputMessageRoles("user", "assistant", "tool");
        new GenerationAssert(generations.get(2)).hasUsage(100, 6).hasOutputAtPath("content", "Booked: B-2-9.")
                .hasInputMessageRoles("user", "assistant", "tool", "assistant", "tool");
        assertThat(trace).hasTotalTokensAtMost(258);
        assertThat(trace.stats().totalTokens()).isEqualTo(258);
    }

    @Test
    void cachedAndReasoningTokensAreUsageDetailsOfTheGeneration(CapturedTraces traces) {
        llm.reply("Done.").usage(1200, 40).cachedTokens(1024).reasoningTokens(32);

        chatClients.build().prompt().user("Summarize the manual").call().content();

        assertThat(traces.single()).generation("chat gpt-4o-mini")
                .hasUsage(1200, 40)
                .hasUsageDetail("cached_input", 1024)
                .hasUsageDetail("reasoning", 32);
    }

    @Test
    void aChatClientCallInsideALoupeTraceNestsUnderTheCurrentObservation(CapturedTraces traces) {
        llm.reply("Hello!").usage(8, 2);

        Loupe.tracer().trace("greet-user", root -> {
            root.userId("user-7");
            return chatClients.build().prompt().user("Say hello").call().content();
        });

        assertThat(traces.single()).hasName("greet-user").hasUserId("user-7").hasShape("""
                greet-user
                  AGENT chat_client
                    CHAIN call
                      GENERATION chat gpt-4o-mini
                """);
    }

    @Test
    void advisorsAreChainsNestedInTheOrderSpringAiRunsThem(CapturedTraces traces) {
        llm.reply("Fine.").usage(10, 1);

        chatClients.build().prompt().advisors(new ShoutingAdvisor()).user("How are you?").call().content();

        assertThat(traces.single()).hasShape("""
                AGENT chat_client
                  CHAIN ShoutingAdvisor
                    CHAIN call
                      GENERATION chat gpt-4o-mini
                """).observation("ShoutingAdvisor").hasMetadataEntry("advisor.order", 0);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {429, 500})
    void aFailedModelCallIsAnErrorOnTheGenerationAndTheAgentAndReachesTheCaller(int status,
            CapturedTraces traces) {
        llm.fail(status).message("the model is unavailable (" + status + ")");

        assertThatThrownBy(() -> chatClients.build().prompt().user("Anyone there?").call().content())
                .hasMessageContaining(String.valueOf(status));

        TraceTree trace = traces.single();
        assertThat(trace).hasFirstErrorIn("chat gpt-4o-mini").hasErrorWithMessage(String.valueOf(status));
        assertThat(trace).generation("chat gpt-4o-mini").hasLevel(ObservationLevel.ERROR)
                .hasStatusMessageContaining("the model is unavailable");
        assertThat(trace).root().hasType(ObservationType.AGENT).isError();
    }

    @Test
    void aModelCallThatTimesOutIsAnErrorOnTheGeneration(CapturedTraces traces) {
        llm.hang();

        // The fake server never answers; the client gives up after its read timeout (three seconds here).
        assertThatThrownBy(() -> chatClients.build().prompt().user("Still there?").call().content())
                .isInstanceOf(ResourceAccessException.class);

        assertThat(traces.single()).generation("chat gpt-4o-mini").isError()
                .hasMetadataEntry("exception.type", ResourceAccessException.class.getName());
    }
}
