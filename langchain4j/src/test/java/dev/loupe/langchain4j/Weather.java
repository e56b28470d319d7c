package dev.loupe.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.guardrail.InputGuardrail;
import dev.langchain4j.guardrail.InputGuardrailResult;
import dev.langchain4j.guardrail.OutputGuardrail;
import dev.langchain4j.guardrail.OutputGuardrailResult;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.TokenStream;
import dev.loupe.fakellm.FakeLlm;
import java.time.Duration;

/** The application the tests run: AI services with weather tools, on real OpenAI clients pointed at a fake server. */
final class Weather {

    private Weather() {
    }

    /** A chat assistant. */
    interface Assistant {
        String chat(String message);
    }

    /** The same assistant, streaming its answer. */
    interface StreamingAssistant {
        TokenStream chat(String message);
    }

    /** Two tools the model can call. */
    static final class Tools {

        @Tool("Returns the current weather in a city")
        String weather(@P("the city") String city) {
            return "sunny, 21 C in " + city;
        }

        @Tool("Converts degrees Celsius to Fahrenheit")
        double toFahrenheit(double celsius) {
            return celsius * 9 / 5 + 32;
        }
    }

    /** Refuses questions about passwords. */
    static final class NoPasswords implements InputGuardrail {
        @Override
        public InputGuardrailResult validate(UserMessage userMessage) {
            return userMessage.singleText().contains("password") ? failure("passwords are off-topic") : success();
        }
    }

    /** Refuses answers that shout. */
    static final class NoShouting implements OutputGuardrail {
        @Override
        public OutputGuardrailResult validate(AiMessage responseFromLLM) {
            return responseFromLLM.text().equals(responseFromLLM.text().toUpperCase()) ? fatal("no shouting")
                    : success();
        }
    }

    static ChatModel model(FakeLlm llm) {
        return model(llm, 0, Duration.ofSeconds(10));
    }

    static ChatModel model(FakeLlm llm, int maxRetries, Duration timeout) {
        return OpenAiChatModel.builder().baseUrl(llm.baseUrl()).apiKey("test-key").modelName("gpt-4o-mini")
                .temperature(0.2).maxRetries(maxRetries).timeout(timeout).build();
    }

    static StreamingChatModel streamingModel(FakeLlm llm) {
        return OpenAiStreamingChatModel.builder().baseUrl(llm.baseUrl()).apiKey("test-key").modelName("gpt-4o-mini")
                .timeout(Duration.ofSeconds(10)).build();
    }
}
