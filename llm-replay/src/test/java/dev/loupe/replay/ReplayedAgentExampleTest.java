package dev.loupe.replay;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.loupe.junit.CapturedTraces;
import dev.loupe.junit.TraceCapture;
import dev.loupe.replay.junit.LlmReplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's example: a test whose model call is replayed from the recording committed beside it
 * ({@code src/test/resources/loupe/llm-recordings/dev.loupe.replay.ReplayedAgentExampleTest.json}), with no network
 * and no API key.
 */
// tag::llm-replay[]
@ExtendWith(TraceCapture.class)
@LlmReplay(upstream = "https://api.openai.com")
class ReplayedAgentExampleTest {

    @Test
    void answersFromTheRecordedModelCall(LlmEndpoint llm, CapturedTraces traces) {
        OpenAIClient openAi = OpenAIOkHttpClient.builder()
                .baseUrl(llm.openAiBaseUrl().toString())
                .apiKey(System.getenv().getOrDefault("OPENAI_API_KEY", "replayed-calls-need-no-key"))
                .build();

        String answer = openAi.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model("gpt-4o-mini")
                        .addUserMessage("What is the capital of France?")
                        .build())
                .choices().get(0).message().content().orElseThrow();

        assertThat(answer).contains("Paris");
        assertThat(traces.single()).generation("chat gpt-4o-mini")
                .hasUsage(14, 8)
                .hasMetadataEntry("loupe.llm.replay", "replayed");
    }
}
// end::llm-replay[]
