package dev.loupe.examples.springai;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A Spring Boot application with a travel agent built on Spring AI; loupe-spring-ai traces it with no code. */
@SpringBootApplication
public class TravelAgentApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(TravelAgentApplication.class, args);
    }
}
