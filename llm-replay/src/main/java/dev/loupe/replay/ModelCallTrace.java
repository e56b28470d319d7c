package dev.loupe.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.replay.LlmProxy.OpenObservation;
import dev.loupe.replay.LlmProxy.OpenObservations;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Scope;
import dev.loupe.trace.StartedObservation;
import dev.loupe.trace.TraceContext;
import dev.loupe.trace.Tracer;
import dev.loupe.trace.spi.Engine;
import dev.loupe.trace.spi.JsonPayload;
import dev.loupe.trace.spi.ObservationRecord;
import dev.loupe.trace.spi.RecordIds;
import dev.loupe.trace.spi.TraceRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a model call that went through the proxy as a generation in the test's trace: inside the observation the
 * test has open when the call arrives, or as a trace of its own when none is. When the open observation is itself
 * the model call (an adapter of the client's framework recorded it), the call's marker is added to it instead, so
 * the tokens are not counted twice.
 */
final class ModelCallTrace {

    private ModelCallTrace() {
    }

    /**
     * Begins tracing a call as it arrives: finds where it belongs, and announces a new trace at once, so that the
     * test sees the call as open while it runs. Returns null when nothing is traced.
     */
    static Pending begin(Tracer tracer, TraceContext context, OpenObservations parents, String name,
            Instant start) {
        Engine engine = tracer.engine();
        if (engine == null) {
            return null;
        }
        try (Scope ignored = context == null ? () -> { } : context.makeCurrent()) {
            OpenObservation parent = parents == null ? null : parents.innermost();
            if (parent != null && parent.modelCall()) {
                return new Pending(tracer, context, parent.traceId(), parent.observationId(), null, true, start);
            }
            String traceId = parent == null ? RecordIds.traceId() : parent.traceId();
            String id = RecordIds.observationId();
            if (parent == null && engine.observesStarts()) {
                engine.started(new StartedObservation(traceId, id, null, ObservationType.GENERATION, name, start,
                        TraceContext.current()));
            }
            return new Pending(tracer, context, traceId, id, parent == null ? null : parent.observationId(), false,
                    start);
        }
    }

    /**
     * A call being traced.
     *
     * @param markOnly whether the call is already traced as the open model call {@code id} (by an adapter of the
     *                 client's framework), so only the marker is added to it
     */
    record Pending(Tracer tracer, TraceContext context, String traceId, String id, String parentId,
            boolean markOnly, Instant start) {

        /** Records the call, once its response is known and before its last bytes reach the client. */
        void end(ModelCall call, String path, int status, Instant firstByte, Instant end, String marker) {
            try (Scope ignored = context == null ? () -> { } : context.makeCurrent()) {
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put(LlmProxy.MARKER, marker);
                metadata.put("http.path", path);
                metadata.put("http.status", status);
                if (markOnly) {
                    tracer.record(new ObservationRecord(id, traceId, null, null, null, null, null, null, null, null,
                            metadata, null, null, null, null, null, null, null, null, null));
                    return;
                }
                if (parentId == null) {
                    tracer.record(new TraceRecord(traceId, call.name(), start, json(call.input()),
                            json(call.output()), null, null, null, List.of(), null, null, null));
                }
                tracer.record(new ObservationRecord(id, traceId, parentId, call.type(), call.name(), start, end,
                        firstByte, json(call.input()), json(call.output()), metadata,
                        call.error() == null ? null : ObservationLevel.ERROR, call.error(), null, call.model(),
                        call.modelParameters(), call.usage(), null, null, null));
            }
        }
    }

    private static JsonPayload json(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : new JsonPayload(node.toString());
    }

}
