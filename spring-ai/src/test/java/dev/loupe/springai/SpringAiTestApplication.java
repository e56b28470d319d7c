package dev.loupe.springai;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Spring Boot application of the tests: Spring AI's OpenAI starter and this module, auto-configured. */
@SpringBootApplication
class SpringAiTestApplication {
}
