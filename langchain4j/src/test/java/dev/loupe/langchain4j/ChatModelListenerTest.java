package dev.loupe.langchain4j;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.LoupeAssertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.loupe.fakellm.FakeLlm;
import dev.loupe.junit.CapturedTraces;
import dev.loupe.junit.TraceCapture;
import dev.loupe.langchain4j.fixtures.ParallelAssistantFixture;
import dev.loupe.trace.ObservationType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

@ExtendWith(TraceCapture.class)
class ChatModelListenerTest {

    private final FakeLlm llm = FakeLlm.start();
    private final LoupeLangChain4j loupe = LoupeLangChain4j.create();

    @TempDir
    Path store;

    @AfterEach
    void stop() {
        llm.close();
    }

    private ChatModel listenedModel() {
        return OpenAiChatModel.builder().baseUrl(llm.baseUrl()).apiKey("test-key").modelName("gpt-4o-mini")
                .maxRetries(0).listeners(List.of(loupe.chatModelListener())).build();
    }

    @Test
    void aModelCalledOutsideAnAiServiceIsAGenerationOfItsOwn(CapturedTraces traces) {
        llm.reply("Paris.").usage(9, 1).reasoningTokens(0);

        listenedModel().chat("Capital of France?");

        assertThat(traces.single()).hasName("chat gpt-4o-mini").hasShape("GENERATION chat gpt-4o-mini");
        assertThat(traces.single()).generation("chat gpt-4o-mini").hasInputMessage("user", "Capital of France?")
                .hasUsage(9, 1).hasMetadataEntry("provider", "openai");
    }

    @Test
    void aModelFailureOutsideAnAiServiceIsAFailedGeneration(CapturedTraces traces) {
        llm.fail(401);

        assertThatThrownBy(() -> listenedModel().chat("Hi")).hasMessageContaining("Incorrect API key");

        assertThat(traces.single()).generation("chat gpt-4o-mini").isError()
                .hasErrorWithMessage("Incorrect API key");
    }

    @Test
    void aRequestOfAnAiServiceWhoseModelAlsoHasTheListenerIsRecordedOnce(CapturedTraces traces) {
        llm.reply("Hello.");
        Weather.Assistant assistant = AiServices.builder(Weather.Assistant.class)
                .chatModel(listenedModel())
                .registerListeners(loupe.aiServiceListeners())
                .build();

        assistant.chat("Hi");

        assertThat(traces.single()).hasObservationCount(ObservationType.GENERATION, 1).hasShape("""
                AGENT Assistant.chat
                  GENERATION chat gpt-4o-mini
                """);
    }

    @Test
    void aiServiceTestsRunningInParallelEachSeeOnlyTheirOwnTraces() {
        // More workers than the fixture's 4 tests: the repeated test's own node may hold one while its repetitions
        // run, and the fixture's barrier needs all 4 running at once.
        Events events = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("loupe.junit.store", store.toString())
                .configurationParameters(Map.of("junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.mode.default", "concurrent",
                        "junit.jupiter.execution.parallel.config.strategy", "fixed",
                        "junit.jupiter.execution.parallel.config.fixed.parallelism", "8"))
                .selectors(selectClass(ParallelAssistantFixture.class))
                .execute()
                .testEvents();

        assertThat(events.failed().stream().map(event -> event.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).map(ChatModelListenerTest::describe).orElse("?")).toList())
                .as("failures of the parallel tests").isEmpty();
        assertThat(events.succeeded().count()).isEqualTo(4);
    }

    /** Describes a failure of a fixture test: the exception and where it was thrown in test code. */
    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.toString());
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().startsWith("dev.loupe")) {
                text.append(" at ").append(frame);
                break;
            }
        }
        return text.toString();
    }
}
