package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.replay.ReplayMode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLineTest {

    @Test
    void servesTheDefaultStoreOnLoopbackPort7070WithoutArguments() {
        CommandLine commandLine = CommandLine.parse(List.of());

        assertThat(commandLine.store()).isEqualTo(TracerBuilder.DEFAULT_STORE);
        assertThat(commandLine.host()).isEqualTo("127.0.0.1");
        assertThat(commandLine.port()).isEqualTo(7070);
        assertThat(commandLine.demo()).isFalse();
        assertThat(commandLine.help()).isFalse();
    }

    @Test
    void readsEveryOptionWithItsValueAfterASpace() {
        CommandLine commandLine = CommandLine.parse(
                List.of("--store", "/tmp/traces", "--port", "8080", "--host", "0.0.0.0", "--demo"));

        assertThat(commandLine).isEqualTo(new CommandLine(Path.of("/tmp/traces"), "0.0.0.0", 8080, true, false, null, false,
                ApiKeys.NONE, null));
    }

    @Test
    void readsEveryOptionWithItsValueAfterAnEqualsSign() {
        CommandLine commandLine = CommandLine.parse(List.of("--store=/tmp/traces", "--port=0", "--host=::1"));

        assertThat(commandLine).isEqualTo(new CommandLine(Path.of("/tmp/traces"), "::1", 0, false, false, null, false,
                ApiKeys.NONE, null));
    }

    @Test
    void recognisesAskingForHelp() {
        assertThat(CommandLine.parse(List.of("--help")).help()).isTrue();
        assertThat(CommandLine.parse(List.of("-h")).help()).isTrue();
        assertThat(CommandLine.USAGE).contains("--store PATH", "--port N", "--host ADDRESS", "--demo", "--help",
                TracerBuilder.DEFAULT_STORE.toString());
    }

    @Test
    void readsTheMaintenanceOptions() {
        CommandLine commandLine = CommandLine.parse(List.of("--prune-older-than", "30d", "--compact"));

        assertThat(commandLine.pruneOlderThan()).isEqualTo(java.time.Duration.ofDays(30));
        assertThat(commandLine.compact()).isTrue();
        assertThat(commandLine.maintains()).isTrue();
        assertThat(CommandLine.parse(List.of("--prune-older-than=12h")).pruneOlderThan())
                .isEqualTo(java.time.Duration.ofHours(12));
        assertThat(CommandLine.parse(List.of()).maintains()).isFalse();
        assertThat(CommandLine.USAGE).contains("--prune-older-than AGE", "--compact");
    }

    @Test
    void readsTheLlmProxysModeUpstreamRecordingsAndPort() {
        CommandLine commandLine = CommandLine.parse(List.of("--llm-proxy", "RECORD", "--llm-upstream",
                "https://api.anthropic.com", "--llm-recordings=calls.json", "--llm-proxy-port", "0"));

        assertThat(commandLine.llmProxy()).isEqualTo(new CommandLine.LlmProxySettings(ReplayMode.RECORD,
                "https://api.anthropic.com", Path.of("calls.json"), 0));
        assertThat(CommandLine.parse(List.of("--llm-proxy=replay")).llmProxy()).isEqualTo(
                new CommandLine.LlmProxySettings(ReplayMode.REPLAY, "https://api.openai.com",
                        Path.of("loupe-llm-recordings.json"), 7071));
        assertThat(CommandLine.parse(List.of()).llmProxy()).isNull();
    }

    @Test
    void readsTheApiKeysClientsMustSend() {
        CommandLine commandLine = CommandLine.parse(List.of("--public-key", "pk-lf-local", "--secret-key=sk-lf-local"));

        assertThat(commandLine.keys()).isEqualTo(new ApiKeys("pk-lf-local", "sk-lf-local"));
        assertThat(commandLine.keys().required()).isTrue();
        assertThat(CommandLine.parse(List.of()).keys()).isEqualTo(ApiKeys.NONE);
        assertThat(CommandLine.USAGE).contains("--public-key KEY", "--secret-key KEY", "/api/public/ingestion",
                "16 MiB");
    }

    @Test
    void theSecretKeyIsNeverShown() {
        assertThat(CommandLine.parse(List.of("--public-key", "pk-1", "--secret-key", "sk-hidden")).toString())
                .contains("pk-1")
                .doesNotContain("sk-hidden");
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "--prot 8080           | Unknown argument '--prot': use --store PATH, --port N, --host ADDRESS, --demo, --public-key KEY, --secret-key KEY, --prune-older-than AGE, --compact, --llm-proxy MODE (with --llm-upstream URL, --llm-recordings FILE, --llm-proxy-port N) or --help",
        "--public-key pk       | --public-key was given without --secret-key: give both, or neither to accept any keys",
        "--secret-key sk       | --secret-key was given without --public-key: give both, or neither to accept any keys",
        "--public-key          | --public-key needs a value: the public key clients send, such as pk-lf-local",
        "--public-key= --secret-key=sk | --public-key is empty: give the key",
        "serve                 | Unknown argument 'serve'",
        "--port                | --port needs a value: a port number such as 7070",
        "--port --demo         | --port needs a value",
        "--port eighty         | --port is 'eighty': use a port number from 0 to 65535",
        "--port 70000          | --port is 70000: use a port number from 0 to 65535",
        "--port=-1             | --port is -1",
        "--store               | --store needs a value: a directory",
        "--store=              | --store is empty",
        "--host=               | --host is empty",
        "--demo=yes            | --demo takes no value, but was given 'yes'",
        "--prune-older-than    | --prune-older-than needs a value: an age such as 30d, 12h or 90m",
        "--prune-older-than=1y | --prune-older-than '1y' is not an age: use a whole number of days, hours or minutes",
        "--compact=now         | --compact takes no value, but was given 'now'",
        "--compact --demo      | --demo serves the store, which --prune-older-than and --compact do not",
        "--llm-proxy playback  | --llm-proxy is 'playback': use record, replay or auto",
        "--llm-proxy           | --llm-proxy needs a value: a mode: record, replay or auto",
        "--llm-upstream=http://x | --llm-upstream, --llm-recordings and --llm-proxy-port set up the LLM proxy: add --llm-proxy record, replay or auto",
        "--llm-proxy=auto --llm-proxy-port=99999 | --llm-proxy-port is 99999: use a port number from 0 to 65535",
        "--llm-proxy=auto --compact | --llm-proxy runs beside the server, which --prune-older-than and --compact do not start",
    })
    void refusesABadArgumentNamingItAndWhatIsExpected(String arguments, String message) {
        assertThatThrownBy(() -> CommandLine.parse(List.of(arguments.split(" "))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }
}
