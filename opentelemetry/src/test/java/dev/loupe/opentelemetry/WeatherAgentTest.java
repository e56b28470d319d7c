package dev.loupe.opentelemetry;

import static dev.loupe.assertj.LoupeAssertions.assertThat;

import dev.loupe.junit.CapturedTraces;
import dev.loupe.junit.TraceCapture;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

// tag::otel-capture[]
@ExtendWith(TraceCapture.class)
class WeatherAgentTest {

    // One line: every span this SDK ends is recorded by Loupe, and the running test sees it.
    static final SdkTracerProvider TRACING = SdkTracerProvider.builder()
            .addSpanProcessor(LoupeSpanProcessor.create())
            .build();

    WeatherAgent agent = new WeatherAgent(TRACING.get("weather-agent"));   // instrumented with OpenTelemetry only

    @Test
    void answersWithTheWeatherTool(CapturedTraces traces) {
        agent.answer("Weather in Paris?");

        assertThat(traces.single()).hasShape("""
                AGENT invoke_agent weather
                  GENERATION chat gpt-4o
                  TOOL execute_tool get_weather
                """);
        assertThat(traces.single()).generation("chat gpt-4o")
                .hasModel("gpt-4o")
                .hasInputMessage("user", "Weather in Paris?")
                .hasUsage(42, 7);
        assertThat(traces.single()).toolCall("execute_tool get_weather").hasArgument("city", "Paris");
    }
}
// end::otel-capture[]
