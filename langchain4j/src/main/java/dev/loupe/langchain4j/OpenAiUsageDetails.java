package dev.loupe.langchain4j;

import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads OpenAI's token details (cached prompt tokens, reasoning tokens). Loaded only when langchain4j-open-ai is on
 * the class path, which this module does not require.
 */
final class OpenAiUsageDetails {

    private OpenAiUsageDetails() {
    }

    /** Returns the details of OpenAI usage by Loupe's keys, or null for usage of another provider. */
    static Map<String, Long> of(TokenUsage tokens) {
        if (!(tokens instanceof OpenAiTokenUsage openAi)) {
            return null;
        }
        Map<String, Long> details = new LinkedHashMap<>();
        if (openAi.inputTokensDetails() != null && openAi.inputTokensDetails().cachedTokens() != null) {
            details.put(Payloads.CACHED_INPUT, openAi.inputTokensDetails().cachedTokens().longValue());
        }
        if (openAi.outputTokensDetails() != null && openAi.outputTokensDetails().reasoningTokens() != null) {
            details.put(Payloads.REASONING, openAi.outputTokensDetails().reasoningTokens().longValue());
        }
        return details;
    }
}
