package dev.loupe.trace;

import java.util.Objects;

/**
 * A key for a value carried in the {@link TraceContext} alongside the current observation, such as the test a trace
 * belongs to. Keys compare by identity: create one per purpose and keep it in a constant.
 *
 * <p>The value of an {@linkplain #inheritable inheritable} key also passes to threads created while it is current
 * (a raw {@code new Thread}, a pool that creates its threads then), without the current observation: a trace begun
 * on such a thread starts a trace of its own, and still carries the value.
 *
 * @param <T> the type of the value
 */
public final class ContextKey<T> {

    private final String name;
    private final boolean inheritable;

    private ContextKey(String name, boolean inheritable) {
        this.name = Objects.requireNonNull(name, "name");
        this.inheritable = inheritable;
    }

    /** Creates a key; the name is for debugging only. */
    public static <T> ContextKey<T> named(String name) {
        return new ContextKey<>(name, false);
    }

    /** Creates a key whose value passes to threads created while it is current; the name is for debugging only. */
    public static <T> ContextKey<T> inheritable(String name) {
        return new ContextKey<>(name, true);
    }

    /** Returns whether the value passes to threads created while it is current. */
    public boolean isInheritable() {
        return inheritable;
    }

    /** Returns the key's name. */
    @Override
    public String toString() {
        return name;
    }
}
