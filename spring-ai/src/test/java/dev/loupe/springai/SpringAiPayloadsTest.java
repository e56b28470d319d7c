package dev.loupe.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.trace.Usage;
import dev.loupe.trace.spi.JsonPayload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.DefaultUsage;

/** The conversion of Spring AI's values into Loupe's GenAI vocabulary, on Spring AI's own types. */
class SpringAiPayloadsTest {

    /** The shape of Anthropic's native usage in Spring AI: cache reads and writes at the top level. */
    record AnthropicLikeUsage(Integer inputTokens, Integer outputTokens, Integer cacheCreationInputTokens,
            Integer cacheReadInputTokens) {
    }

    /** The shape of OpenAI's native usage in Spring AI: cached and reasoning tokens in nested details. */
    record OpenAiLikeUsage(Integer promptTokens, Integer completionTokens, Details promptTokensDetails,
            CompletionDetails completionTokenDetails) {

        record Details(Integer audioTokens, Integer cachedTokens) {
        }

        record CompletionDetails(Integer reasoningTokens) {
        }
    }

    @Test
    void openAiCachedAndReasoningTokensBecomeUsageDetails() {
        var nativeUsage = new OpenAiLikeUsage(900, 50, new OpenAiLikeUsage.Details(null, 512),
                new OpenAiLikeUsage.CompletionDetails(20));

        Usage usage = SpringAiPayloads.usage(new DefaultUsage(900, 50, 950, nativeUsage));

        assertThat(usage.details()).containsExactly(Map.entry("input", 900L), Map.entry("output", 50L),
                Map.entry("total", 950L), Map.entry("cached_input", 512L), Map.entry("reasoning", 20L));
    }

    @Test
    void anthropicCacheReadsAndWritesBecomeUsageDetails() {
        Usage usage = SpringAiPayloads.usage(new DefaultUsage(300, 40, 340,
                new AnthropicLikeUsage(300, 40, 100, 200)));

        assertThat(usage.detail("cached_input")).isEqualTo(200L);
        assertThat(usage.detail("cache_creation_input")).isEqualTo(100L);
    }

    @Test
    void usageSummedBySpringAiLessTheRoundsBeforeIsTheRoundsOwn() {
        assertThat(SpringAiPayloads.minus(Usage.of(130, 22, 152), Usage.of(50, 10, 60)))
                .isEqualTo(Usage.of(80, 12, 92));
    }

    @Test
    void aToolResponseMessageBecomesOneToolMessagePerResult() {
        var messages = SpringAiPayloads.messages(List.of(new UserMessage("Weather?"),
                AssistantMessage.builder().content("").toolCalls(List.of(
                        new AssistantMessage.ToolCall("call-1", "function", "weather", "{\"city\":\"Oslo\"}"))).build(),
                ToolResponseMessage.builder().responses(List.of(
                        new ToolResponseMessage.ToolResponse("call-1", "weather", "\"snow\""))).build()));

        assertThat(messages).extracting(message -> message.get("role")).containsExactly("user", "assistant", "tool");
        assertThat(messages.get(1)).containsEntry("tool_calls", List.of(Map.of("id", "call-1", "type", "function",
                "function", Map.of("name", "weather", "arguments", "{\"city\":\"Oslo\"}"))));
        assertThat(messages.get(2)).containsEntry("tool_call_id", "call-1").containsEntry("content", "\"snow\"");
    }

    @Test
    void jsonTextIsKeptAsJsonAndOtherTextAsText() {
        assertThat(SpringAiPayloads.jsonOrText("{\"a\":[1,2]}")).isEqualTo(new JsonPayload("{\"a\":[1,2]}"));
        assertThat(SpringAiPayloads.jsonOrText("\"sunny\"")).isEqualTo(new JsonPayload("\"sunny\""));
        assertThat(SpringAiPayloads.jsonOrText("sunny, 21 degrees")).isEqualTo("sunny, 21 degrees");
        assertThat(SpringAiPayloads.jsonOrText("{not json")).isEqualTo("{not json");
    }
}
