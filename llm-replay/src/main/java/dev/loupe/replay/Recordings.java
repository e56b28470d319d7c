package dev.loupe.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.replay.Exchange.RecordedResponse;
import dev.loupe.replay.Exchange.StreamEvent;
import dev.loupe.replay.RequestKeys.RequestKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The recordings of one test class: a file of exchanges grouped by test, each test's in the order its calls were
 * made. The file is pretty-printed with the tests sorted by name, so that it can be committed and reviewed, and a
 * run that changes nothing leaves it byte for byte as it was.
 */
final class Recordings {

    /** The version of the file's layout, written into it. */
    static final int FORMAT = 1;
    static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private final Path file;
    private final RequestKeys keys;
    private final Map<String, List<Exchange>> byTest = new TreeMap<>();
    /** Tests recorded anew in this run: their old exchanges were dropped at their first new one. */
    private final Set<String> rerecorded = new HashSet<>();
    private boolean changed;

    private Recordings(Path file, RequestKeys keys) {
        this.file = file;
        this.keys = keys;
    }

    /**
     * Reads the recordings in a file, or starts empty when there is none yet.
     *
     * @throws IllegalStateException naming the file when it cannot be read or is not a recordings file
     */
    static Recordings load(Path file, RequestKeys keys) {
        Recordings recordings = new Recordings(file, keys);
        if (file == null || !Files.exists(file)) {
            return recordings;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException unreadable) {
            throw new IllegalStateException("Cannot read the LLM recordings in " + file + ": "
                    + unreadable.getMessage() + ". Fix or delete the file, then record again.", unreadable);
        }
        if (root == null || !root.path("tests").isObject() || root.path("format").asInt() != FORMAT) {
            throw new IllegalStateException("" + file + " is not a Loupe LLM recordings file of format " + FORMAT
                    + " (an object with 'format' and 'tests'). Delete it and record again.");
        }
        root.get("tests").fields().forEachRemaining(test -> {
            List<Exchange> exchanges = new ArrayList<>();
            for (JsonNode exchange : test.getValue()) {
                exchanges.add(read(exchange, keys));
            }
            recordings.byTest.put(test.getKey(), exchanges);
        });
        return recordings;
    }

    private static Exchange read(JsonNode exchange, RequestKeys keys) {
        JsonNode request = exchange.path("request");
        JsonNode response = exchange.path("response");
        List<StreamEvent> events = null;
        if (response.has("events")) {
            events = new ArrayList<>();
            for (JsonNode event : response.get("events")) {
                events.add(new StreamEvent(event.hasNonNull("event") ? event.get("event").asText() : null,
                        event.get("data")));
            }
        }
        return new Exchange(
                new RequestKey(request.path("method").asText("POST"), request.path("path").asText(),
                        keys.normalise(request.get("body"))),
                new RecordedResponse(response.path("status").asInt(200),
                        response.hasNonNull("contentType") ? response.get("contentType").asText() : null,
                        events == null ? response.get("body") : null, events));
    }

    /** Returns the file the recordings live in. */
    Path file() {
        return file;
    }

    /**
     * Returns the response recorded for a test's request: the {@code occurrence}-th exchange of that test with an
     * equal key (identical requests within one test are told apart by their order), or null.
     */
    synchronized RecordedResponse find(String test, RequestKey key, int occurrence) {
        int seen = 0;
        for (Exchange exchange : byTest.getOrDefault(test, List.of())) {
            if (exchange.request().equals(key) && seen++ == occurrence) {
                return exchange.response();
            }
        }
        return null;
    }

    /** Returns the recorded request most like this one, of this test first, then of any test; null when none. */
    synchronized RequestKey closest(String test, RequestKey key) {
        RequestKey best = null;
        int bestDistance = Integer.MAX_VALUE;
        String wanted = key.text();
        for (Map.Entry<String, List<Exchange>> entry : byTest.entrySet()) {
            for (Exchange exchange : entry.getValue()) {
                int distance = LineDiff.distance(wanted, exchange.request().text())
                        + (entry.getKey().equals(test) ? 0 : 1);
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = exchange.request();
                }
            }
        }
        return best;
    }

    /**
     * Adds an exchange to a test's recordings. With {@code replacing}, the test's recordings from earlier runs are
     * dropped at its first exchange of this run, so that recording a test anew leaves only what it does now.
     */
    synchronized void add(String test, Exchange exchange, boolean replacing) {
        if (replacing && rerecorded.add(test)) {
            byTest.remove(test);
        }
        byTest.computeIfAbsent(test, key -> new ArrayList<>()).add(exchange);
        changed = true;
    }

    /** Returns how many exchanges are recorded, over all tests. */
    synchronized int size() {
        return byTest.values().stream().mapToInt(List::size).sum();
    }

    /**
     * Writes the file if anything was added, atomically (through a file beside it).
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    synchronized void save() {
        if (!changed || file == null) {
            return;
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", FORMAT);
        ObjectNode tests = root.putObject("tests");
        byTest.forEach((test, exchanges) -> {
            ArrayNode list = tests.putArray(test);
            exchanges.forEach(exchange -> list.add(write(exchange)));
        });
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.writeString(partial, pretty(root) + "\n", StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            changed = false;
        } catch (IOException failure) {
            throw new UncheckedIOException("Cannot write the LLM recordings to " + file + ": " + failure.getMessage(),
                    failure);
        }
    }

    private static ObjectNode write(Exchange exchange) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ObjectNode request = node.putObject("request");
        request.put("method", exchange.request().method());
        request.put("path", exchange.request().path());
        request.set("body", exchange.request().body());
        ObjectNode response = node.putObject("response");
        RecordedResponse recorded = exchange.response();
        response.put("status", recorded.status());
        if (recorded.contentType() != null) {
            response.put("contentType", recorded.contentType());
        }
        if (recorded.streamed()) {
            ArrayNode events = response.putArray("events");
            for (StreamEvent event : recorded.events()) {
                ObjectNode written = events.addObject();
                if (event.event() != null) {
                    written.put("event", event.event());
                }
                written.set("data", event.data());
            }
        } else {
            response.set("body", recorded.body());
        }
        return node;
    }

    /** Returns JSON pretty-printed the way recordings files are. */
    static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
