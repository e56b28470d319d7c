package dev.loupe.agent;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * The Loupe agent: weaves every {@link dev.loupe.trace.Observe @Observe} method of any class so that its calls are
 * recorded, including classes loaded before it was installed. Start the JVM with
 * {@code -javaagent:loupe-agent.jar}, or let the JUnit extension install it into the test JVM
 * ({@code @CaptureTraces(installAgent = true)}), or call {@link #install()}.
 */
public final class LoupeAgent {

    private static ObserveWeaving weaving;

    private LoupeAgent() {
    }

    /** Entry point of {@code -javaagent:loupe-agent.jar}: weaves before the application's main method runs. */
    public static void premain(String arguments, Instrumentation instrumentation) {
        installOn(instrumentation);
    }

    /** Entry point when the agent is attached to a running JVM. */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        installOn(instrumentation);
    }

    /**
     * Installs the agent into the running JVM unless it is installed already: it attaches to itself (which needs a
     * JDK, with the {@code jdk.attach} module) and weaves the classes loaded so far and all that follow. On Java 21
     * and later the JVM warns about an agent loaded this way unless it runs with
     * {@code -XX:+EnableDynamicAgentLoading}.
     *
     * @throws IllegalStateException when this JVM cannot attach to itself, saying what to do instead
     */
    public static synchronized void install() {
        if (weaving != null) {
            return;
        }
        Instrumentation instrumentation;
        try {
            instrumentation = ByteBuddyAgent.install();
        } catch (RuntimeException failure) {
            throw new IllegalStateException("Loupe could not install its agent into this JVM (" + failure.getMessage()
                    + "): run on a JDK that has the jdk.attach module, or start the JVM with "
                    + "-javaagent:<path to loupe-agent.jar>", failure);
        }
        installOn(instrumentation);
    }

    /** Returns whether the agent weaves {@code @Observe} methods in this JVM. */
    public static synchronized boolean isInstalled() {
        return weaving != null;
    }

    private static synchronized void installOn(Instrumentation instrumentation) {
        if (weaving == null) {
            weaving = ObserveWeaving.installOn(instrumentation);
        }
    }
}
