package dev.loupe.langchain4j;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.LoupeAssertions.assertThatThrownBy;

import dev.langchain4j.guardrail.InputGuardrailException;
import dev.langchain4j.guardrail.OutputGuardrailException;
import dev.langchain4j.service.AiServices;
import dev.loupe.Loupe;
import dev.loupe.assertj.GenerationAssert;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.fakellm.FakeLlm;
import dev.loupe.fakellm.RecordedMessage;
import dev.loupe.fakellm.ToolCall;
import dev.loupe.junit.CapturedTraces;
import dev.loupe.junit.TraceCapture;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Tracer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TraceCapture.class)
class AiServiceRecordingTest {

    private final FakeLlm llm = FakeLlm.start();
    private final LoupeLangChain4j loupe = LoupeLangChain4j.create();

    @AfterEach
    void stop() {
        llm.close();
    }

    private Weather.Assistant assistant() {
        return AiServices.builder(Weather.Assistant.class)
                .chatModel(Weather.model(llm))
                .tools(new Weather.Tools())
                .registerListeners(loupe.aiServiceListeners())
                .build();
    }

    @Test
    void aPlainInvocationIsAnAgentWithOneGenerationCarryingModelUsageAndMessages(CapturedTraces traces) {
        llm.reply("Hello! How can I help?").usage(12, 6);

        String answer = assistant().chat("Hi there");

        TraceTree trace = traces.single();
        assertThat(trace).hasName("Assistant.chat").hasInput("Hi there").hasOutput(answer).hasNoErrors()
                .hasShape("""
                        AGENT Assistant.chat
                          GENERATION chat gpt-4o-mini
                        """);
        assertThat(trace).generation("chat gpt-4o-mini")
                .hasModel("gpt-4o-mini")
                .hasModelParameter("temperature", 0.2)
                .hasUsage(12, 6)
                .hasTotalTokens(18)
                .hasInputMessage("user", "Hi there")
                .hasOutputAtPath("content", "Hello! How can I help?")
                .hasMetadataEntry("finish_reason", "stop")
                .hasMetadataEntry("tools", java.util.List.of("weather", "toFahrenheit"));
        assertThat(trace).root().hasMetadataEntry("langchain4j.method", "chat");
    }

    @Test
    void toolsCalledOverSeveralRoundsAreToolObservationsBetweenTheGenerations(CapturedTraces traces) {
        llm.replyWithToolCalls(ToolCall.of("weather", "{\"city\":\"Paris\"}"));
        llm.replyWithToolCalls(ToolCall.of("weather", "{\"city\":\"London\"}"),
                ToolCall.of("toFahrenheit", "{\"celsius\":21}"));
        llm.reply("Sunny in both; 21 C is 69.8 F.");

        assistant().chat("Weather in Paris and London, in Fahrenheit?");

        TraceTree trace = traces.single();
        assertThat(trace).hasNoErrors().hasShape("""
                AGENT Assistant.chat
                  GENERATION chat gpt-4o-mini
                  TOOL weather
                  GENERATION chat gpt-4o-mini
                  TOOL weather
                  TOOL toFahrenheit
                  GENERATION chat gpt-4o-mini
                """);
        assertThat(trace).hasToolCallsInOrder("weather", "weather", "toFahrenheit");
        assertThat(trace).toolCall("toFahrenheit").hasArgument("celsius", 21).hasResultContaining("69.8");
        assertThat(trace).toolCall("weather").hasArgument("city", "Paris").hasResult("sunny, 21 C in Paris")
                .isCalledTimes(2);
        Observation last = trace.observations().stream()
                .filter(observation -> observation.type() == ObservationType.GENERATION)
                .reduce((first, second) -> second).orElseThrow();
        new GenerationAssert(last)
                .hasInputMessageRoles("user", "assistant", "tool", "assistant", "tool", "tool")
                .hasInputMessage("tool", "sunny, 21 C in London")
                .hasInputSatisfying(input -> assertThat(input.toString())
                        .contains("tool_calls", "call_2"));
        assertThat(llm.chatRequests().get(2).messages()).extracting(RecordedMessage::role)
                .containsExactly("user", "assistant", "tool", "assistant", "tool", "tool");
    }

    @Test
    void cachedAndReasoningTokensAreUsageDetails(CapturedTraces traces) {
        llm.reply("Done.").usage(1200, 40).cachedTokens(1024).reasoningTokens(32);

        assistant().chat("Summarise the report");

        assertThat(traces.single()).generation("chat gpt-4o-mini")
                .hasUsage(1200, 40)
                .hasUsageDetail("cached_input", 1024)
                .hasUsageDetail("reasoning", 32);
    }

    @Test
    void aServerErrorFailsTheGenerationAndTheAgentAndReachesTheCaller(CapturedTraces traces) {
        llm.fail(500);

        assertThatThrownBy(() -> assistant().chat("Hi")).hasMessageContaining("server had an error");

        assertThat(traces.single()).hasFirstErrorIn("chat gpt-4o-mini")
                .hasErrorWithMessage("server had an error");
        assertThat(traces.single()).root().isError();
    }

    @Test
    void aRateLimitThatOutlastsTheRetriesIsAnErrorNamingTheLimit(CapturedTraces traces) {
        llm.fail(429).retryAfter(Duration.ofSeconds(1));

        assertThatThrownBy(() -> assistant().chat("Hi")).hasMessageContaining("Rate limit");

        assertThat(traces.single()).generation("chat gpt-4o-mini").hasErrorWithMessage("Rate limit");
    }

    @Test
    void aRateLimitThatARetryOvercomesLeavesOneSuccessfulGeneration(CapturedTraces traces) {
        llm.fail(429).retryAfter(Duration.ofMillis(100));
        llm.reply("Made it.").usage(5, 2);
        Weather.Assistant assistant = AiServices.builder(Weather.Assistant.class)
                .chatModel(Weather.model(llm, 1, Duration.ofSeconds(10)))
                .registerListeners(loupe.aiServiceListeners())
                .build();

        assistant.chat("Hi");

        assertThat(llm.chatRequests()).hasSize(2);
        assertThat(traces.single()).hasNoErrors().hasObservationCount(ObservationType.GENERATION, 1)
                .generation("chat gpt-4o-mini").hasUsage(5, 2);
    }

    @Test
    void aModelThatDoesNotAnswerInTimeIsATimeoutOnThePath(CapturedTraces traces) {
        llm.hang();
        Weather.Assistant assistant = AiServices.builder(Weather.Assistant.class)
                .chatModel(Weather.model(llm, 0, Duration.ofSeconds(1)))
                .registerListeners(loupe.aiServiceListeners())
                .build();

        assertThatThrownBy(() -> assistant.chat("Hi")).isInstanceOf(RuntimeException.class);

        assertThat(traces.single()).hasFirstErrorIn("chat gpt-4o-mini");
        assertThat(traces.single()).generation("chat gpt-4o-mini").hasStatusMessageContaining("timed out");
    }

    @Test
    void aGuardrailIsAGuardrailObservationAndABlockedInputFailsTheAgent(CapturedTraces traces) {
        Weather.Assistant assistant = AiServices.builder(Weather.Assistant.class)
                .chatModel(Weather.model(llm))
                .inputGuardrails(new Weather.NoPasswords())
                .registerListeners(loupe.aiServiceListeners())
                .build();
        llm.reply("It is sunny.");

        assistant.chat("Weather?");
        assertThatThrownBy(() -> assistant.chat("What is my password?")).isInstanceOf(InputGuardrailException.class);

        assertThat(traces.all()).hasSize(2);
        assertThat(traces.all().get(0)).hasNoErrors().hasShape("""
                AGENT Assistant.chat
                  GUARDRAIL NoPasswords
                  GENERATION chat gpt-4o-mini
                """);
        assertThat(traces.all().get(1)).hasFirstErrorIn("NoPasswords").hasShape("""
                AGENT Assistant.chat
                  GUARDRAIL NoPasswords
                """);
        assertThat(traces.all().get(1)).observation("NoPasswords").hasStatusMessage("passwords are off-topic")
                .hasInput("What is my password?");
        assertThat(llm.chatRequests()).hasSize(1);
    }

    @Test
    void anOutputGuardrailIsAGuardrailObservationAfterTheGenerationItChecked(CapturedTraces traces) {
        Weather.Assistant assistant = AiServices.builder(Weather.Assistant.class)
                .chatModel(Weather.model(llm))
                .outputGuardrails(new Weather.NoShouting())
                .registerListeners(loupe.aiServiceListeners())
                .build();
        llm.reply("It is sunny.");
        llm.reply("IT IS SUNNY!");

        assistant.chat("Weather?");
        assertThatThrownBy(() -> assistant.chat("Weather again?")).isInstanceOf(OutputGuardrailException.class);

        assertThat(traces.all().get(0)).hasNoErrors().hasShape("""
                AGENT Assistant.chat
                  GENERATION chat gpt-4o-mini
                  GUARDRAIL NoShouting
                """);
        assertThat(traces.all().get(0)).observation("NoShouting").hasInput("It is sunny.")
                .hasOutputAtPath("result", "success");
        assertThat(traces.all().get(1)).hasFirstErrorIn("NoShouting");
        assertThat(traces.all().get(1)).observation("NoShouting").hasStatusMessage("no shouting");
    }

    @Test
    void aClosedTracerDropsAndCountsTheRecordsWhileTheApplicationGoesOn() {
        Tracer tracer = TracerBuilder.create().withoutStore().shutdownHook(false).build();
        tracer.close();
        llm.replyWithToolCalls(ToolCall.of("weather", "{\"city\":\"Oslo\"}"));
        llm.reply("Sunny in Oslo.");
        Weather.Assistant assistant = AiServices.builder(Weather.Assistant.class)
                .chatModel(Weather.model(llm))
                .tools(new Weather.Tools())
                .registerListeners(LoupeLangChain4j.create(tracer).aiServiceListeners())
                .build();

        assertThat(assistant.chat("Weather in Oslo?")).isEqualTo("Sunny in Oslo.");
        assertThat(tracer.stats().dropped()).isPositive();
    }

    @Test
    void creatingWithoutATracerSaysWhatToPass() {
        assertThatThrownBy(() -> LoupeLangChain4j.create(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got null").hasMessageContaining("Loupe.tracer()");
    }

    @Test
    void anInvocationInsideACurrentObservationNestsUnderIt(CapturedTraces traces) {
        llm.reply("Hello.");

        Loupe.tracer().trace("handle-request", root -> assistant().chat("Hi"));

        assertThat(traces.single()).hasShape("""
                handle-request
                  AGENT Assistant.chat
                    GENERATION chat gpt-4o-mini
                """);
    }
}
