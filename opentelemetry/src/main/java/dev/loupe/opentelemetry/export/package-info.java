/**
 * Export of Loupe's traces over OTLP/HTTP to a Langfuse server or any OpenTelemetry backend: {@link
 * dev.loupe.opentelemetry.export.OtlpExport}, a sink for the tracer, alongside the local store or instead of it.
 */
package dev.loupe.opentelemetry.export;
