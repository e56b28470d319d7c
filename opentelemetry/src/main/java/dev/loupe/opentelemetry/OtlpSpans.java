package dev.loupe.opentelemetry;

import com.google.protobuf.ByteString;
import dev.loupe.trace.spi.PipelineRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an OTLP trace export request into Loupe's records, through the same attribute mapping as spans recorded in
 * process. For servers that receive OTLP, such as the devserver.
 */
public final class OtlpSpans {

    private static final HexFormat HEX = HexFormat.of();

    private OtlpSpans() {
    }

    /**
     * Returns the records of every span in the request, and the spans that had to be rejected, each with the reason.
     * Never throws for a span's content: a span that cannot be read is rejected, the others are kept.
     */
    public static Result records(ExportTraceServiceRequest request) {
        List<PipelineRecord> records = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        int spans = 0;
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            Map<String, Object> resource = Collections.unmodifiableMap(attributes(
                    resourceSpans.getResource().getAttributesList()));
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                String scopeName = scopeSpans.getScope().getName();
                String scopeVersion = scopeSpans.getScope().getVersion();
                for (Span span : scopeSpans.getSpansList()) {
                    spans++;
                    String problem = problem(span);
                    if (problem != null) {
                        rejected.add(problem);
                        continue;
                    }
                    records.addAll(SpanMapping.records(view(span, resource, scopeName, scopeVersion)));
                }
            }
        }
        return new Result(List.copyOf(records), spans, List.copyOf(rejected));
    }

    /**
     * What a request held.
     *
     * @param records  the records of the spans that were read
     * @param spans    how many spans the request held
     * @param rejected why each rejected span was rejected, naming it
     */
    public record Result(List<PipelineRecord> records, int spans, List<String> rejected) {
    }

    private static String problem(Span span) {
        if (span.getTraceId().size() != 16 || isZero(span.getTraceId())) {
            return "span '" + span.getName() + "' has the trace id '" + HEX.formatHex(span.getTraceId().toByteArray())
                    + "': a trace id must be 16 bytes (32 hex digits) and not all zero";
        }
        if (span.getSpanId().size() != 8 || isZero(span.getSpanId())) {
            return "span '" + span.getName() + "' has the span id '" + HEX.formatHex(span.getSpanId().toByteArray())
                    + "': a span id must be 8 bytes (16 hex digits) and not all zero";
        }
        if (!span.getParentSpanId().isEmpty() && span.getParentSpanId().size() != 8) {
            return "span '" + span.getName() + "' has the parent span id '"
                    + HEX.formatHex(span.getParentSpanId().toByteArray()) + "': a span id must be 8 bytes";
        }
        if (span.getStartTimeUnixNano() == 0) {
            return "span '" + span.getName() + "' has no start time (start_time_unix_nano is 0)";
        }
        return null;
    }

    private static boolean isZero(ByteString bytes) {
        for (int i = 0; i < bytes.size(); i++) {
            if (bytes.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static SpanView view(Span span, Map<String, Object> resource, String scopeName, String scopeVersion) {
        List<SpanView.Event> events = new ArrayList<>(span.getEventsCount());
        for (Span.Event event : span.getEventsList()) {
            events.add(new SpanView.Event(event.getName(), event.getTimeUnixNano(),
                    attributes(event.getAttributesList())));
        }
        List<SpanView.Link> links = new ArrayList<>(span.getLinksCount());
        for (Span.Link link : span.getLinksList()) {
            links.add(new SpanView.Link(hex(link.getTraceId()), hex(link.getSpanId()),
                    attributes(link.getAttributesList())));
        }
        ByteString parent = span.getParentSpanId();
        String kind = span.getKind().name();
        kind = kind.startsWith("SPAN_KIND_") ? kind.substring("SPAN_KIND_".length()) : null;
        return new SpanView(hex(span.getTraceId()), hex(span.getSpanId()),
                parent.isEmpty() || isZero(parent) ? null : hex(parent), span.getName(),
                "UNSPECIFIED".equals(kind) ? null : kind, span.getStartTimeUnixNano(), span.getEndTimeUnixNano(),
                span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR, span.getStatus().getMessage(),
                attributes(span.getAttributesList()), events, links, resource, scopeName, scopeVersion);
    }

    private static String hex(ByteString bytes) {
        return HEX.formatHex(bytes.toByteArray());
    }

    private static Map<String, Object> attributes(List<KeyValue> keyValues) {
        if (keyValues.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (KeyValue keyValue : keyValues) {
            Object value = value(keyValue.getValue());
            if (value != null) {
                map.put(keyValue.getKey(), value);
            }
        }
        return map;
    }

    private static Object value(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> value.getBoolValue();
            case INT_VALUE -> value.getIntValue();
            case DOUBLE_VALUE -> value.getDoubleValue();
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
            case ARRAY_VALUE -> {
                List<Object> items = new ArrayList<>();
                for (AnyValue item : value.getArrayValue().getValuesList()) {
                    Object converted = value(item);
                    if (converted != null) {
                        items.add(converted);
                    }
                }
                yield List.copyOf(items);
            }
            case KVLIST_VALUE -> Map.copyOf(attributes(value.getKvlistValue().getValuesList()));
            default -> null;
        };
    }
}
