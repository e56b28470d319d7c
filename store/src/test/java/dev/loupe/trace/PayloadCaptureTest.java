package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PayloadCaptureTest {

    private static final int MAX_PAYLOAD_CHARS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final TracingFixture tracing = TracingFixture.inMemory(builder -> builder.maxPayloadChars(MAX_PAYLOAD_CHARS));

    private Tracer tracer() {
        return tracing.tracer();
    }

    /** Records a span whose handle the callback sets up, and returns it as stored. */
    private Observation recordedSpan(Consumer<Span> configure) {
        tracer().trace("agent", () -> tracer().span("step", span -> {
            configure.accept(span);
            return null;
        }));
        return tracing.onlyStored().find("step").orElseThrow();
    }

    private static JsonNode parse(String json) throws IOException {
        return JSON.readTree(json);
    }

    @Test
    void listChangedAfterItWasRecordedStaysAsItWasInTheTrace() {
        List<String> messages = new ArrayList<>(List.of("hello"));

        Observation step = recordedSpan(span -> {
            span.input(messages);
            messages.add("changed later");
            messages.set(0, "overwritten");
        });

        assertThat(step.input()).isEqualTo("[\"hello\"]");
    }

    @Test
    void mapChangedAfterItWasRecordedStaysAsItWasInTheTrace() {
        Map<String, Object> result = new HashMap<>(Map.of("status", "draft"));

        Observation step = recordedSpan(span -> {
            span.output(result);
            result.put("status", "final");
        });

        assertThat(step.output()).isEqualTo("{\"status\":\"draft\"}");
    }

    @Test
    void objectChangedAfterItWasRecordedAsMetadataStaysAsItWasInTheTrace() {
        Settings settings = new Settings();
        settings.setMode("fast");

        Observation step = recordedSpan(span -> {
            span.metadata("settings", settings);
            settings.setMode("thorough");
        });

        assertThat(step.metadata()).isEqualTo("{\"settings\":{\"mode\":\"fast\"}}");
    }

    @Test
    void objectChangedAfterItWasRecordedAsTraceInputStaysAsItWasInTheTrace() {
        List<String> question = new ArrayList<>(List.of("what is loupe?"));
        Map<String, String> context = new LinkedHashMap<>(Map.of("user", "ada"));

        tracer().trace("agent", root -> {
            root.input(question);
            tracer().currentTrace().metadata("context", context);
            question.clear();
            context.put("user", "grace");
            return "answer";
        });

        TraceTree tree = tracing.onlyStored();
        assertThat(tree.trace().input()).isEqualTo("[\"what is loupe?\"]");
        assertThat(tree.trace().metadata()).isEqualTo("{\"context\":{\"user\":\"ada\"}}");
    }

    @Test
    void cyclicObjectGraphIsRecordedWithTheTruncatedMarker() throws IOException {
        Node parent = new Node("parent");
        Node child = new Node("child");
        parent.setNext(child);
        child.setNext(parent);

        Observation step = recordedSpan(span -> span.input(parent));

        JsonNode input = parse(step.input());
        assertThat(input.has("loupe.truncated")).as("marker in %s", step.input()).isTrue();
        assertThat(input.get("type").asText()).isEqualTo(Node.class.getName());
    }

    @Test
    void listContainingItselfIsRecordedWithTheTruncatedMarker() throws IOException {
        List<Object> loop = new ArrayList<>();
        loop.add("first");
        loop.add(loop);

        Observation step = recordedSpan(span -> span.output(loop));

        assertThat(parse(step.output()).has("loupe.truncated")).as("marker in %s", step.output()).isTrue();
    }

    @Test
    void objectJacksonCannotSerializeIsRecordedWithTheUnserializableMarker() throws IOException {
        Observation step = recordedSpan(span -> span.input(new BrokenGetter()));

        JsonNode input = parse(step.input());
        assertThat(input.get("loupe.unserializable").asText()).contains("database connection closed");
        assertThat(input.get("type").asText()).isEqualTo(BrokenGetter.class.getName());
        assertThat(input.get("preview").asText()).isEqualTo("BrokenGetter[order-7]");
    }

    @Test
    void objectWhoseToStringAlsoThrowsIsStillRecordedWithTheUnserializableMarker() throws IOException {
        Observation step = recordedSpan(span -> span.output(new BrokenEverywhere()));

        JsonNode output = parse(step.output());
        assertThat(output.has("loupe.unserializable")).isTrue();
        assertThat(output.get("preview").asText()).contains("toString failed");
    }

    @Test
    void unserializableMetadataValueLeavesTheOtherEntriesIntact() throws IOException {
        Observation step = recordedSpan(span -> span.metadata("broken", new BrokenGetter()).metadata("fine", 42));

        JsonNode metadata = parse(step.metadata());
        assertThat(metadata.get("broken").has("loupe.unserializable")).isTrue();
        assertThat(metadata.get("fine").asInt()).isEqualTo(42);
    }

    @Test
    void stringLongerThanTheLimitIsCutWithAVisibleMarker() throws IOException {
        String huge = "x".repeat(50_000);

        Observation step = recordedSpan(span -> span.input(huge));

        assertThat(step.input().length()).isLessThanOrEqualTo(MAX_PAYLOAD_CHARS + 2);
        assertThat(parse(step.input()).asText()).startsWith("xxxx").contains("loupe.truncated")
                .contains("50000 characters");
    }

    @Test
    void objectLargerThanTheLimitIsRecordedAsAMarkerWithAPreview() throws IOException {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            many.add("document number " + i);
        }

        Observation step = recordedSpan(span -> span.output(many));

        JsonNode output = parse(step.output());
        assertThat(output.get("loupe.truncated").asText()).contains("larger than " + MAX_PAYLOAD_CHARS);
        assertThat(output.get("preview").asText()).startsWith("[\"document number 0\"").hasSize(MAX_PAYLOAD_CHARS);
        assertThat(step.output().length()).isLessThan(MAX_PAYLOAD_CHARS + 500);
    }

    @Test
    void javaTimeValuesAreRecordedAsIsoText() throws IOException {
        Map<String, Object> schedule = new LinkedHashMap<>();
        schedule.put("at", Instant.parse("2025-01-02T03:04:05Z"));
        schedule.put("day", LocalDate.parse("2025-01-02"));
        schedule.put("timeout", Duration.ofSeconds(90));

        Observation step = recordedSpan(span -> span.input(schedule).output(Instant.parse("2025-01-02T03:04:05Z")));

        assertThat(parse(step.input())).isEqualTo(parse(
                "{\"at\":\"2025-01-02T03:04:05Z\",\"day\":\"2025-01-02\",\"timeout\":\"PT1M30S\"}"));
        assertThat(step.output()).isEqualTo("\"2025-01-02T03:04:05Z\"");
    }

    @Test
    void recordsAreRecordedWithTheirComponents() throws IOException {
        Order order = new Order("o-1", 2, Instant.parse("2025-01-02T03:04:05Z"), Optional.of("gift"));

        Observation step = recordedSpan(span -> span.input(order));

        assertThat(parse(step.input())).isEqualTo(parse(
                "{\"id\":\"o-1\",\"quantity\":2,\"placedAt\":\"2025-01-02T03:04:05Z\",\"note\":\"gift\"}"));
    }

    @Test
    void capturingAPayloadNeverFailsTheCall() {
        Node parent = new Node("parent");
        parent.setNext(new Node("child"));
        parent.getNext().setNext(parent);

        String result = tracer().trace("agent", root -> {
            root.input(parent).metadata("broken", new BrokenGetter());
            return tracer().tool("tool", tool -> {
                tool.output(new BrokenEverywhere());
                return "still answered";
            });
        });

        assertThat(result).isEqualTo("still answered");
        assertThat(tracing.onlyStored().observations()).hasSize(2);
    }

    /** A mutable bean. */
    public static final class Settings {
        private String mode;

        public String getMode() {
            return mode;
        }

        public void setMode(String mode) {
            this.mode = mode;
        }
    }

    /** A bean in a cyclic graph. */
    public static final class Node {
        private final String name;
        private Node next;

        Node(String name) {
            this.name = name;
        }

        public String getName() {
            return name;
        }

        public Node getNext() {
            return next;
        }

        public void setNext(Node next) {
            this.next = next;
        }
    }

    /** A bean whose getter fails, as lazy-loading entities do once their session is gone. */
    public static final class BrokenGetter {
        public String getId() {
            return "order-7";
        }

        public String getCustomer() {
            throw new IllegalStateException("database connection closed");
        }

        @Override
        public String toString() {
            return "BrokenGetter[order-7]";
        }
    }

    /** A bean that fails however it is looked at. */
    public static final class BrokenEverywhere {
        public String getValue() {
            throw new UnsupportedOperationException("no value");
        }

        @Override
        public String toString() {
            throw new UnsupportedOperationException("no text");
        }
    }

    /** A record with a java.time component and an Optional. */
    public record Order(String id, int quantity, Instant placedAt, Optional<String> note) {
    }
}
