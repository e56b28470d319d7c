package dev.loupe.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a main class of the test sources with this JVM's class path, its output (standard out and
 * error) read line by line. Every wait is bounded; closing it kills the process if it is still alive.
 */
final class ChildJvm implements AutoCloseable {

    private static final String END_OF_OUTPUT = "\u0000end-of-output";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "child-jvm-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java [jvmOptions] mainClass [arguments]}, with jvmOptions given as "-D..." strings. */
    static ChildJvm start(Class<?> mainClass, List<String> jvmOptions, String... arguments) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xmx256m");
        // short-lived JVMs on a busy machine: skip the optimizing compiler and parallel GC threads
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(jvmOptions);
        command.add(mainClass.getName());
        command.addAll(List.of(arguments));
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
                synchronized (transcript) {
                    transcript.add(line);
                }
            }
        } catch (IOException closed) {
            // the process is gone; what was read is in the transcript
        } finally {
            lines.add(END_OF_OUTPUT);
        }
    }

    /**
     * Waits until the child prints a line starting with the prefix and returns it.
     *
     * @throws AssertionError when the child printed no such line within the timeout or ended before
     */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || END_OF_OUTPUT.equals(line)) {
                throw new AssertionError("Expecting the child JVM to print a line starting with '" + prefix
                        + "' within " + timeout + " but " + (line == null ? "it did not" : "it ended")
                        + "; its output was:\n" + transcript());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /**
     * Waits until the child ends and returns its exit code.
     *
     * @throws AssertionError when it is still running after the timeout
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("Expecting the child JVM to end within " + timeout
                    + " but it still runs; its output so far:\n" + transcript());
        }
        return process.exitValue();
    }

    /** Kills the child the way {@code kill -9} does and waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("The child JVM did not die within 30 s of being killed");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for the killed child JVM to die", interrupted);
        }
    }

    /** Returns everything the child printed so far. */
    String transcript() {
        synchronized (transcript) {
            return String.join("\n", transcript);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
