package dev.loupe.springai;

import dev.loupe.fakellm.FakeLlm;
import dev.loupe.junit.TraceCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Spring Boot application of the tests, with Spring AI's real OpenAI client pointed at one fake model server on
 * loopback. The test classes extend it, so they share the server and one application context.
 */
// Not a (reactive) web application: only then does Boot configure the RestClient that Spring AI uses, timeout included.
@SpringBootTest(classes = SpringAiTestApplication.class, properties = "spring.main.web-application-type=none")
@ExtendWith(TraceCapture.class)
abstract class SpringAiBootTest {

    /** One server for every test class: its address is part of the one cached application context. */
    static final FakeLlm llm = FakeLlm.start();

    @DynamicPropertySource
    static void pointSpringAiAtTheFakeServer(DynamicPropertyRegistry registry) {
        registry.add("spring.ai.openai.base-url", llm::rootUrl);
        registry.add("spring.ai.openai.api-key", () -> "test-key");
        registry.add("spring.ai.openai.chat.options.model", () -> "gpt-4o-mini");
        registry.add("spring.ai.openai.chat.options.stream-usage", () -> "true");
        registry.add("spring.ai.openai.embedding.options.model", () -> "text-embedding-3-small");
        registry.add("spring.ai.retry.max-attempts", () -> "1");
        registry.add("spring.http.client.read-timeout", () -> "3s");
    }

    /** A test that left scripted replies unused would hand them to the next test: fail it instead. */
    @AfterEach
    void everyScriptedReplyWasUsed() {
        int left = llm.pendingReplies();
        if (left > 0) {
            throw new AssertionError("The test left " + left + " scripted replies of the fake model unused");
        }
    }
}
