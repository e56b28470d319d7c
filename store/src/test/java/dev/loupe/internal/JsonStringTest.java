package dev.loupe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonStringTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "plain text", "quote \" and backslash \\", "slash / and tab \t", "lines\r\nand \b\f",
            "control \u0001\u001f and del \u007f", "accents éü and emoji 😀", "separators \u2028\u2029",
            "html <script>&amp;</script>"})
    void stringsAreWrittenAsJacksonWritesThem(String text) throws Exception {
        assertThat(Json.write(text, 1_000)).isEqualTo(Json.mapper().writeValueAsString(text));
        assertThat(Json.quote(text)).isEqualTo(Json.mapper().writeValueAsString(text));
    }

    @Test
    void aStringThatEscapingMakesTooLongIsTruncatedWithAMarker() {
        String text = "\u0001".repeat(100);

        assertThat(Json.write(text, 300)).contains(Json.TRUNCATED);
    }

    @Test
    void aStringThatFitsAfterEscapingIsKeptWhole() {
        String text = "a\"b".repeat(10);

        assertThat(Json.write(text, 300)).isEqualTo(Json.quote(text)).doesNotContain(Json.TRUNCATED);
    }
}
