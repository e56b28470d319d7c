package dev.loupe.langchain4j;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells whether an AI service method streams (returns a {@code TokenStream} or a reactive type adapted from one):
 * a streaming invocation goes on on LangChain4j's threads after the method returned, so its AGENT must not stay
 * current on the caller's thread.
 */
final class ReturnTypes {

    private static final Map<String, Boolean> STREAMING = new ConcurrentHashMap<>();

    private ReturnTypes() {
    }

    static boolean streams(String interfaceName, String methodName) {
        if (interfaceName == null || methodName == null) {
            return false;
        }
        return STREAMING.computeIfAbsent(interfaceName + '#' + methodName, key -> lookUp(interfaceName, methodName));
    }

    private static boolean lookUp(String interfaceName, String methodName) {
        Class<?> type = load(interfaceName);
        if (type == null) {
            // Unknown: treat it as streaming, which never leaves an observation current on the caller's thread.
            return true;
        }
        for (Method method : type.getMethods()) {
            if (method.getName().equals(methodName) && isStream(method.getReturnType())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isStream(Class<?> type) {
        String name = type.getName();
        return name.equals("dev.langchain4j.service.TokenStream") || name.equals("reactor.core.publisher.Flux")
                || name.equals("io.smallrye.mutiny.Multi") || name.equals("java.util.concurrent.Flow$Publisher")
                || name.equals("org.reactivestreams.Publisher");
    }

    private static Class<?> load(String name) {
        ClassLoader[] loaders = {Thread.currentThread().getContextClassLoader(), ReturnTypes.class.getClassLoader()};
        for (ClassLoader loader : loaders) {
            if (loader != null) {
                try {
                    return Class.forName(name, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    // Try the next loader.
                }
            }
        }
        return null;
    }
}
