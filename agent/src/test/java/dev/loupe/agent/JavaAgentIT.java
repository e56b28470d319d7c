package dev.loupe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.agent.fixtures.AgentProgram;
import dev.loupe.agent.fixtures.SelfInstallProgram;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceSummary;
import dev.loupe.model.TraceTree;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ObservationLevel;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent jar as users run it: {@code java -javaagent:loupe-agent.jar} in a child JVM whose class path
 * holds the application and Loupe but no Byte Buddy (the jar carries its own, relocated). Runs after packaging.
 */
class JavaAgentIT {

    @TempDir
    Path directory;

    /** This JVM's class path without Byte Buddy and without the agent's own classes. */
    private static String applicationClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("byte-buddy") && !entry.contains("loupe-agent")
                        && !entry.replace(File.separatorChar, '/').endsWith("agent/target/classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    @Test
    void aJvmStartedWithTheAgentJarRecordsTheCallsOfObservedMethods() throws Exception {
        Path agentJar = Path.of(System.getProperty("loupe.agent.jar"));
        assertThat(agentJar).isRegularFile();
        Path store = directory.resolve("store");
        Path output = directory.resolve("child.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agentJar, "-Dloupe.store=" + store, "-cp", applicationClassPath(),
                AgentProgram.class.getName(), "why")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ended within 60 seconds").isTrue();
        String transcript = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as("exit code; output:%n%s", transcript).isZero();
        assertThat(transcript).contains("ANSWER answer to why: why (doc 1) + why (doc 2)",
                "WORDS [streamed, in, the, child]", "THROWN no entry for nothing", "CLOSED");

        try (TraceStore traces = TraceStore.open(store)) {
            List<TraceSummary> summaries = traces.traces(TraceQuery.builder().page(PageRequest.first(10)).build())
                    .items();
            assertThat(summaries).extracting(summary -> summary.trace().name())
                    .containsExactlyInAnyOrder("answer", "words", "lookUp");
            TraceTree answer = traces.trace(id(summaries, "answer")).orElseThrow();
            Observation search = answer.find("web-search").orElseThrow();
            assertThat(answer.path(search)).isEqualTo("answer > research > web-search");
            assertThat(answer.root().input()).isEqualTo("{\"question\":\"why\"}");
            assertThat(traces.trace(id(summaries, "words")).orElseThrow().root().output())
                    .isEqualTo("[\"streamed\",\"in\",\"the\",\"child\"]");
            assertThat(traces.trace(id(summaries, "lookUp")).orElseThrow().root().level())
                    .isEqualTo(ObservationLevel.ERROR);
        }
    }

    private static String id(List<TraceSummary> summaries, String name) {
        return summaries.stream().filter(summary -> name.equals(summary.trace().name())).findFirst().orElseThrow()
                .trace().id();
    }

    @Test
    void theAgentJarOnTheClassPathInstallsItselfAndWeavesClassesLoadedBefore() throws Exception {
        Path agentJar = Path.of(System.getProperty("loupe.agent.jar"));
        Path store = directory.resolve("store");
        Path output = directory.resolve("child.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dloupe.store=" + store, "-cp", applicationClassPath() + File.pathSeparator + agentJar,
                SelfInstallProgram.class.getName(), "after")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ended within 60 seconds").isTrue();
        String transcript = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as("exit code; output:%n%s", transcript).isZero();
        assertThat(transcript).contains("BEFORE answer to before", "AFTER answer to after", "CLOSED");

        try (TraceStore traces = TraceStore.open(store)) {
            List<TraceSummary> summaries = traces.traces(TraceQuery.builder().page(PageRequest.first(10)).build())
                    .items();
            assertThat(summaries).as("only the call after the installation is recorded").singleElement()
                    .satisfies(summary -> assertThat(summary.trace().name()).isEqualTo("answer"));
            TraceTree answer = traces.trace(summaries.get(0).trace().id()).orElseThrow();
            assertThat(answer.observations()).hasSize(3);
            assertThat(answer.root().input()).as("parameter names survive retransformation")
                    .isEqualTo("{\"question\":\"after\"}");
        }
    }
}
