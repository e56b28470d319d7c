package dev.loupe.opentelemetry;

import java.util.List;
import java.util.Map;

/**
 * A span as {@link SpanMapping} reads it, whichever way it came: from the SDK in process ({@link SdkSpans}) or over
 * OTLP ({@link OtlpSpans}). Attribute values are plain Java values: String, Boolean, Long, Double, and immutable
 * lists and maps of them.
 *
 * @param traceId         32 lowercase hex digits
 * @param spanId          16 lowercase hex digits
 * @param parentSpanId    the parent's span id, or null for a root span
 * @param name            the span's name
 * @param kind            the span kind (INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER)
 * @param startEpochNanos when it began
 * @param endEpochNanos   when it ended, or 0 while open
 * @param error           whether its status is ERROR
 * @param statusMessage   the status description, or null
 * @param attributes      its attributes by name; a {@link java.util.LinkedHashMap} made for this view is the
 *                        mapping's to take from, any other map is copied first
 * @param events          its events, in order
 * @param links           its links
 * @param resource        the attributes of the resource that emitted it, such as {@code service.name}
 * @param scopeName       the instrumentation scope's name, or null
 * @param scopeVersion    the instrumentation scope's version, or null
 */
record SpanView(
        String traceId,
        String spanId,
        String parentSpanId,
        String name,
        String kind,
        long startEpochNanos,
        long endEpochNanos,
        boolean error,
        String statusMessage,
        Map<String, Object> attributes,
        List<Event> events,
        List<Link> links,
        Map<String, Object> resource,
        String scopeName,
        String scopeVersion) {

    /**
     * A span event.
     *
     * @param name       its name
     * @param epochNanos when it happened
     * @param attributes its attributes
     */
    record Event(String name, long epochNanos, Map<String, Object> attributes) {
    }

    /**
     * A link to another span.
     *
     * @param traceId    the linked span's trace
     * @param spanId     the linked span
     * @param attributes the link's attributes
     */
    record Link(String traceId, String spanId, Map<String, Object> attributes) {
    }
}
