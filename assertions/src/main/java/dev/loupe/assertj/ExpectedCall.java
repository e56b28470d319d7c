package dev.loupe.assertj;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.model.Observation;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One call of an expected trajectory: a name (optionally {@code TYPE name}) and a matcher of its arguments, which are
 * the observation's input. Immutable; each {@code with...} method returns a new call.
 *
 * <pre>
 * assertThat(tree).toolCalls().matchesTrajectory(TrajectoryMatch.STRICT,
 *         call("search_docs").withArgumentsIncluding(Map.of("query", "password reset")),
 *         call("create_ticket"));
 * </pre>
 */
public final class ExpectedCall {

    private final Outline.Node label;
    private final Arguments arguments;

    private ExpectedCall(Outline.Node label, Arguments arguments) {
        this.label = label;
        this.arguments = arguments;
    }

    /** Returns an expected call of this name, or {@code TYPE name}, with any arguments. */
    public static ExpectedCall call(String name) {
        return new ExpectedCall(Outline.label(name), Arguments.ANY);
    }

    /** Returns this call accepting any arguments (the default). */
    public ExpectedCall withAnyArguments() {
        return new ExpectedCall(label, Arguments.ANY);
    }

    /** Returns this call requiring arguments equal, as JSON, to the value as the tracer would record it. */
    public ExpectedCall withArguments(Object value) {
        return equalTo(JsonPayload.fromValue(value));
    }

    /** Returns this call requiring arguments equal to the JSON document, ignoring whitespace and the order of keys. */
    public ExpectedCall withArgumentsJson(String json) {
        return equalTo(JsonPayload.parseExpected(Objects.requireNonNull(json, "json")));
    }

    private ExpectedCall equalTo(JsonNode expected) {
        return new ExpectedCall(label, new Arguments(JsonPayload.show(expected),
                actual -> JsonPayload.sameJson(actual, expected)));
    }

    /** Returns this call requiring arguments that include these fields with these values; other fields are allowed. */
    public ExpectedCall withArgumentsIncluding(Map<String, ?> fields) {
        return including(JsonPayload.fromValue(Objects.requireNonNull(fields, "fields")));
    }

    /** Returns this call requiring arguments that include the fields of this JSON object; other fields are allowed. */
    public ExpectedCall withArgumentsIncludingJson(String jsonObject) {
        JsonNode fields = JsonPayload.parseExpected(Objects.requireNonNull(jsonObject, "jsonObject"));
        if (!fields.isObject()) {
            throw new IllegalArgumentException("withArgumentsIncludingJson takes a JSON object of the fields to find, "
                    + "but got " + JsonPayload.show(fields) + "; use withArgumentsJson for any other document");
        }
        return including(fields);
    }

    private ExpectedCall including(JsonNode fields) {
        return new ExpectedCall(label, new Arguments("including " + JsonPayload.show(fields),
                actual -> includes(actual, fields)));
    }

    /**
     * Returns this call requiring arguments, decoded into a String, Number, Boolean, List, Map or null, to satisfy
     * the predicate; the description names it in failure messages.
     */
    public ExpectedCall withArgumentsMatching(String description, Predicate<Object> predicate) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(predicate, "predicate");
        return new ExpectedCall(label, new Arguments("where " + description, actual -> {
            try {
                return predicate.test(JsonPayload.toJava(actual));
            } catch (RuntimeException notApplicable) {
                // such as a ClassCastException on arguments of another shape: this call is not the one expected
                return false;
            }
        }));
    }

    /** Returns whether an observation is this call: its name, its type when given, and its arguments. */
    boolean matches(Observation observation) {
        return label.matches(observation) && arguments.test(JsonPayload.parse(observation.input()));
    }

    /** Returns the call as failure messages show it: {@code search_docs including {"query":"reset"}}. */
    @Override
    public String toString() {
        return label + (arguments == Arguments.ANY ? " (any arguments)" : " " + arguments.description());
    }

    private static boolean includes(JsonNode actual, JsonNode fields) {
        if (actual == null || !actual.isObject()) {
            return false;
        }
        Iterator<Map.Entry<String, JsonNode>> wanted = fields.fields();
        while (wanted.hasNext()) {
            Map.Entry<String, JsonNode> field = wanted.next();
            JsonNode found = actual.get(field.getKey());
            boolean same = found != null && (field.getValue().isObject() ? includes(found, field.getValue())
                    : JsonPayload.sameJson(found, field.getValue()));
            if (!same) {
                return false;
            }
        }
        return true;
    }

    /** A matcher of arguments and how messages describe it. */
    private record Arguments(String description, Predicate<JsonNode> test) {

        static final Arguments ANY = new Arguments("(any arguments)", actual -> true);

        boolean test(JsonNode actual) {
            return test.test(actual);
        }
    }
}
