package dev.loupe.assertj;

import dev.loupe.model.Observation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Assertions on a tool call, reached with {@code assertThat(tree).toolCall(name)}: its arguments (the input), its
 * result (the output) and how many times the tool was called in the trace.
 */
// Not final: AssertJ's soft assertions subclass it (a proxy) to collect its failures.
public class ToolCallAssert extends AbstractObservationAssert<ToolCallAssert, Observation> {

    /** Creates the assertion on a tool call on its own; prefer navigating from {@code assertThat(tree)}. */
    public ToolCallAssert(Observation actual) {
        super(actual, ToolCallAssert.class);
    }

    /** Verifies one argument, such as {@code hasArgument("query", "password reset")}; compared as JSON. */
    public ToolCallAssert hasArgument(String name, Object value) {
        isNotNull();
        return verify(PayloadChecks.entry(subject(), "argument", actual.input(), name, value));
    }

    /** Verifies all arguments as one JSON document, ignoring whitespace and the order of keys. */
    public ToolCallAssert hasArgumentsJson(String json) {
        isNotNull();
        return verify(PayloadChecks.equalsDocument(subject(), "arguments", actual.input(), json));
    }

    /** Verifies that the result is this value, as the tracer records it: a String is a JSON string. */
    public ToolCallAssert hasResult(Object value) {
        isNotNull();
        return verify(PayloadChecks.equalsValue(subject(), "result", actual.output(), value));
    }

    /** Verifies that the result is this JSON document, ignoring whitespace and the order of keys. */
    public ToolCallAssert hasResultJson(String json) {
        isNotNull();
        return verify(PayloadChecks.equalsDocument(subject(), "result", actual.output(), json));
    }

    /** Verifies that the result, or any string in it, contains the text. */
    public ToolCallAssert hasResultContaining(String text) {
        isNotNull();
        return verify(PayloadChecks.containing(subject(), "result", actual.output(), text));
    }

    /** Verifies how many times a tool of this name was called in the whole trace. */
    public ToolCallAssert isCalledTimes(int expected) {
        isNotNull();
        List<Observation> calls = Finder.toolCallsInStartOrder(tree).stream()
                .filter(call -> call.name() != null && call.name().equals(actual.name()))
                .collect(Collectors.toList());
        return verify(calls.size() == expected ? null
                : LoupeErrors.shouldBeCalledTimes(subject(), actual.name(), expected, calls, tree));
    }
}
