package dev.loupe.springai;

import dev.loupe.Loupe;
import dev.loupe.trace.Tracer;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link LoupeObservationHandler} when this artifact is on the class path, unless
 * {@code loupe.spring-ai.enabled=false}. It records with the application's {@link Tracer} bean if there is one, with
 * the global tracer ({@link Loupe#tracer()}) otherwise.
 *
 * <p>With Spring Boot's actuator, the handler bean joins the actuator's {@code ObservationRegistry}. Without it, Spring
 * AI has no registry and observes nothing, so this configuration provides one with the handler registered.
 */
@AutoConfiguration(afterName = "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration")
@ConditionalOnClass({ObservationRegistry.class, Tracer.class})
@ConditionalOnProperty(prefix = "loupe.spring-ai", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(LoupeSpringAiProperties.class)
public class LoupeSpringAiAutoConfiguration {

    /** Returns the handler, configured by the {@code loupe.spring-ai} properties. */
    @Bean
    @ConditionalOnMissingBean
    public LoupeObservationHandler loupeObservationHandler(LoupeSpringAiProperties properties,
            ObjectProvider<Tracer> tracer) {
        return LoupeObservationHandler.builder()
                .tracer(new ApplicationTracer(tracer))
                .captureInput(properties.getCapture().isInput())
                .captureOutput(properties.getCapture().isOutput())
                .build();
    }

    /**
     * Returns an observation registry with the application's observation handlers, when the application has none:
     * without a registry Spring AI observes nothing.
     */
    @Bean
    @ConditionalOnMissingBean
    public ObservationRegistry loupeObservationRegistry(ObjectProvider<ObservationHandler<?>> handlers) {
        ObservationRegistry registry = ObservationRegistry.create();
        handlers.orderedStream().forEach(handler -> registry.observationConfig().observationHandler(handler));
        return registry;
    }

    /** The application's tracer bean, looked up once; the global tracer, looked up each time, when it has none. */
    private static final class ApplicationTracer implements Supplier<Tracer> {

        private final ObjectProvider<Tracer> bean;
        private volatile Optional<Tracer> resolved;

        ApplicationTracer(ObjectProvider<Tracer> bean) {
            this.bean = bean;
        }

        @Override
        public Tracer get() {
            Optional<Tracer> own = resolved;
            if (own == null) {
                own = Optional.ofNullable(bean.getIfUnique());
                resolved = own;
            }
            return own.orElseGet(Loupe::tracer);
        }
    }
}
