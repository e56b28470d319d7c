package dev.loupe.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's Java examples compiled and run: every {@code <!-- snippet: NAME -->} block in README.md must
 * equal the region {@code tag::NAME[]} ... {@code end::NAME[]} of one of the test sources below, which run it. A
 * region that opens a class may be shown with the closing braces it lacks.
 */
class ReadmeSnippetsTest {

    private static final List<Path> SOURCES = List.of(
            Path.of("../store/src/test/java/dev/loupe/readme/ReadmeExamplesTest.java"),
            Path.of("src/test/java/dev/loupe/examples/support/SupportAgentTest.java"),
            Path.of("../llm-replay/src/test/java/dev/loupe/replay/ReplayedAgentExampleTest.java"),
            Path.of("../examples-langchain4j/src/test/java/dev/loupe/examples/travel/TripPlannerTest.java"),
            Path.of("src/test/java/dev/loupe/examples/support/ObserveStyleTest.java"),
            Path.of("../examples-spring-ai/src/test/java/dev/loupe/examples/springai/TravelAgentTest.java"),
            Path.of("../opentelemetry/src/test/java/dev/loupe/opentelemetry/WeatherAgentTest.java"),
            Path.of("../opentelemetry/src/test/java/dev/loupe/opentelemetry/export/ExportReadmeTest.java"));

    private static final Pattern README_BLOCK =
            Pattern.compile("<!-- snippet: ([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SOURCE_REGION =
            Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL);

    @Test
    void everyReadmeSnippetIsTheCodeOfATestThatRuns() throws IOException {
        Map<String, String> readme = blocks(README_BLOCK, read(Path.of("../README.md")));
        Map<String, String> regions = new LinkedHashMap<>();
        for (Path source : SOURCES) {
            regions.putAll(blocks(SOURCE_REGION, read(source)));
        }

        assertThat(readme).as("README snippets").isNotEmpty();
        assertThat(regions.keySet()).as("every tested region is shown in the README")
                .containsExactlyInAnyOrderElementsOf(readme.keySet());
        readme.forEach((name, code) -> assertThat(code)
                .as("README snippet '%s' must equal region tag::%s[] of the tests", name, name)
                .isEqualTo(closed(regions.get(name))));
    }

    private static String closed(String region) {
        long open = region.chars().filter(c -> c == '{').count() - region.chars().filter(c -> c == '}').count();
        return region + "\n}".repeat((int) Math.max(0, open));
    }

    private static String read(Path path) throws IOException {
        return Files.readString(path).replace("\r\n", "\n");
    }

    private static Map<String, String> blocks(Pattern pattern, String text) {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            blocks.put(matcher.group(1), dedent(matcher.group(2)));
        }
        return blocks;
    }

    /** Removes the indentation common to all non-blank lines, and trailing blank lines. */
    private static String dedent(String code) {
        List<String> lines = code.stripTrailing().lines().toList();
        int indent = lines.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        return lines.stream().map(line -> line.isBlank() ? "" : line.substring(indent))
                .collect(Collectors.joining("\n"));
    }
}
