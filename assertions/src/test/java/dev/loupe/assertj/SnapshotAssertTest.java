package dev.loupe.assertj;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.loupe.assertj.fixtures.SnapshotFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Golden snapshots, each step in real JUnit runs of {@link SnapshotFixture}: the first run writes the file, later
 * runs compare with it, a change fails with a unified diff, and the update switch rewrites the file.
 */
class SnapshotAssertTest {

    private static final String FIXTURE_DIR = "SnapshotFixture";

    @TempDir
    Path directory;
    private Properties saved;

    @BeforeEach
    void pointSnapshotsAtTheTemporaryDirectory() {
        saved = (Properties) System.getProperties().clone();
        System.setProperty(Snapshot.DIRECTORY_PROPERTY, directory.toString());
    }

    @AfterEach
    void restoreSystemProperties() {
        System.setProperties(saved);
    }

    private static Events run(String method) {
        return EngineTestKit.engine("junit-jupiter").configurationParameter("loupe.junit.persist", "false")
                .selectors(selectMethod(SnapshotFixture.class, method, "dev.loupe.junit.CapturedTraces"))
                .execute().testEvents();
    }

    private Path file(String name) {
        return directory.resolve(FIXTURE_DIR).resolve(name);
    }

    @Test
    void theFirstRunWritesTheNormalisedOutline() throws IOException {
        run("matchesItsSnapshot").assertStatistics(stats -> stats.succeeded(1).failed(0));

        assertThat(Files.readAllLines(file("matchesItsSnapshot.support-agent.txt"), StandardCharsets.UTF_8))
                .containsExactly(SnapshotFile.HEADER,
                        "trace support-agent",
                        "SPAN support-agent",
                        "  GENERATION plan  model: gpt-4o-mini  tokens: 200 in, 20 out",
                        "  TOOL search_docs  arguments: {\"query\":\"password reset\",\"request_id\":\"<uuid>\","
                                + "\"requested_at\":\"<timestamp>\"}",
                        "  GENERATION answer  model: gpt-4o-mini  tokens: 400 in, 100 out");
    }

    @Test
    void laterRunsCompareAndLeaveTheFileAlone() throws IOException {
        run("matchesItsSnapshot");
        Path written = file("matchesItsSnapshot.support-agent.txt");
        String first = Files.readString(written);

        run("matchesItsSnapshot").assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertThat(Files.readString(written)).isEqualTo(first);
    }

    @Test
    void aChangedTraceFailsWithAUnifiedDiff() {
        run("matchesItsSnapshot");
        System.setProperty("fixture.query", "reset password");

        run("matchesItsSnapshot").assertThatEvents().haveExactly(1, event(test("matchesItsSnapshot"),
                finishedWithFailure(message(text -> text.startsWith("Expecting trace 'support-agent'\n"
                        + "  to match its snapshot " + file("matchesItsSnapshot.support-agent.txt") + "\n"
                        + "  but its outline differs (- snapshot, + trace):\n")
                        && text.contains("  @@ -2,5 +2,5 @@\n"
                                + "   trace support-agent\n"
                                + "   SPAN support-agent\n"
                                + "     GENERATION plan  model: gpt-4o-mini  tokens: 200 in, 20 out\n"
                                + "  -  TOOL search_docs  arguments: {\"query\":\"password reset\",")
                        && text.contains("  +  TOOL search_docs  arguments: {\"query\":\"reset password\",")
                        && text.contains("If the change is intended, rewrite the snapshot: run the test with "
                                + "-Dloupe.snapshots.update=true or LOUPE_SNAPSHOTS_UPDATE=true.\nTrace:\n")))));
    }

    @Test
    void theUpdateSwitchRewritesTheFile() throws IOException {
        run("matchesItsSnapshot");
        System.setProperty("fixture.query", "reset password");
        System.setProperty(Snapshot.UPDATE_PROPERTY, "true");

        run("matchesItsSnapshot").assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertThat(Files.readString(file("matchesItsSnapshot.support-agent.txt")))
                .contains("{\"query\":\"reset password\"");

        System.clearProperty(Snapshot.UPDATE_PROPERTY);
        run("matchesItsSnapshot").assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @Test
    void tokenCountsMatchWithinTheTolerance() {
        run("matchesItsSnapshot");
        System.setProperty("fixture.outputTokens", "110");
        run("matchesItsSnapshot").assertStatistics(stats -> stats.succeeded(1).failed(0));

        System.setProperty("fixture.outputTokens", "111");
        run("matchesItsSnapshot").assertThatEvents().haveExactly(1, event(test("matchesItsSnapshot"),
                finishedWithFailure(message(text -> text.contains(
                        "  -  GENERATION answer  model: gpt-4o-mini  tokens: 400 in, 100 out\n"
                                + "  +  GENERATION answer  model: gpt-4o-mini  tokens: 400 in, 111 out")))));
    }

    @Test
    void payloadsAreInTheOutlineWhenAsked() throws IOException {
        run("matchesItsSnapshotWithPayloads").assertStatistics(stats -> stats.succeeded(1).failed(0));

        assertThat(Files.readAllLines(file("with-payloads.txt"), StandardCharsets.UTF_8)).contains(
                "  GENERATION answer  model: gpt-4o-mini  tokens: 400 in, 100 out",
                "      output: \"Go to Settings > Security.\"",
                "      output: \"Settings > Security\"");
        System.setProperty("fixture.outputTokens", "101");
        run("matchesItsSnapshotWithPayloads").assertStatistics(stats -> stats.succeeded(0).failed(1));
    }

    @Test
    void theEnvironmentVariableIsAnUpdateSwitchToo() {
        assertThat(SnapshotFile.updating(Map.of("LOUPE_SNAPSHOTS_UPDATE", "true"))).isTrue();
        assertThat(SnapshotFile.updating(Map.of("LOUPE_SNAPSHOTS_UPDATE", "false"))).isFalse();
        assertThat(SnapshotFile.updating(Map.of())).isFalse();
    }

    @Test
    void userNormalisersApplyAfterTheBuiltInOnes() throws IOException {
        Snapshot settings = Snapshot.defaults().named("normalised").withPayloads()
                .normalising("password reset", "<query>").normalising(line -> line.replace("gpt-4o-mini", "<model>"));
        assertThat(SampleTraces.supportAgent()).matchesSnapshot(settings);

        List<String> lines = Files.readAllLines(directory.resolve("SnapshotAssertTest").resolve("normalised.txt"));
        assertThat(lines).contains("  TOOL search_docs  arguments: {\"limit\":3,\"query\":\"<query>\"}",
                "  GENERATION draft-reply  model: <model>  tokens: 120 in, 45 out");
        assertThatThrownBy(() -> assertThat(SampleTraces.researchAgent()).matchesSnapshot(settings))
                .hasMessageContaining("-trace support-agent\n")
                .hasMessageContaining("+trace research-agent\n");
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> Snapshot.defaults().withTokenTolerance(-0.1))
                .hasMessage("Token tolerance is -0.1: give a fraction of zero or more, such as 0.1 for 10%");
        assertThatThrownBy(() -> Snapshot.defaults().named("../escape"))
                .hasMessageContaining("Snapshot name '../escape' cannot be used as a file name");
        assertThatThrownBy(() -> Snapshot.defaults().normalising("(", "x"))
                .hasMessageStartingWith("Normaliser \"(\" is not a valid regular expression");
    }
}
