package dev.loupe.junit;

import java.lang.reflect.InvocationTargetException;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Installs the Loupe agent ({@code loupe-agent}) into the test JVM, found by name: the extension does not depend on
 * it (nor on the Byte Buddy it shades), so tests that do not weave {@code @Observe} methods need neither.
 */
final class AgentInstallation {

    static final String AGENT_CLASS = "dev.loupe.agent.LoupeAgent";
    private static volatile boolean installed;

    private AgentInstallation() {
    }

    /** Installs the agent unless it is installed already; a test class that asked for it fails when it cannot be. */
    static void install(Class<?> testClass) {
        if (installed) {
            return;
        }
        Class<?> agent;
        try {
            agent = Class.forName(AGENT_CLASS, true, AgentInstallation.class.getClassLoader());
        } catch (ClassNotFoundException absent) {
            throw new ExtensionConfigurationException("Test class " + testClass.getName() + " asks TraceCapture to "
                    + "install the Loupe agent (installAgent), but loupe-agent is not on the test class path: add the "
                    + "test dependency dev.loupe:loupe-agent");
        }
        try {
            agent.getMethod("install").invoke(null);
            installed = true;
        } catch (InvocationTargetException failed) {
            Throwable cause = failed.getCause();
            throw new ExtensionConfigurationException("Test class " + testClass.getName() + " asks TraceCapture to "
                    + "install the Loupe agent, which failed: " + cause.getMessage(), cause);
        } catch (ReflectiveOperationException | LinkageError incompatible) {
            throw new ExtensionConfigurationException("The loupe-agent on the test class path does not match "
                    + "loupe-junit (" + incompatible + "): use the same Loupe version for both", incompatible);
        }
    }
}
