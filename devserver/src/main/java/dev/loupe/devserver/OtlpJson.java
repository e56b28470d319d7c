package dev.loupe.devserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Reads OTLP's JSON encoding of a trace export request. It is protobuf's JSON mapping with two differences that
 * OTLP specifies: trace and span ids are hex, not base64, and enums may be given as integers (which protobuf's parser
 * accepts already). The ids are rewritten to base64 before protobuf's parser reads the document; unknown fields are
 * ignored, as OTLP requires of receivers.
 */
final class OtlpJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private OtlpJson() {
    }

    /**
     * Parses a request.
     *
     * @throws IllegalArgumentException saying what is wrong with the document, naming the offending value
     */
    static ExportTraceServiceRequest parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException invalid) {
            throw new IllegalArgumentException("the body is not JSON: " + invalid.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object with resourceSpans, as OTLP/JSON "
                    + "specifies");
        }
        for (JsonNode resourceSpans : root.path("resourceSpans")) {
            for (JsonNode scopeSpans : resourceSpans.path("scopeSpans")) {
                for (JsonNode span : scopeSpans.path("spans")) {
                    hexToBase64(span, "traceId");
                    hexToBase64(span, "spanId");
                    hexToBase64(span, "parentSpanId");
                    for (JsonNode link : span.path("links")) {
                        hexToBase64(link, "traceId");
                        hexToBase64(link, "spanId");
                    }
                }
            }
        }
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        try {
            PARSER.merge(root.toString(), request);
        } catch (InvalidProtocolBufferException | RuntimeException invalid) {
            throw new IllegalArgumentException("the body is not an OTLP trace export request: "
                    + invalid.getMessage());
        }
        return request.build();
    }

    /** Returns the JSON encoding of a response (which holds no ids, so protobuf's mapping is OTLP's). */
    static String print(com.google.protobuf.MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static void hexToBase64(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || !(node instanceof ObjectNode object)) {
            return;
        }
        String hex = value.asText();
        try {
            object.put(field, Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)));
        } catch (IllegalArgumentException notHex) {
            throw new IllegalArgumentException(field + " '" + hex + "' is not hex: OTLP/JSON gives trace and span "
                    + "ids as hex digits, such as \"5b8efff798038103d269b633813fc60c\"");
        }
    }
}
