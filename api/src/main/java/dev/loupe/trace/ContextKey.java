package dev.loupe.trace;

import java.util.Objects;

/**
 * A key for a value carried in the {@link TraceContext} alongside the current observation, such as the test a trace
 * belongs to. Keys compare by identity: create one per purpose and keep it in a constant.
 *
 * @param <T> the type of the value
 */
public final class ContextKey<T> {

    private final String name;

    private ContextKey(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Creates a key; the name is for debugging only. */
    public static <T> ContextKey<T> named(String name) {
        return new ContextKey<>(name);
    }

    /** Returns the key's name. */
    @Override
    public String toString() {
        return name;
    }
}
