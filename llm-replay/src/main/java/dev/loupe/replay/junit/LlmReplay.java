package dev.loupe.replay.junit;

import dev.loupe.replay.ReplayMode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts Loupe's recording proxy for LLM calls around a test class, so that its model calls are recorded once and
 * replayed from then on: deterministic agent tests that need no API key. Each test gets an
 * {@link dev.loupe.replay.LlmEndpoint} parameter with its own base URL; the class's base URL is also in the system
 * properties {@value LlmReplayExtension#BASE_URL_PROPERTY} and {@value LlmReplayExtension#OPENAI_BASE_URL_PROPERTY}
 * before a Spring context starts.
 *
 * <p>The mode is the system property {@value LlmReplayExtension#MODE_PROPERTY}, else the environment variable
 * {@value LlmReplayExtension#MODE_VARIABLE}, else {@link #mode()}; record with {@code -Dloupe.llm.mode=record}.
 * Recordings are one file per test class, {@code <directory>/<class name>.json}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LlmReplayExtension.class)
public @interface LlmReplay {

    /** What the proxy does with calls unless a system property or environment variable says otherwise. */
    ReplayMode mode() default ReplayMode.REPLAY;

    /**
     * The provider's root URL that calls are recorded from, unless the system property
     * {@value LlmReplayExtension#UPSTREAM_PROPERTY} or the environment variable
     * {@value LlmReplayExtension#UPSTREAM_VARIABLE} names another.
     */
    String upstream() default "https://api.openai.com";

    /** The directory of the recordings files, relative to the working directory (the module, under Maven). */
    String directory() default "src/test/resources/loupe/llm-recordings";

    /** Top-level request fields left out of the key calls are matched by, besides the volatile ones. */
    String[] ignoreFields() default {};

    /** Request fields never written and left out of the key, at any depth. */
    String[] secretFields() default {};
}
