package dev.loupe.springai;

import static dev.loupe.assertj.LoupeAssertions.assertThat;

import dev.loupe.fakellm.FakeLlm;
import dev.loupe.junit.CapturedTraces;
import dev.loupe.junit.TraceCapture;
import dev.loupe.model.TraceTree;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The Spring Boot auto-configuration: its switch, its content settings and the registry it provides. */
@ExtendWith(TraceCapture.class)
class AutoConfigurationTest {

    private final FakeLlm llm = FakeLlm.start();
    private final ApplicationContextRunner boot = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LoupeSpringAiAutoConfiguration.class));

    @AfterEach
    void stopServer() {
        llm.close();
    }

    @Test
    void theHandlerIsRegisteredOnARegistryOfItsOwnWhenTheApplicationHasNone(CapturedTraces traces) {
        llm.reply("Hi.").usage(3, 1);

        boot.run(context -> {
            assertThat(context).hasSingleBean(LoupeObservationHandler.class).hasSingleBean(ObservationRegistry.class);
            chatModel(context.getBean(ObservationRegistry.class)).call("Hello");
        });

        // A model call outside a chat client is a trace of its own.
        assertThat(traces.single()).hasName("chat gpt-4o-mini").generation("chat gpt-4o-mini")
                .hasInputMessage("user", "Hello").hasOutputAtPath("content", "Hi.");
    }

    @Test
    void theApplicationsOwnRegistryIsKept() {
        ObservationRegistry own = ObservationRegistry.create();
        boot.withBean(ObservationRegistry.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(LoupeObservationHandler.class);
            assertThat(context.getBean(ObservationRegistry.class)).isSameAs(own);
        });
    }

    @Test
    void enabledFalseRegistersNothing() {
        boot.withPropertyValues("loupe.spring-ai.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(LoupeObservationHandler.class).doesNotHaveBean(ObservationRegistry.class));
    }

    @Test
    void captureSettingsKeepTheMessagesOutButTheModelAndUsageIn(CapturedTraces traces) {
        llm.reply("The secret is 42.").usage(9, 6);

        boot.withPropertyValues("loupe.spring-ai.capture.input=false", "loupe.spring-ai.capture.output=false")
                .run(context -> chatModel(context.getBean(ObservationRegistry.class)).call("What is the secret?"));

        TraceTree trace = traces.single();
        assertThat(trace).hasShape("GENERATION chat gpt-4o-mini");
        assertThat(trace).generation("chat gpt-4o-mini").hasModel("gpt-4o-mini").hasUsage(9, 6)
                .hasInput(null).hasOutput(null);
    }

    private ChatModel chatModel(ObservationRegistry registry) {
        return OpenAiChatModel.builder()
                .openAiApi(OpenAiApi.builder().baseUrl(llm.rootUrl()).apiKey("test-key").build())
                .defaultOptions(OpenAiChatOptions.builder().model("gpt-4o-mini").build())
                .observationRegistry(registry)
                .build();
    }
}
