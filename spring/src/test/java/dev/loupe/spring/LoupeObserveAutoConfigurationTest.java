package dev.loupe.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.spring.fixtures.AssistantApplication;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Spring Boot finds the auto-configuration on the class path; a property turns it off. */
class LoupeObserveAutoConfigurationTest {

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(AssistantApplication.class).web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF).logStartupInfo(false).properties(properties).run();
    }

    @Test
    void beansWithObservedMethodsAreProxiedWhenTheArtifactIsOnTheClassPath() {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.getBeansOfType(ObserveAdvisor.class)).hasSize(1);
            assertThat(AopUtils.isAopProxy(context.getBean(AssistantApplication.Assistant.class))).isTrue();
            assertThat(AopUtils.isAopProxy(context.getBean(AssistantApplication.Researcher.class)))
                    .as("annotated on its type").isTrue();
        }
    }

    @Test
    void loupeObserveEnabledFalseTurnsItOff() {
        try (ConfigurableApplicationContext context = start("loupe.observe.enabled=false")) {
            assertThat(context.getBeansOfType(ObserveAdvisor.class)).isEmpty();
            assertThat(AopUtils.isAopProxy(context.getBean(AssistantApplication.Assistant.class))).isFalse();
        }
    }
}
