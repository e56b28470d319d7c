package dev.loupe.examples.support;

import java.util.List;
import java.util.Locale;

/**
 * A deterministic stand-in for a chat model: it answers from the last user message and the documents in the system
 * prompt, and counts tokens as words. It fails on demand, like a real provider under load.
 */
public final class FakeLlm implements Llm {

    private final String model;

    /** Creates a fake of {@code gpt-4o-mini}. */
    public FakeLlm() {
        this("gpt-4o-mini");
    }

    /** Creates a fake that reports this model name. */
    public FakeLlm(String model) {
        this.model = model;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public Completion complete(List<Message> messages) {
        String question = messages.get(messages.size() - 1).content();
        if (question.toLowerCase(Locale.ROOT).contains("outage")) {
            throw new IllegalStateException("model provider timed out after 30 s");
        }
        String system = messages.get(0).content();
        String text;
        if (system.startsWith("Draft")) {
            text = "search: " + question.toLowerCase(Locale.ROOT).replaceAll("[^a-z ]", "").trim();
        } else if (system.contains("Settings > Security")) {
            text = "Open Settings > Security and choose Reset password; we email you a link.";
        } else if (system.contains("Billing")) {
            text = "Refunds are handled by Billing within 5 working days.";
        } else {
            text = "I could not find that in our docs; a colleague will follow up.";
        }
        int input = messages.stream().mapToInt(message -> words(message.content())).sum();
        return new Completion(text, input, words(text));
    }

    private static int words(String text) {
        return text.isBlank() ? 0 : text.trim().split("\\s+").length;
    }
}
