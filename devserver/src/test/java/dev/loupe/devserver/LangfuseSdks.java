package dev.loupe.devserver;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Langfuse SDKs from npm, pinned by {@code src/test/node/package-lock.json} and installed with
 * {@code npm ci} into {@code target/langfuse-node}, and the Node scripts under {@code src/test/node} that drive
 * them. Tests that use them are skipped, saying why, when {@code node} or {@code npm} is not installed.
 */
final class LangfuseSdks {

    private static final Path SOURCES = Path.of("src", "test", "node");
    private static final Path INSTALLED = Path.of("target", "langfuse-node");
    private static final long INSTALL_MINUTES = 5;
    private static final long SCRIPT_SECONDS = 120;

    private static boolean installed;

    private LangfuseSdks() {
    }

    /**
     * Installs the SDKs unless the lock file installed last is the current one; skips the calling test when node or
     * npm is missing.
     */
    static synchronized void install() {
        assumeTrue(runs("node", "--version"), "node is not installed: install Node.js 18 or later (Debian: apt-get "
                + "install nodejs npm) to run the tests with the real Langfuse SDKs");
        assumeTrue(runs("npm", "--version"), "npm is not installed: install it (Debian: apt-get install npm) to run "
                + "the tests with the real Langfuse SDKs");
        if (installed) {
            return;
        }
        try {
            Files.createDirectories(INSTALLED);
            byte[] lock = Files.readAllBytes(SOURCES.resolve("package-lock.json"));
            Path installedLock = INSTALLED.resolve("package-lock.json");
            boolean current = Files.exists(installedLock) && Files.isDirectory(INSTALLED.resolve("node_modules"))
                    && Arrays.equals(lock, Files.readAllBytes(installedLock));
            if (!current) {
                Files.copy(SOURCES.resolve("package.json"), INSTALLED.resolve("package.json"), REPLACE_EXISTING);
                Files.write(installedLock, lock);
                run(INSTALLED, Map.of(), INSTALL_MINUTES * 60, "npm", "ci", "--no-audit", "--no-fund",
                        "--loglevel=error");
            }
            try (DirectoryStream<Path> scripts = Files.newDirectoryStream(SOURCES, "*.mjs")) {
                for (Path script : scripts) {
                    Files.copy(script, INSTALLED.resolve(script.getFileName()), REPLACE_EXISTING);
                }
            }
            installed = true;
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /**
     * Runs one of the scripts with these environment variables and returns the JSON it printed.
     *
     * @throws AssertionError with the script's output when it fails
     */
    static JsonNode runScript(String script, Map<String, String> environment) {
        String printed = run(INSTALLED, environment, SCRIPT_SECONDS, "node", script);
        try {
            return ApiJson.MAPPER.readTree(printed);
        } catch (IOException notJson) {
            throw new AssertionError("Expecting " + script + " to print JSON, but it printed:\n" + printed, notJson);
        }
    }

    private static String run(Path directory, Map<String, String> environment, long timeoutSeconds,
            String... command) {
        try {
            Path errors = Files.createTempFile("langfuse-sdk", ".err");
            Path printed = Files.createTempFile("langfuse-sdk", ".out");
            ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(directory.toFile())
                    .redirectError(errors.toFile()).redirectOutput(printed.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            String stderr = Files.readString(errors, StandardCharsets.UTF_8);
            byte[] output = Files.readAllBytes(printed);
            Files.deleteIfExists(errors);
            Files.deleteIfExists(printed);
            if (!ended) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + timeoutSeconds
                        + " seconds:\n" + stderr);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed with exit status "
                        + process.exitValue() + ":\n" + stderr + new String(output, StandardCharsets.UTF_8));
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException notInstalled) {
            return false;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
