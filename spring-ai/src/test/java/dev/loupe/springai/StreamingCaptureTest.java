package dev.loupe.springai;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.assertj.GenerationAssert;
import dev.loupe.fakellm.ToolCall;
import dev.loupe.junit.CapturedTraces;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.beans.factory.annotation.Autowired;

class StreamingCaptureTest extends SpringAiBootTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    ChatClient.Builder chatClients;

    @Autowired
    ChatModel chatModel;

    @Test
    void aStreamedAnswerIsOneGenerationRecordedWholeWhenTheStreamCompletes(CapturedTraces traces) {
        llm.reply("It is sunny in Paris.").chunks("It is ", "sunny ", "in Paris.").usage(30, 7);

        List<String> pieces = chatClients.build().prompt().user("Weather in Paris?").stream().content()
                .collectList().block(WAIT);

        assertThat(pieces).containsExactly("It is ", "sunny ", "in Paris.");
        TraceTree trace = traces.awaitCompleted(WAIT).get(0);
        assertThat(trace).hasNoErrors().isWellFormed().hasShape("""
                AGENT chat_client
                  CHAIN stream
                    GENERATION chat gpt-4o-mini
                """);
        assertThat(trace).root().hasMetadataEntry("stream", true);
        assertThat(trace).generation("chat gpt-4o-mini").hasOutputAtPath("content", "It is sunny in Paris.")
                .hasInputMessage("user", "Weather in Paris?").hasUsage(30, 7);
    }

    @Test
    void streamingWithToolsRecordsEachRoundBesideTheToolCallsInTheOrderTheyRan(CapturedTraces traces) {
        TravelTools tools = new TravelTools();
        llm.replyWithToolCalls(ToolCall.of("currentWeather", "{\"city\":\"Lyon\"}")).usage(50, 10);
        llm.reply("Sunny in Lyon.").chunks("Sunny ", "in Lyon.").usage(100, 6);

        String answer = String.join("", chatClients.build().prompt().user("Weather in Lyon?").tools(tools).stream()
                .content().collectList().block(WAIT));

        assertThat(answer).isEqualTo("Sunny in Lyon.");
        TraceTree trace = traces.awaitCompleted(WAIT).get(0);
        // Spring AI nests the tool call and the second round inside the first round's observation, which stops
        // last; Loupe records them side by side, in the order they ran, each parent ending after its children.
        assertThat(trace).hasNoErrors().hasToolCallsInOrder("currentWeather").hasShape("""
                AGENT chat_client
                  CHAIN stream
                    GENERATION chat gpt-4o-mini
                    TOOL currentWeather
                    GENERATION chat gpt-4o-mini
                """);
        List<Observation> generations = trace.generations();
        Observation tool = trace.toolCalls().get(0);
        assertThat(generations.get(0).endTime()).isBeforeOrEqualTo(tool.startTime());
        assertThat(tool.endTime()).isBeforeOrEqualTo(generations.get(1).startTime());
        for (Observation observation : trace.observations()) {
            trace.parent(observation).ifPresent(parent -> assertThat(parent.endTime())
                    .as("end of %s, parent of %s", parent.name(), observation.name())
                    .isAfterOrEqualTo(observation.endTime()));
        }
        assertThat(trace).toolCall("currentWeather").hasArgument("city", "Lyon")
                .hasResult("sunny, 21 degrees in Lyon");
        new GenerationAssert(generations.get(0))
                .hasOutputAtPath("tool_calls[0].function.name", "currentWeather")
                .hasMetadataEntry("usage.in_last_round", true);
        // Spring AI reports a streamed call's usage only as the sum of its rounds, with the last one.
        new GenerationAssert(generations.get(1)).hasOutputAtPath("content", "Sunny in Lyon.").hasUsage(150, 16)
                .hasMetadataEntry("usage.includes_earlier_rounds", true)
                .hasInputMessageRoles("user", "assistant", "tool");
        assertThat(trace.stats().totalTokens()).isEqualTo(166);
    }

    @Test
    void streamingWithToolsOutsideAChatClientKeepsTheRoundsInsideTheFirstModelCall(CapturedTraces traces) {
        TravelTools tools = new TravelTools();
        llm.replyWithToolCalls(ToolCall.of("currentWeather", "{\"city\":\"Oslo\"}")).usage(50, 10);
        llm.reply("Snow in Oslo.").usage(100, 6);

        chatModel.stream(new Prompt("Weather in Oslo?", ToolCallingChatOptions.builder()
                .toolCallbacks(ToolCallbacks.from(tools)).build())).collectList().block(WAIT);

        TraceTree trace = traces.awaitCompleted(WAIT).get(0);
        // Nothing encloses the first model call, so the tool call and the next round stay inside it.
        assertThat(trace).hasNoErrors().hasShape("""
                GENERATION chat gpt-4o-mini
                  TOOL currentWeather
                  GENERATION chat gpt-4o-mini
                """);
        for (Observation observation : trace.observations()) {
            trace.parent(observation).ifPresent(parent -> assertThat(parent.endTime())
                    .as("end of %s, parent of %s", parent.name(), observation.name())
                    .isAfterOrEqualTo(observation.endTime()));
        }
        assertThat(trace.stats().totalTokens()).isEqualTo(166);
    }

    @Test
    void aStreamThatFailsIsAnErrorOnTheGeneration(CapturedTraces traces) {
        llm.fail(500).message("the model crashed");

        assertThatThrownBy(() -> chatClients.build().prompt().user("Hello?").stream().content().collectList()
                .block(WAIT)).hasMessageContaining("500");

        TraceTree trace = traces.awaitCompleted(WAIT).get(0);
        assertThat(trace).generation("chat gpt-4o-mini").isError();
        assertThat(trace).root().isError();
    }
}
