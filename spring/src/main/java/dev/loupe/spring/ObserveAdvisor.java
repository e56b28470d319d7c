package dev.loupe.spring;

import dev.loupe.trace.ObservationHandle;
import dev.loupe.trace.ObservedMethod;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.MethodClassKey;

/**
 * The Spring AOP advisor of {@code @Observe}: its pointcut selects the methods {@link ObservedMethod#isObserved}
 * selects, and its interceptor hands each call to {@link ObservedMethod}, so a call records the same as under the
 * {@code loupe-agent}.
 */
public final class ObserveAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    private final transient Pointcut pointcut = new ObservedMethods();
    private final transient Interceptor interceptor = new Interceptor();

    /** Creates the advisor; the auto-configuration registers it. */
    public ObserveAdvisor() {
    }

    /** Returns the pointcut that selects {@code @Observe} methods. */
    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    /** Returns the interceptor that records their calls. */
    @Override
    public Advice getAdvice() {
        return interceptor;
    }

    /** Returns the method of the target class that a call through the proxy runs. */
    private static Method targetMethod(Method method, Class<?> targetClass) {
        return targetClass == null ? method : AopUtils.getMostSpecificMethod(method, targetClass);
    }

    /** Selects the methods whose calls are observed. */
    private static final class ObservedMethods extends StaticMethodMatcherPointcut {
        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return ObservedMethod.isObserved(targetMethod(method, targetClass));
        }
    }

    /** Records each call through {@link ObservedMethod}. */
    private static final class Interceptor implements MethodInterceptor {
        private final Map<MethodClassKey, Optional<ObservedMethod>> observed = new ConcurrentHashMap<>();

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            Object target = invocation.getThis();
            Class<?> targetClass = target == null ? null : AopUtils.getTargetClass(target);
            ObservedMethod method = observed.computeIfAbsent(new MethodClassKey(invocation.getMethod(), targetClass),
                    key -> Optional.ofNullable(ObservedMethod.of(targetMethod(invocation.getMethod(), targetClass))))
                    .orElse(null);
            if (method == null) {
                return invocation.proceed();
            }
            ObservationHandle<?> handle = method.enterThroughProxy(invocation.getArguments());
            Object result;
            try {
                result = invocation.proceed();
            } catch (Throwable failure) {
                ObservedMethod.exit(handle, null, failure);
                throw failure;
            }
            return ObservedMethod.exit(handle, result, null);
        }
    }
}
