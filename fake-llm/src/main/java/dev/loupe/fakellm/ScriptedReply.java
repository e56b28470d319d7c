package dev.loupe.fakellm;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A scripted successful chat completion: text, tool calls or both, with the usage, model, finish reason and timing the
 * server reports. Created by {@link FakeLlm#reply(String)} or {@link FakeLlm#replyWithToolCalls(ToolCall...)} and
 * already queued; the methods here refine it and must be called before the application sends the request it answers.
 *
 * <p>The same reply is served as one JSON body, or as server-sent {@code chat.completion.chunk} events when the request
 * asks for {@code "stream": true}.
 */
public final class ScriptedReply implements Step {

    private volatile String content;
    private final List<ToolCall> toolCalls;
    private volatile Integer promptTokens;
    private volatile Integer completionTokens;
    private volatile int cachedTokens;
    private volatile int reasoningTokens;
    private volatile String finishReason;
    private volatile String model;
    private volatile Duration delay = Duration.ZERO;
    private volatile List<String> chunks;
    private volatile int times = 1;

    ScriptedReply(String content, List<ToolCall> toolCalls) {
        this.content = content;
        this.toolCalls = List.copyOf(toolCalls);
    }

    /** Sets the text the assistant writes, for example beside tool calls. */
    public ScriptedReply content(String text) {
        this.content = Objects.requireNonNull(text, "text");
        return this;
    }

    /**
     * Sets the usage the server reports; without it the server counts words of the request and of the reply.
     *
     * @throws IllegalArgumentException when a count is negative
     */
    public ScriptedReply usage(int promptTokens, int completionTokens) {
        this.promptTokens = nonNegative("promptTokens", promptTokens);
        this.completionTokens = nonNegative("completionTokens", completionTokens);
        return this;
    }

    /** Sets how many of the prompt tokens came from the provider's prompt cache ({@code cached_tokens}). */
    public ScriptedReply cachedTokens(int tokens) {
        this.cachedTokens = nonNegative("cachedTokens", tokens);
        return this;
    }

    /** Sets how many of the completion tokens the model spent on reasoning ({@code reasoning_tokens}). */
    public ScriptedReply reasoningTokens(int tokens) {
        this.reasoningTokens = nonNegative("reasoningTokens", tokens);
        return this;
    }

    /**
     * Sets the finish reason, such as {@code length} or {@code content_filter}; by default {@code tool_calls} when the
     * reply has tool calls and {@code stop} otherwise.
     */
    public ScriptedReply finishReason(String reason) {
        this.finishReason = Objects.requireNonNull(reason, "reason");
        return this;
    }

    /** Sets the model the response names, such as a dated snapshot; by default the model the request asked for. */
    public ScriptedReply model(String name) {
        this.model = Objects.requireNonNull(name, "name");
        return this;
    }

    /** Makes the server wait this long before it answers, to exercise timeouts and slow calls. */
    public ScriptedReply delay(Duration wait) {
        if (wait == null || wait.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or positive, but was " + wait);
        }
        this.delay = wait;
        return this;
    }

    /**
     * Sets the pieces a streamed answer sends its text in; by default one piece per word.
     *
     * @throws IllegalArgumentException when the pieces do not join to the reply's text
     */
    public ScriptedReply chunks(String... pieces) {
        String joined = String.join("", pieces);
        if (!joined.equals(content)) {
            throw new IllegalArgumentException("The chunks must join to the reply's text '" + content
                    + "', but they join to '" + joined + "'");
        }
        this.chunks = List.of(pieces);
        return this;
    }

    /** Serves this reply to the next {@code count} chat requests instead of one. */
    public ScriptedReply times(int count) {
        this.times = Step.checkedTimes(count);
        return this;
    }

    @Override
    public int times() {
        return times;
    }

    String content() {
        return content;
    }

    List<ToolCall> toolCalls() {
        return toolCalls;
    }

    Integer promptTokens() {
        return promptTokens;
    }

    Integer completionTokens() {
        return completionTokens;
    }

    int cachedTokens() {
        return cachedTokens;
    }

    int reasoningTokens() {
        return reasoningTokens;
    }

    String finishReason() {
        String reason = finishReason;
        return reason != null ? reason : toolCalls.isEmpty() ? "stop" : "tool_calls";
    }

    String model() {
        return model;
    }

    Duration delay() {
        return delay;
    }

    List<String> chunks() {
        return chunks;
    }

    private static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be zero or more, but was " + value);
        }
        return value;
    }
}
