package dev.loupe.replay.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.loupe.fakellm.FakeLlm;
import dev.loupe.replay.junit.fixtures.AgentCallsFixture;
import dev.loupe.replay.junit.fixtures.DriftFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs test classes annotated with {@code @LlmReplay} through the JUnit Platform, recording and then replaying. */
class LlmReplayExtensionTest {

    private static final Path RECORDINGS = Path.of("target/fixture-recordings");

    @TempDir
    Path store;

    @BeforeEach
    @AfterEach
    void clean() throws IOException {
        if (Files.exists(RECORDINGS)) {
            try (Stream<Path> files = Files.walk(RECORDINGS)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Stream.of("loupe.llm.mode", "loupe.llm.upstream", "fixture.marker", "fixture.question")
                .forEach(System::clearProperty);
    }

    private EngineExecutionResults run(Class<?> fixture, Map<String, String> properties, boolean parallel) {
        properties.forEach(System::setProperty);
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("loupe.junit.store", store.toString())
                .configurationParameters(parallel ? Map.of(
                        "junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.mode.default", "concurrent",
                        "junit.jupiter.execution.parallel.config.strategy", "fixed",
                        "junit.jupiter.execution.parallel.config.fixed.parallelism", "2") : Map.of())
                .selectors(selectClass(fixture))
                .execute();
    }

    @Test
    void callsAreRecordedOnceThenReplayedInParallelTestsAsGenerationsInEachTestsOwnTrace() {
        try (FakeLlm llm = FakeLlm.start()) {
            llm.reply("Madrid.");
            llm.reply("Paris.").usage(12, 3).cachedTokens(4);
            run(AgentCallsFixture.class, Map.of("loupe.llm.mode", "record", "loupe.llm.upstream", llm.rootUrl(),
                    "fixture.marker", "recorded"), false)
                    .testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
            assertThat(llm.chatRequests()).hasSize(2);
        }
        assertThat(RECORDINGS.resolve(AgentCallsFixture.class.getName() + ".json")).exists();

        run(AgentCallsFixture.class, Map.of("loupe.llm.mode", "replay", "loupe.llm.upstream", "http://127.0.0.1:9",
                "fixture.marker", "replayed"), true)
                .testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
    }

    @Test
    void aTestWhoseCallHasNoRecordingFailsWithTheClosestRecordedRequestAndADiff() {
        try (FakeLlm llm = FakeLlm.start()) {
            llm.reply("Paris.");
            run(DriftFixture.class, Map.of("loupe.llm.mode", "record", "loupe.llm.upstream", llm.rootUrl(),
                    "fixture.question", "What is the capital of France?"), false)
                    .testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        }

        run(DriftFixture.class, Map.of("loupe.llm.mode", "replay", "fixture.question",
                "What is the capital of Italy?"), false)
                .testEvents().assertStatistics(stats -> stats.failed(1))
                .assertThatEvents().haveExactly(1, event(finishedWithFailure(instanceOf(AssertionError.class),
                        message(text -> text.startsWith("Loupe has no recording of this model call for test "
                                + "asksTheQuestion(LlmEndpoint) in target/fixture-recordings/"
                                + DriftFixture.class.getName() + ".json")
                                && text.contains("-Dloupe.llm.mode=record")
                                && text.contains("-       \"content\" : \"What is the capital of France?\",\n"
                                        + "+       \"content\" : \"What is the capital of Italy?\",")))));
    }

    @Test
    void anUnknownModeFailsTheClassWithAMessageNamingTheValue() {
        run(DriftFixture.class, Map.of("loupe.llm.mode", "replya"), false)
                .containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(message(
                        text -> text.endsWith("The system property loupe.llm.mode is 'replya': use record, replay "
                                + "or auto")))));
    }
}
