package dev.loupe.devserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test classpath in a separate JVM and talks to it line by line. */
final class OtherJvm implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    private OtherJvm(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Starts {@code java -cp <this classpath> mainClass arguments...}; its errors go to the given log file. */
    static OtherJvm start(Class<?> mainClass, Path errorLog, String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(arguments));
        try {
            return new OtherJvm(new ProcessBuilder(command).redirectError(errorLog.toFile()).start());
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** Sends one line to its standard input. */
    void send(String line) {
        in.println(line);
    }

    /** Returns the next line it prints, or null when it has ended. */
    String readLine() {
        try {
            return out.readLine();
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** Closes its input and waits up to 30 seconds for it to end; returns its exit status. */
    int finish() throws InterruptedException {
        in.close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the other JVM did not end within 30 seconds");
        }
        return process.exitValue();
    }

    /** Asks it to stop as an operator does (SIGTERM), waits up to 30 seconds, and returns its exit status. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the other JVM did not end within 30 seconds of SIGTERM");
        }
        return process.exitValue();
    }

    /** Kills it at once (kill -9) and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Ends the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
