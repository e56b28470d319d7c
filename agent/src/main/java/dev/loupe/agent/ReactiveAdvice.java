package dev.loupe.agent;

import dev.loupe.trace.ObservationHandle;
import dev.loupe.trace.ObservedMethod;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The code inlined around an {@code @Observe} method that returns a Reactor {@code Mono} or {@code Flux}: like
 * {@link ObserveAdvice}, but the method returns the publisher {@link ObservedMethod#exit} gives back, which ends the
 * observation when it terminates.
 */
final class ReactiveAdvice {

    private ReactiveAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ObservationHandle<?> enter(@Advice.Origin Class<?> type, @Advice.Origin("#m#d") String method,
            @Advice.AllArguments Object[] arguments) {
        ObservedMethod observed = ObservedMethod.of(type, method);
        return observed == null ? null : observed.enter(arguments);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter ObservationHandle<?> handle,
            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
            @Advice.Thrown Throwable failure) {
        result = ObservedMethod.exit(handle, result, failure);
    }
}
