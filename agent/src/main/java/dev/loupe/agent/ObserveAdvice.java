package dev.loupe.agent;

import dev.loupe.trace.ObservationHandle;
import dev.loupe.trace.ObservedMethod;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The code inlined around the body of an {@code @Observe} method. It finds the method's {@link ObservedMethod} by
 * the class and a string constant (its name and descriptor), and hands the call to it; an exception inside the advice
 * is suppressed, so weaving never breaks the method.
 */
final class ObserveAdvice {

    private ObserveAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ObservationHandle<?> enter(@Advice.Origin Class<?> type, @Advice.Origin("#m#d") String method,
            @Advice.AllArguments Object[] arguments) {
        ObservedMethod observed = ObservedMethod.of(type, method);
        return observed == null ? null : observed.enter(arguments);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter ObservationHandle<?> handle,
            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result, @Advice.Thrown Throwable failure) {
        ObservedMethod.exit(handle, result, failure);
    }
}
