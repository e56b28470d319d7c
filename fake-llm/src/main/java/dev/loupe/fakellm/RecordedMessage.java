package dev.loupe.fakellm;

import java.util.List;

/**
 * One message of a chat-completions request the server received, so that a test can check what the application sent.
 *
 * @param role the message's role: {@code system}, {@code developer}, {@code user}, {@code assistant} or {@code tool}
 * @param content the message's text (text parts joined), or null when it had none (an assistant message with tool
 *     calls only)
 * @param toolCallId for a {@code tool} message, the id of the call it answers; null otherwise
 * @param toolCalls for an {@code assistant} message, the tool calls it carried; empty otherwise
 */
public record RecordedMessage(String role, String content, String toolCallId, List<ToolCall> toolCalls) {

    /** Copies the tool calls. */
    public RecordedMessage {
        toolCalls = List.copyOf(toolCalls);
    }
}
