package dev.loupe.assertj;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.loupe.model.TraceTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.commons.annotation.Testable;

/**
 * A golden snapshot on disk: where it lives (named after the test that compares it), whether to rewrite it, and how
 * it compares with a trace's outline. The first comparison writes the file; later ones compare; the update switch
 * ({@value Snapshot#UPDATE_PROPERTY} or {@value Snapshot#UPDATE_ENVIRONMENT_VARIABLE}) rewrites it.
 */
final class SnapshotFile {

    static final String HEADER = "# Loupe snapshot of a trace's outline. Rewrite it with -D" + Snapshot.UPDATE_PROPERTY
            + "=true or " + Snapshot.UPDATE_ENVIRONMENT_VARIABLE + "=true.";
    private static final String DEFAULT_DIRECTORY = "src/test/resources/loupe-snapshots";
    private static final int CONTEXT_LINES = 3;

    /** What a comparison did: wrote a new file, rewrote one, found it equal, or found a difference. */
    enum Outcome { WRITTEN, UPDATED, MATCHED, DIFFERS }

    /** The outcome of a comparison, with the unified diff when the trace differs. */
    record Result(Outcome outcome, Path file, String diff) {
    }

    private SnapshotFile() {
    }

    /** Compares the trace's outline with its snapshot, writing or rewriting the file when it should. */
    static Result compare(TraceTree tree, Snapshot settings) {
        Path file = locate(tree, settings);
        List<String> actual = new ArrayList<>();
        actual.add(HEADER);
        actual.addAll(TraceOutline.of(tree, settings));
        try {
            boolean exists = Files.exists(file);
            if (!exists || updating(System.getenv())) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.write(file, actual, StandardCharsets.UTF_8);
                return new Result(exists ? Outcome.UPDATED : Outcome.WRITTEN, file, null);
            }
            List<String> expected = Files.readAllLines(file, StandardCharsets.UTF_8);
            Patch<String> patch = DiffUtils.diff(expected, actual,
                    (left, right) -> TraceOutline.sameLine(left, right, settings.tokenTolerance()));
            if (patch.getDeltas().isEmpty()) {
                return new Result(Outcome.MATCHED, file, null);
            }
            List<String> diff = UnifiedDiffUtils.generateUnifiedDiff("snapshot " + file, "trace " + tree.name(),
                    expected, patch, CONTEXT_LINES);
            return new Result(Outcome.DIFFERS, file, String.join("\n", diff));
        } catch (IOException failed) {
            throw new UncheckedIOException("Cannot read or write the snapshot " + file.toAbsolutePath() + ": "
                    + failed.getMessage() + "; check that its directory is writable, or set -D"
                    + Snapshot.DIRECTORY_PROPERTY + " to another one", failed);
        }
    }

    /** Returns whether snapshots are to be rewritten: the system property or the environment variable is true. */
    static boolean updating(Map<String, String> environment) {
        return isTrue(System.getProperty(Snapshot.UPDATE_PROPERTY))
                || isTrue(environment.get(Snapshot.UPDATE_ENVIRONMENT_VARIABLE));
    }

    private static boolean isTrue(String value) {
        return value != null && (value.trim().equalsIgnoreCase("true") || value.trim().equals("1"));
    }

    /** Returns the file of the snapshot: {@code <directory>/<TestClass>/<name>.txt}. */
    static Path locate(TraceTree tree, Snapshot settings) {
        Path directory = Paths.get(System.getProperty(Snapshot.DIRECTORY_PROPERTY, DEFAULT_DIRECTORY));
        Optional<Method> test = currentTest();
        if (test.isEmpty() && settings.name() == null) {
            throw new IllegalStateException("matchesSnapshot() names its file after the test method that calls it, "
                    + "but no test method (@Test, @ParameterizedTest...) is on this thread's stack: call it from "
                    + "the test itself, or name the file with Snapshot.defaults().named(\"...\")");
        }
        String name = settings.name() != null ? settings.name()
                : test.get().getName() + "." + fileNamePart(tree.name() == null ? tree.id() : tree.name());
        Path folder = test.map(method -> directory.resolve(testClassName(method.getDeclaringClass())))
                .orElse(directory);
        return folder.resolve(name + ".txt");
    }

    private static String testClassName(Class<?> type) {
        String name = type.getName();
        int dot = name.lastIndexOf('.');
        return name.substring(dot + 1).replace('$', '.');
    }

    private static String fileNamePart(String text) {
        return text.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    /** Returns the test method running on this thread: the innermost frame of a method JUnit can run as a test. */
    private static Optional<Method> currentTest() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .map(frame -> testMethod(frame.getDeclaringClass(), frame.getMethodName()))
                .flatMap(Optional::stream).findFirst());
    }

    private static Optional<Method> testMethod(Class<?> type, String name) {
        String className = type.getName();
        if (className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("org.junit.")
                || className.startsWith("org.assertj.")) {
            return Optional.empty();
        }
        try {
            return Arrays.stream(type.getDeclaredMethods()).filter(method -> method.getName().equals(name))
                    .filter(SnapshotFile::isTest).findFirst();
        } catch (LinkageError | SecurityException unreadable) {
            return Optional.empty();
        }
    }

    private static boolean isTest(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            if (annotation.annotationType().isAnnotationPresent(Testable.class)
                    || annotation.annotationType() == Testable.class) {
                return true;
            }
        }
        return false;
    }
}
