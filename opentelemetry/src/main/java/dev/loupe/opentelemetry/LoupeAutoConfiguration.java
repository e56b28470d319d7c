package dev.loupe.opentelemetry;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;

/**
 * Adds a {@link LoupeSpanProcessor} to every tracer provider that the OpenTelemetry SDK's autoconfigure module builds
 * (the Java agent's included), so that an application configured by properties records into Loupe without a code
 * change. Set {@code loupe.opentelemetry.capture=false} (or {@code LOUPE_OPENTELEMETRY_CAPTURE=false}) to leave the
 * provider alone. Found by the autoconfigure module through {@link java.util.ServiceLoader}.
 */
public final class LoupeAutoConfiguration implements AutoConfigurationCustomizerProvider {

    /** The property that turns the capture off when false; true by default. */
    public static final String CAPTURE_PROPERTY = "loupe.opentelemetry.capture";

    /** Creates the customizer; the SDK's service loader calls it. */
    public LoupeAutoConfiguration() {
    }

    /** Adds the processor to the tracer provider unless the capture is turned off. */
    @Override
    public void customize(AutoConfigurationCustomizer customizer) {
        customizer.addTracerProviderCustomizer((builder, config) -> config.getBoolean(CAPTURE_PROPERTY, true)
                ? builder.addSpanProcessor(LoupeSpanProcessor.create())
                : builder);
    }
}
