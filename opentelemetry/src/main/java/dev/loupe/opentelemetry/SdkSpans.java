package dev.loupe.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads spans of the OpenTelemetry Java SDK as {@link SpanView}s. */
final class SdkSpans {

    /** The resource read last and its attributes: a process has one resource, read once instead of per span. */
    private volatile ResourceAttributes lastResource;

    SpanView view(SpanData span) {
        SpanContext parent = span.getParentSpanContext();
        List<SpanView.Event> events = List.of();
        if (!span.getEvents().isEmpty()) {
            List<SpanView.Event> list = new ArrayList<>(span.getEvents().size());
            for (EventData event : span.getEvents()) {
                list.add(new SpanView.Event(event.getName(), event.getEpochNanos(), map(event.getAttributes())));
            }
            events = Collections.unmodifiableList(list);
        }
        List<SpanView.Link> links = List.of();
        if (!span.getLinks().isEmpty()) {
            List<SpanView.Link> list = new ArrayList<>(span.getLinks().size());
            for (LinkData link : span.getLinks()) {
                list.add(new SpanView.Link(link.getSpanContext().getTraceId(), link.getSpanContext().getSpanId(),
                        map(link.getAttributes())));
            }
            links = Collections.unmodifiableList(list);
        }
        InstrumentationScopeInfo scope = span.getInstrumentationScopeInfo();
        return new SpanView(span.getTraceId(), span.getSpanId(),
                parent.isValid() && !parent.isRemote() ? parent.getSpanId() : null,
                span.getName(), span.getKind().name(), span.getStartEpochNanos(),
                span.hasEnded() ? span.getEndEpochNanos() : 0, span.getStatus().getStatusCode() == StatusCode.ERROR,
                span.getStatus().getDescription(), map(span.getAttributes()), events, links,
                resource(span.getResource()), scope.getName(), scope.getVersion());
    }

    private Map<String, Object> resource(Resource resource) {
        ResourceAttributes last = lastResource;
        if (last != null && last.resource == resource) {
            return last.attributes;
        }
        Map<String, Object> attributes = Collections.unmodifiableMap(map(resource.getAttributes()));
        lastResource = new ResourceAttributes(resource, attributes);
        return attributes;
    }

    /** Returns the attributes by name, with array values as immutable lists. */
    static Map<String, Object> map(Attributes attributes) {
        if (attributes.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> map = new LinkedHashMap<>(attributes.size() * 4 / 3 + 1);
        attributes.forEach((AttributeKey<?> key, Object value) ->
                map.put(key.getKey(), value instanceof List<?> list ? List.copyOf(list) : value));
        return map;
    }

    private record ResourceAttributes(Resource resource, Map<String, Object> attributes) {
    }
}
