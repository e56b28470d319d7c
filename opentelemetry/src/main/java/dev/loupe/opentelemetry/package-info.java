/**
 * OpenTelemetry in and out: spans from the OpenTelemetry SDK or OTLP become Loupe observations through one attribute
 * normaliser, and Loupe's traces leave for a Langfuse server or any OTLP backend.
 */
package dev.loupe.opentelemetry;
