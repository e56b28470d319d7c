package dev.loupe.springai;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The settings of Loupe's Spring AI capture, under {@code loupe.spring-ai}: whether it is on, and which content it
 * keeps.
 */
@ConfigurationProperties(prefix = "loupe.spring-ai")
public class LoupeSpringAiProperties {

    private boolean enabled = true;
    private final Capture capture = new Capture();

    /** Returns whether Spring AI's observations are recorded ({@code loupe.spring-ai.enabled}, default true). */
    public boolean isEnabled() {
        return enabled;
    }

    /** Sets whether Spring AI's observations are recorded. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Returns which content is kept. */
    public Capture getCapture() {
        return capture;
    }

    /** Which content the recorded observations keep, under {@code loupe.spring-ai.capture}. */
    public static class Capture {

        private boolean input = true;
        private boolean output = true;

        /**
         * Returns whether prompts, tool arguments, embedded texts and queries are kept
         * ({@code loupe.spring-ai.capture.input}, default true).
         */
        public boolean isInput() {
            return input;
        }

        /** Sets whether prompts, tool arguments, embedded texts and queries are kept. */
        public void setInput(boolean input) {
            this.input = input;
        }

        /**
         * Returns whether answers, tool results and retrieved documents are kept
         * ({@code loupe.spring-ai.capture.output}, default true).
         */
        public boolean isOutput() {
            return output;
        }

        /** Sets whether answers, tool results and retrieved documents are kept. */
        public void setOutput(boolean output) {
            this.output = output;
        }
    }
}
