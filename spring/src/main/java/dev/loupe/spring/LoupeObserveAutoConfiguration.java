package dev.loupe.spring;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Records the calls of {@link dev.loupe.trace.Observe @Observe} methods of Spring beans, with
 * {@code Loupe.tracer()}. Registered by Spring Boot when {@code loupe-spring} is on the class path; set
 * {@code loupe.observe.enabled=false} to turn it off. Calls go through the bean's proxy, so a bean calling its own
 * method ({@code this.step()}) is not observed: use the {@code loupe-agent} for that.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "loupe.observe", name = "enabled", havingValue = "true", matchIfMissing = true)
@Import(LoupeObserveAutoConfiguration.AutoProxying.class)
public class LoupeObserveAutoConfiguration {

    /** Returns the advisor that observes calls of {@code @Observe} methods on the beans' proxies. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static ObserveAdvisor loupeObserveAdvisor() {
        return new ObserveAdvisor();
    }

    /**
     * Makes sure the context creates proxies for advisors (Spring Boot's AOP auto-configuration does too, unless
     * {@code spring.aop.auto=false}); an existing auto-proxy creator is kept.
     */
    static final class AutoProxying implements ImportBeanDefinitionRegistrar {
        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }
    }
}
