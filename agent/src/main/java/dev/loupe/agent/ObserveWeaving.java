package dev.loupe.agent;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperClass;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * The Byte Buddy transformation: selects the {@code @Observe} methods by the same rule as
 * {@link dev.loupe.trace.ObservedMethod#isObserved} and inlines {@link ObserveAdvice} (or {@link ReactiveAdvice},
 * which may replace the result, for methods that return a Reactor {@code Mono} or {@code Flux}) around their bodies.
 * Classes are matched by name, so the agent loads nothing of the application's while it selects them.
 */
final class ObserveWeaving {

    private static final System.Logger LOG = System.getLogger(ObserveWeaving.class.getName());
    private static final String OBSERVE = "dev.loupe.trace.Observe";

    private static final ElementMatcher.Junction<MethodDescription> OBSERVED = isMethod()
            .and(not(isAbstract())).and(not(isNative())).and(not(isBridge())).and(not(isSynthetic()))
            .and(isAnnotatedWith(named(OBSERVE)).or(isPublic().and(isDeclaredBy(isAnnotatedWith(named(OBSERVE))))));
    private static final ElementMatcher.Junction<MethodDescription> REACTIVE = returns(
            hasSuperClass(named("reactor.core.publisher.Mono").or(named("reactor.core.publisher.Flux"))));

    private static final List<String> LIBRARY_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "net.bytebuddy.", "dev.loupe.agent.shaded.", "dev.loupe.trace.", "dev.loupe.engine.",
            "dev.loupe.internal.", "dev.loupe.model.", "dev.loupe.store.", "dev.loupe.junit.", "dev.loupe.assertj.",
            "org.slf4j.", "ch.qos.logback.", "org.apache.", "com.fasterxml.jackson.", "org.h2.", "org.jooq.",
            "org.flywaydb.", "org.junit.", "org.opentest4j.", "org.apiguardian.", "org.assertj.", "org.hamcrest.",
            "org.mockito.", "reactor.", "org.reactivestreams.", "io.netty.", "io.micrometer.", "org.springframework.",
            "org.aspectj.", "org.eclipse.jetty.", "io.javalin.", "kotlin.", "scala.", "com.google.",
            "io.opentelemetry.", "org.yaml.", "org.jspecify.", "com.zaxxer.", "org.hibernate.", "jakarta.");

    private final ClassFileTransformer transformer;

    private ObserveWeaving(ClassFileTransformer transformer) {
        this.transformer = transformer;
    }

    static ObserveWeaving installOn(Instrumentation instrumentation) {
        ClassFileTransformer transformer = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new ParameterNamesRead())
                .with(new FailureLog())
                .ignore(any(), isBootstrapClassLoader())
                .or(isSynthetic())
                .or(ObserveWeaving::isLibrary)
                .type(isAnnotatedWith(named(OBSERVE)).or(declaresMethod(isAnnotatedWith(named(OBSERVE)))))
                .transform(ObserveWeaving::weave)
                .installOn(instrumentation);
        return new ObserveWeaving(transformer);
    }

    private static DynamicType.Builder<?> weave(DynamicType.Builder<?> builder, TypeDescription type,
            ClassLoader loader, JavaModule module, java.security.ProtectionDomain domain) {
        return builder
                .visit(Advice.to(ObserveAdvice.class).on(OBSERVED.and(not(REACTIVE))))
                .visit(Advice.to(ReactiveAdvice.class).on(OBSERVED.and(REACTIVE)));
    }

    /**
     * Returns whether a type belongs to the JDK, to Loupe itself or to a library known to declare no
     * {@code @Observe} method: skipping them by name spares parsing their class files, which is most of what the
     * agent costs at startup.
     */
    private static boolean isLibrary(TypeDescription type) {
        String name = type.getName();
        for (String prefix : LIBRARY_PACKAGES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Returns the transformer, for tests that check it is registered once. */
    ClassFileTransformer transformer() {
        return transformer;
    }

    /**
     * Reads the parameter names of the classes about to be retransformed, while they still have them: Java 17 loses
     * a class's {@code MethodParameters} when it is retransformed (later versions keep them), and without them the
     * input would be keyed {@code arg0}, {@code arg1}... {@link dev.loupe.trace.ObservedMethod} keeps what it read.
     */
    private static final class ParameterNamesRead extends AgentBuilder.RedefinitionStrategy.Listener.Adapter {
        @Override
        public void onBatch(int index, List<Class<?>> batch, List<Class<?>> types) {
            for (Class<?> type : batch) {
                try {
                    Class<?> observedMethod = Class.forName("dev.loupe.trace.ObservedMethod", true,
                            type.getClassLoader());
                    observedMethod.getMethod("of", Class.class, String.class).invoke(null, type, "");
                } catch (ReflectiveOperationException | LinkageError | RuntimeException unreadable) {
                    // loupe-api is not visible from this class: its @Observe methods cannot be recorded anyway
                    LOG.log(System.Logger.Level.DEBUG, "Loupe could not read the parameters of " + type.getName()
                            + ": " + unreadable);
                }
            }
        }
    }

    /** Logs the classes the agent could not weave: their @Observe methods run untraced. */
    private static final class FailureLog extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                Throwable throwable) {
            // Linkage errors come from classes whose dependencies are missing: matching skips them, as the JVM would.
            System.Logger.Level level = throwable instanceof LinkageError ? System.Logger.Level.DEBUG
                    : System.Logger.Level.WARNING;
            LOG.log(level, "Loupe could not weave the @Observe methods of " + typeName
                    + ", which run untraced: " + throwable, throwable);
        }
    }
}
