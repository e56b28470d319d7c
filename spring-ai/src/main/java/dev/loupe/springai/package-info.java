/**
 * Loupe for Spring AI: {@link dev.loupe.springai.LoupeObservationHandler} records Spring AI's observations as Loupe
 * traces, and {@link dev.loupe.springai.LoupeSpringAiAutoConfiguration} registers it in a Spring Boot application.
 */
package dev.loupe.springai;
