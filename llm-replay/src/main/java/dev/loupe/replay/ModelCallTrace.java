package dev.loupe.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.replay.LlmProxy.OpenObservation;
import dev.loupe.replay.LlmProxy.OpenObservations;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.Scope;
import dev.loupe.trace.StartedObservation;
import dev.loupe.trace.TraceContext;
import dev.loupe.trace.Tracer;
import dev.loupe.trace.spi.Engine;
import dev.loupe.trace.spi.JsonPayload;
import dev.loupe.trace.spi.ObservationRecord;
import dev.loupe.trace.spi.TraceRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Records a model call that went through the proxy as a generation in the test's trace: inside the observation the
 * test has open when the call arrives, or as a trace of its own when none is. When the open observation is itself
 * the model call (an adapter of the client's framework recorded it), the call's marker is added to it instead, so
 * the tokens are not counted twice.
 */
final class ModelCallTrace {

    private ModelCallTrace() {
    }

    static void record(Tracer tracer, TraceContext context, OpenObservations parents, ModelCall call, String path,
            int status, Instant start, Instant firstByte, Instant end, String marker) {
        Engine engine = tracer.engine();
        if (engine == null) {
            return;
        }
        try (Scope ignored = context == null ? () -> { } : context.makeCurrent()) {
            OpenObservation parent = parents == null ? null : parents.innermost();
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put(LlmProxy.MARKER, marker);
            metadata.put("http.path", path);
            metadata.put("http.status", status);
            if (parent != null && parent.modelCall()) {
                tracer.record(new ObservationRecord(parent.observationId(), parent.traceId(), null, null, null, null,
                        null, null, null, null, metadata, null, null, null, null, null, null, null, null, null));
                return;
            }
            String traceId = parent == null ? hex(32) : parent.traceId();
            String id = hex(16);
            if (parent == null) {
                if (engine.observesStarts()) {
                    engine.started(new StartedObservation(traceId, id, null, call.type(), call.name(), start,
                            TraceContext.current()));
                }
                tracer.record(new TraceRecord(traceId, call.name(), start, json(call.input()), json(call.output()),
                        null, null, null, List.of(), null, null, null));
            }
            tracer.record(new ObservationRecord(id, traceId, parent == null ? null : parent.observationId(),
                    call.type(), call.name(), start, end, firstByte, json(call.input()), json(call.output()), metadata,
                    call.error() == null ? null : ObservationLevel.ERROR, call.error(), null, call.model(),
                    call.modelParameters(), call.usage(), null, null, null));
        }
    }

    private static JsonPayload json(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : new JsonPayload(node.toString());
    }

    /** Returns random lowercase hex digits, never all zeros: W3C trace and span ids. */
    private static String hex(int digits) {
        StringBuilder id = new StringBuilder(digits);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < digits; i++) {
            id.append(Character.forDigit(random.nextInt(16), 16));
        }
        return id.charAt(0) == '0' ? "1" + id.substring(1) : id.toString();
    }
}
