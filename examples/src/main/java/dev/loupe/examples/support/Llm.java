package dev.loupe.examples.support;

import java.util.List;

/** A chat model: takes messages, returns the assistant's reply with the tokens it used. */
public interface Llm {

    /** Returns the model's name, as recorded on generations. */
    String model();

    /** Completes the conversation. */
    Completion complete(List<Message> messages);

    /**
     * One chat message.
     *
     * @param role    {@code system}, {@code user} or {@code assistant}
     * @param content the text
     */
    record Message(String role, String content) {
    }

    /**
     * A model's reply.
     *
     * @param text         the reply
     * @param inputTokens  tokens read
     * @param outputTokens tokens written
     */
    record Completion(String text, int inputTokens, int outputTokens) {
    }
}
