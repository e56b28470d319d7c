package dev.loupe.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.loupe.replay.Exchange.StreamEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a stream of server-sent events into its events, the way a browser's EventSource does. */
final class ServerSentEvents {

    private ServerSentEvents() {
    }

    /** Returns the events of a complete stream; data that is JSON is kept as JSON, anything else as text. */
    static List<StreamEvent> parse(byte[] stream) {
        String text = new String(stream, StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\r', '\n');
        List<StreamEvent> events = new ArrayList<>();
        String name = null;
        StringBuilder data = null;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new StreamEvent(name, value(data.toString())));
                }
                name = null;
                data = null;
            } else if (line.startsWith(":")) {
                continue;
            } else {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("event")) {
                    name = value;
                } else if (field.equals("data")) {
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        }
        if (data != null) {
            events.add(new StreamEvent(name, value(data.toString())));
        }
        return events;
    }

    /** Returns an event as it goes on the wire: its name, its data line by line, and the blank line that ends it. */
    static byte[] format(StreamEvent event) {
        StringBuilder text = new StringBuilder();
        if (event.event() != null) {
            text.append("event: ").append(event.event()).append('\n');
        }
        String data = event.data() == null ? "" : event.data().isTextual() ? event.data().asText()
                : event.data().toString();
        for (String line : data.split("\n", -1)) {
            text.append("data: ").append(line).append('\n');
        }
        return text.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode value(String data) {
        String trimmed = data.trim();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                return Recordings.MAPPER.readTree(trimmed);
            } catch (IOException notJson) {
                return TextNode.valueOf(data);
            }
        }
        return TextNode.valueOf(data);
    }
}
