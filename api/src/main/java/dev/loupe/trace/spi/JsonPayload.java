package dev.loupe.trace.spi;

/**
 * A payload that is a JSON document already, such as an attribute an instrumentation serialized; the engine stores
 * it as it is instead of serializing it again.
 *
 * @param json the JSON text
 */
public record JsonPayload(String json) {
}
