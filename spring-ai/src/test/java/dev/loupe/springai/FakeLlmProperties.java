package dev.loupe.springai;

import dev.loupe.fakellm.FakeLlm;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points Spring AI's OpenAI client at a fake model server, with no retries and a short read timeout. */
final class FakeLlmProperties {

    private FakeLlmProperties() {
    }

    static void register(DynamicPropertyRegistry registry, FakeLlm llm) {
        registry.add("spring.ai.openai.base-url", llm::rootUrl);
        registry.add("spring.ai.openai.api-key", () -> "test-key");
        registry.add("spring.ai.openai.chat.options.model", () -> "gpt-4o-mini");
        registry.add("spring.ai.openai.chat.options.stream-usage", () -> "true");
        registry.add("spring.ai.openai.embedding.options.model", () -> "text-embedding-3-small");
        registry.add("spring.ai.retry.max-attempts", () -> "1");
        registry.add("spring.http.client.read-timeout", () -> "2s");
    }
}
