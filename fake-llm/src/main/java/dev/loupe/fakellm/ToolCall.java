package dev.loupe.fakellm;

import java.util.Objects;

/**
 * A function call the model asks for, as OpenAI's API carries it: an id, the function's name and its arguments as a
 * JSON text. Used both to script replies ({@link FakeLlm#replyWithToolCalls(ToolCall...)}) and to read back the tool
 * calls an application sent in its requests ({@link RecordedMessage#toolCalls()}).
 *
 * @param id the call's id, or null to let the server number it ({@code call_1}, {@code call_2}, ...)
 * @param name the function's name
 * @param arguments the arguments as the model writes them: a JSON text, not checked, so that a test can send bad ones
 */
public record ToolCall(String id, String name, String arguments) {

    /**
     * Checks the name and replaces null arguments with {@code {}}.
     *
     * @throws IllegalArgumentException when the name is null or blank
     */
    public ToolCall {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A tool call needs the function's name, but it was '" + name
                    + "': pass the name of a tool the application registered");
        }
        arguments = Objects.requireNonNullElse(arguments, "{}");
    }

    /** Returns a call of the named function with the given JSON arguments, numbered by the server when served. */
    public static ToolCall of(String name, String argumentsJson) {
        return new ToolCall(null, name, argumentsJson);
    }
}
