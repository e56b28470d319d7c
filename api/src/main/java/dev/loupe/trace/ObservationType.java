package dev.loupe.trace;

import java.util.Arrays;
import java.util.Locale;

/** The kind of work an observation records; the names and meanings follow Langfuse's observation types. */
public enum ObservationType {
    /** A unit of work with a duration that fits none of the more specific types. */
    SPAN,
    /** A call to a language model: model, parameters, usage and cost. */
    GENERATION,
    /** A point in time without duration, such as a log line or a decision. */
    EVENT,
    /** An agent that decides which tools or models to call. */
    AGENT,
    /** A tool call: its input holds the arguments, its output the result. */
    TOOL,
    /** A chain of steps, such as prompt formatting followed by a model call. */
    CHAIN,
    /** A retrieval step, such as a vector store or search query. */
    RETRIEVER,
    /** A call to an embedding model; carries model, usage and cost like a generation. */
    EMBEDDING,
    /** A judgement of another observation's output, for example an LLM-as-judge call. */
    EVALUATOR,
    /** A check that guards input or output, for example against jailbreaks or leaked data. */
    GUARDRAIL;

    /** Returns whether observations of this type carry model, usage and cost. */
    public boolean isModelCall() {
        return this == GENERATION || this == EMBEDDING;
    }

    /**
     * Returns the type with this name, ignoring case.
     *
     * @throws IllegalArgumentException naming the value and the accepted names when there is no such type
     */
    public static ObservationType parse(String name) {
        if (name != null) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ignored) {
                // fall through to the explanatory message
            }
        }
        throw new IllegalArgumentException("Unknown observation type '" + name + "': use one of "
                + Arrays.toString(values()));
    }
}
