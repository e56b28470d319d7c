package dev.loupe.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.guardrail.GuardrailResult;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.observability.api.event.AiServiceCompletedEvent;
import dev.langchain4j.observability.api.event.AiServiceErrorEvent;
import dev.langchain4j.observability.api.event.AiServiceEvent;
import dev.langchain4j.observability.api.event.AiServiceRequestIssuedEvent;
import dev.langchain4j.observability.api.event.AiServiceResponseReceivedEvent;
import dev.langchain4j.observability.api.event.AiServiceStartedEvent;
import dev.langchain4j.observability.api.event.GuardrailExecutedEvent;
import dev.langchain4j.observability.api.event.InputGuardrailExecutedEvent;
import dev.langchain4j.observability.api.event.OutputGuardrailExecutedEvent;
import dev.langchain4j.observability.api.event.ToolExecutedEvent;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import dev.loupe.trace.Generation;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Span;
import dev.loupe.trace.TraceContext;
import dev.loupe.trace.Tracer;
import dev.loupe.trace.spi.Engine;
import dev.loupe.trace.spi.ObservationRecord;
import dev.loupe.trace.spi.RecordIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Records an AI service invocation from LangChain4j's observability events: an AGENT from started to completed (or
 * error), a GENERATION from each request issued to its response, a TOOL for each tool executed and a GUARDRAIL for
 * each guardrail. Every event names its invocation, so observations nest right whatever thread LangChain4j reports
 * them on; the AGENT nests under what was current where the AI service method was called.
 */
final class AiServiceRecorder {

    private final Supplier<Tracer> tracers;

    AiServiceRecorder(Supplier<Tracer> tracers) {
        this.tracers = tracers;
    }

    /** Returns one listener per event type, to register on {@code AiServices.builder(...)}. */
    List<AiServiceListener<?>> listeners() {
        return List.of(
                new Listener<>(AiServiceStartedEvent.class, this::started),
                new Listener<>(AiServiceRequestIssuedEvent.class, this::requestIssued),
                new Listener<>(AiServiceResponseReceivedEvent.class, this::responseReceived),
                new Listener<>(ToolExecutedEvent.class, this::toolExecuted),
                new Listener<>(InputGuardrailExecutedEvent.class, this::inputGuardrail),
                new Listener<>(OutputGuardrailExecutedEvent.class, this::outputGuardrail),
                new Listener<>(AiServiceCompletedEvent.class, this::completed),
                new Listener<>(AiServiceErrorEvent.class, this::failed));
    }

    private void started(AiServiceStartedEvent event) {
        Tracer tracer = tracers.get();
        InvocationContext invocation = event.invocationContext();
        if (!tracer.isEnabled() || invocation == null) {
            return;
        }
        if (Invocations.full()) {
            Failures.report(tracer, "recording invocation " + invocation.invocationId(), new IllegalStateException(
                    Invocations.MAX_OPEN + " AI service invocations are open at once; this one is not recorded"));
            return;
        }
        boolean streams = ReturnTypes.streams(invocation.interfaceName(), invocation.methodName());
        TraceContext before = TraceContext.current();
        Span agent = tracer.startObservation(ObservationType.AGENT, agentName(invocation));
        agent.input(text(event.userMessage()));
        agent.metadata("langchain4j.interface", invocation.interfaceName());
        agent.metadata("langchain4j.method", invocation.methodName());
        if (invocation.chatMemoryId() != null && !"default".equals(invocation.chatMemoryId())) {
            agent.metadata("langchain4j.memory_id", String.valueOf(invocation.chatMemoryId()));
        }
        event.systemMessage().ifPresent(system -> agent.metadata("system_message", system.text()));
        if (streams) {
            // The stream goes on on LangChain4j's threads after the method returned: nothing the caller does next
            // belongs under the agent.
            before.makeCurrent();
        }
        Invocations.put(invocation.invocationId(), new Invocation(tracer, agent));
    }

    private void requestIssued(AiServiceRequestIssuedEvent event) {
        Invocation invocation = invocation(event);
        ChatRequest request = event.request();
        if (invocation == null || request == null) {
            return;
        }
        ChatRequestParameters parameters = merged(event.invocationContext().defaultRequestParameters(),
                request.parameters());
        Generation generation = Contexts.startUnder(invocation.context,
                () -> invocation.tracer.startGeneration(ModelCalls.name(parameters)));
        ModelCalls.request(generation, request.messages(), parameters);
        ModelCalls.provider(generation, event.invocationContext().modelProvider());
        Generation unanswered = invocation.generation(generation);
        if (unanswered != null) {
            unanswered.statusMessage("no response was reported for this request").end();
        }
        invocation.event();
        Invocations.announce(request);
    }

    private void responseReceived(AiServiceResponseReceivedEvent event) {
        Invocation invocation = invocation(event);
        if (invocation == null) {
            return;
        }
        Generation generation = invocation.takeGeneration();
        if (generation != null) {
            ChatRequest request = event.request();
            ModelCalls.response(generation, event.response(), request == null ? null
                    : merged(event.invocationContext().defaultRequestParameters(), request.parameters()));
        }
        invocation.event();
    }

    private void toolExecuted(ToolExecutedEvent event) {
        Invocation invocation = invocation(event);
        Engine engine = invocation == null ? null : invocation.tracer.engine();
        if (engine == null || event.request() == null) {
            return;
        }
        Instant start = invocation.sinceLastEvent();
        Instant end = invocation.now();
        String arguments = event.request().arguments();
        Object input = Payloads.jsonOrNull(arguments);
        String result = event.resultText();
        Object output = Payloads.jsonOrNull(result);
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (event.request().id() != null) {
            metadata.put("tool_call_id", engine.capture(event.request().id()));
        }
        invocation.tracer.record(new ObservationRecord(newObservationId(), invocation.agent.traceId(),
                invocation.agent.id(), ObservationType.TOOL, event.request().name(), start, end, null,
                input != null ? input : engine.capture(arguments), output != null ? output : engine.capture(result),
                metadata, null, null, null, null, null, null, null, null, null));
    }

    private void inputGuardrail(InputGuardrailExecutedEvent event) {
        guardrail(event, "input", event.request() == null ? null : text(event.request().userMessage()));
    }

    private void outputGuardrail(OutputGuardrailExecutedEvent event) {
        Object checked = null;
        if (event.request() != null && event.request().responseFromLLM() != null
                && event.request().responseFromLLM().aiMessage() != null) {
            checked = event.request().responseFromLLM().aiMessage().text();
        }
        guardrail(event, "output", checked);
    }

    private void guardrail(GuardrailExecutedEvent<?, ?, ?> event, String direction, Object checked) {
        Invocation invocation = invocation(event);
        Engine engine = invocation == null ? null : invocation.tracer.engine();
        if (engine == null) {
            return;
        }
        invocation.event();
        Instant end = invocation.now();
        Duration took = event.duration() == null ? Duration.ZERO : event.duration();
        Instant start = end.minus(took);
        if (start.isBefore(invocation.agent.startTime())) {
            start = invocation.agent.startTime();
        }
        GuardrailResult<?> result = event.result();
        Map<String, Object> outcome = new LinkedHashMap<>();
        ObservationLevel level = null;
        String status = null;
        if (result != null) {
            outcome.put("result", result.result() == null ? null : result.result().name().toLowerCase(Locale.ROOT));
            List<String> failures = new ArrayList<>();
            for (GuardrailResult.Failure failure : result.failures()) {
                failures.add(failure.message());
            }
            if (!failures.isEmpty()) {
                outcome.put("failures", failures);
            }
            if (!result.isSuccess()) {
                level = ObservationLevel.ERROR;
                status = failures.isEmpty() ? "guardrail failed" : String.join("; ", failures);
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("guardrail.direction", engine.capture(direction));
        if (event.guardrailClass() != null) {
            metadata.put("guardrail.class", engine.capture(event.guardrailClass().getName()));
        }
        String name = event.guardrailClass() == null ? direction + " guardrail"
                : event.guardrailClass().getSimpleName();
        invocation.tracer.record(new ObservationRecord(newObservationId(), invocation.agent.traceId(),
                invocation.agent.id(), ObservationType.GUARDRAIL, name, start, end, null, engine.capture(checked),
                engine.capture(Payloads.immutable(outcome)), metadata, level, status, null, null, null, null, null, null, null));
    }

    private void completed(AiServiceCompletedEvent event) {
        Invocation invocation = Invocations.remove(id(event));
        if (invocation == null) {
            return;
        }
        Generation open = invocation.takeGeneration();
        if (open != null) {
            open.statusMessage("no response was reported for this request").end();
        }
        Object result = event.result() == null ? null : event.result().orElse(null);
        Object output = Payloads.result(result);
        if (output != null) {
            invocation.agent.output(output);
        }
        invocation.agent.end();
    }

    private void failed(AiServiceErrorEvent event) {
        Invocation invocation = Invocations.remove(id(event));
        Throwable error = event.error();
        if (invocation == null) {
            // Failed before it started (a bad template, say): record the attempt so the failure is seen.
            Tracer tracer = tracers.get();
            InvocationContext context = event.invocationContext();
            if (tracer.isEnabled() && context != null) {
                Span agent = Contexts.startUnder(TraceContext.current(),
                        () -> tracer.startObservation(ObservationType.AGENT, agentName(context)));
                agent.error(error).end();
            }
            return;
        }
        Generation open = invocation.takeGeneration();
        if (open != null) {
            ModelCalls.failure(open, error);
        }
        invocation.agent.error(error).end();
    }

    private static Invocation invocation(AiServiceEvent event) {
        return Invocations.get(id(event));
    }

    private static java.util.UUID id(AiServiceEvent event) {
        InvocationContext context = event.invocationContext();
        return context == null ? null : context.invocationId();
    }

    private static ChatRequestParameters merged(ChatRequestParameters defaults, ChatRequestParameters request) {
        if (defaults == null) {
            return request;
        }
        return request == null ? defaults : defaults.overrideWith(request);
    }

    /** Returns {@code Interface.method}, the name of the AGENT observation. */
    static String agentName(InvocationContext invocation) {
        String type = Objects.requireNonNullElse(invocation.interfaceName(), "AiService");
        String simple = type.substring(Math.max(type.lastIndexOf('.'), type.lastIndexOf('$')) + 1);
        return invocation.methodName() == null ? simple : simple + "." + invocation.methodName();
    }

    private static String text(UserMessage message) {
        if (message == null) {
            return null;
        }
        return message.hasSingleText() ? message.singleText() : message.toString();
    }

    /** Returns a random observation id in W3C span-id form (16 hex digits, never all zeros), as the tracer makes. */
    static String newObservationId() {
        return RecordIds.observationId();
    }

    /** An AI service listener for one event type; a failure inside Loupe is reported, never thrown. */
    private final class Listener<T extends AiServiceEvent> implements AiServiceListener<T> {

        private final Class<T> eventClass;
        private final Consumer<T> handler;

        Listener(Class<T> eventClass, Consumer<T> handler) {
            this.eventClass = eventClass;
            this.handler = handler;
        }

        @Override
        public Class<T> getEventClass() {
            return eventClass;
        }

        @Override
        public void onEvent(T event) {
            try {
                handler.accept(event);
            } catch (RuntimeException | LinkageError failure) {
                Failures.report(tracers, "recording " + eventClass.getSimpleName(), failure);
            }
        }

        @Override
        public String toString() {
            return "Loupe " + eventClass.getSimpleName() + " listener";
        }
    }
}
