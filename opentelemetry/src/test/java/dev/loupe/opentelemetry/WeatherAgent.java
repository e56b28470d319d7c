package dev.loupe.opentelemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * A small agent instrumented with OpenTelemetry alone, as an application with an OTel-based instrumentation is: it
 * knows nothing of Loupe. Its spans carry the GenAI semantic conventions' attributes; the model is a stand-in.
 */
final class WeatherAgent {

    private final Tracer tracer;

    WeatherAgent(Tracer tracer) {
        this.tracer = tracer;
    }

    String answer(String question) {
        Span agent = tracer.spanBuilder("invoke_agent weather")
                .setAttribute("gen_ai.operation.name", "invoke_agent")
                .setAttribute("gen_ai.agent.name", "weather")
                .startSpan();
        try (Scope ignored = agent.makeCurrent()) {
            tracer.spanBuilder("chat gpt-4o")
                    .setAttribute("gen_ai.operation.name", "chat")
                    .setAttribute("gen_ai.request.model", "gpt-4o")
                    .setAttribute("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\","
                            + "\"content\":\"" + question + "\"}]}]")
                    .setAttribute("gen_ai.usage.input_tokens", 42L)
                    .setAttribute("gen_ai.usage.output_tokens", 7L)
                    .startSpan().end();
            tracer.spanBuilder("execute_tool get_weather")
                    .setAttribute("gen_ai.operation.name", "execute_tool")
                    .setAttribute("gen_ai.tool.name", "get_weather")
                    .setAttribute("gen_ai.tool.call.arguments", "{\"city\":\"Paris\"}")
                    .setAttribute("gen_ai.tool.call.result", "{\"celsius\":21}")
                    .startSpan().end();
            return "21 °C in Paris";
        } finally {
            agent.end();
        }
    }
}
