package dev.loupe.opentelemetry.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Payloads are sent as Langfuse's SDKs send them: text as it is, JSON as JSON, text that looks like JSON quoted. */
class SpanPayloadTest {

    @ParameterizedTest(name = "{0} is sent as {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "\"reset my password\"      | reset my password",
            "{\"id\":\"user-7\"}        | {\"id\":\"user-7\"}",
            "[1,2]                      | [1,2]",
            "42                         | 42",
            "\"42\"                     | \"42\"",
            "\"{\\\"a\\\":1}\"          | \"{\\\"a\\\":1}\"",
            "\"true\"                   | \"true\"",
            "\"\"                       | \"\""})
    void textIsSentAsItIsUnlessItWouldBeReadAsJson(String stored, String sent) {
        assertThat(SpanEncoder.payload(stored)).isEqualTo(sent);
    }
}
