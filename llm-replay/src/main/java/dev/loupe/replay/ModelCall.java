package dev.loupe.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.replay.Exchange.RecordedResponse;
import dev.loupe.replay.Exchange.StreamEvent;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a model call was, read from its request and response in the provider's wire format: OpenAI's chat
 * completions, responses and embeddings APIs (and the many providers compatible with them), and Anthropic's
 * messages API, plain or streamed. It is what the proxy records as a generation in the test's trace.
 *
 * @param type            GENERATION, or EMBEDDING for embeddings
 * @param name            the operation and model, as OpenTelemetry names GenAI spans: {@code chat gpt-4o-mini}
 * @param model           the model that answered, or the one asked for
 * @param modelParameters the request's parameters (temperature, max tokens...), or null
 * @param input           what the model was given: the messages (with system prompt and tools), or the input
 * @param output          what it answered: the message with its tool calls, or null on error
 * @param usage           the tokens, or null when the response does not say
 * @param error           the provider's error message when the status is not 2xx, or null
 */
record ModelCall(
        ObservationType type,
        String name,
        String model,
        Map<String, Object> modelParameters,
        JsonNode input,
        JsonNode output,
        Usage usage,
        String error) {

    private static final Set<String> PARAMETERS = Set.of("temperature", "top_p", "max_tokens",
            "max_completion_tokens", "max_output_tokens", "frequency_penalty", "presence_penalty", "seed", "stop",
            "n", "tool_choice", "response_format", "reasoning_effort", "reasoning", "top_k", "parallel_tool_calls",
            "stream");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Returns the name a call gets before its response is known: the operation and the model asked for. */
    static String nameOf(String path, JsonNode request) {
        String operation = operation(path);
        String model = text(request.get("model"), null);
        return model == null ? operation : operation + " " + model;
    }

    private static String operation(String path) {
        if (path.endsWith("/embeddings")) {
            return "embeddings";
        }
        return path.endsWith("/completions") && !path.endsWith("/chat/completions") ? "text_completion" : "chat";
    }

    /** Reads a model call from a request body (normalised, secrets left out) and the response. */
    static ModelCall of(String path, JsonNode request, RecordedResponse response) {
        JsonNode body = response.streamed() ? assemble(path, response) : response.body();
        if (body == null) {
            body = NODES.nullNode();
        }
        boolean anthropic = path.endsWith("/messages");
        boolean embeddings = path.endsWith("/embeddings");
        boolean responsesApi = path.endsWith("/responses");
        String model = text(body.get("model"), text(request.get("model"), null));
        String error = response.status() >= 200 && response.status() < 300 ? null : errorMessage(response, body);
        return new ModelCall(
                embeddings ? ObservationType.EMBEDDING : ObservationType.GENERATION,
                nameOf(path, request),
                model,
                parameters(request),
                input(request, anthropic, responsesApi, embeddings),
                error != null ? null : output(body, anthropic, responsesApi, embeddings),
                error != null ? null : usage(body.get("usage"), anthropic),
                error);
    }

    private static Map<String, Object> parameters(JsonNode request) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        request.fields().forEachRemaining(field -> {
            if (PARAMETERS.contains(field.getKey())) {
                parameters.put(field.getKey(), Recordings.MAPPER.convertValue(field.getValue(), Object.class));
            }
        });
        return parameters.isEmpty() ? null : parameters;
    }

    private static JsonNode input(JsonNode request, boolean anthropic, boolean responsesApi, boolean embeddings) {
        if (embeddings) {
            return request.get("input");
        }
        ObjectNode input = NODES.objectNode();
        copy(request, input, anthropic ? "system" : "instructions");
        copy(request, input, responsesApi ? "input" : "messages");
        copy(request, input, "tools");
        return input.size() == 1 && input.has("messages") ? input.get("messages") : input;
    }

    private static JsonNode output(JsonNode body, boolean anthropic, boolean responsesApi, boolean embeddings) {
        if (embeddings) {
            return NODES.textNode(body.path("data").size() + " embeddings");
        }
        if (anthropic) {
            ObjectNode message = NODES.objectNode();
            message.put("role", "assistant");
            copy(body, message, "content");
            copy(body, message, "stop_reason");
            return message;
        }
        if (responsesApi) {
            return body.get("output");
        }
        JsonNode choice = body.path("choices").path(0);
        if (choice.isMissingNode()) {
            return null;
        }
        ObjectNode message = choice.has("message") && choice.get("message").isObject()
                ? ((ObjectNode) choice.get("message")).deepCopy() : NODES.objectNode();
        if (choice.has("text")) {
            message.set("content", choice.get("text"));
        }
        copy(choice, message, "finish_reason");
        return message;
    }

    /** Maps the usage of every shape to Loupe's: input and output include their cached and reasoning parts. */
    private static Usage usage(JsonNode usage, boolean anthropic) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        Map<String, Long> details = new LinkedHashMap<>();
        if (anthropic) {
            long cacheRead = usage.path("cache_read_input_tokens").asLong();
            long cacheWrite = usage.path("cache_creation_input_tokens").asLong();
            long input = usage.path("input_tokens").asLong() + cacheRead + cacheWrite;
            long output = usage.path("output_tokens").asLong();
            details.put(Usage.INPUT, input);
            details.put(Usage.OUTPUT, output);
            details.put(Usage.TOTAL, input + output);
            putPositive(details, Usage.CACHED_INPUT, cacheRead);
            putPositive(details, Usage.CACHE_WRITE, cacheWrite);
            return new Usage(details);
        }
        long input = usage.has("prompt_tokens") ? usage.get("prompt_tokens").asLong()
                : usage.path("input_tokens").asLong();
        long output = usage.has("completion_tokens") ? usage.get("completion_tokens").asLong()
                : usage.path("output_tokens").asLong();
        long total = usage.has("total_tokens") ? usage.get("total_tokens").asLong() : input + output;
        details.put(Usage.INPUT, input);
        details.put(Usage.OUTPUT, output);
        details.put(Usage.TOTAL, total);
        JsonNode inputDetails = usage.has("prompt_tokens_details") ? usage.get("prompt_tokens_details")
                : usage.path("input_tokens_details");
        JsonNode outputDetails = usage.has("completion_tokens_details") ? usage.get("completion_tokens_details")
                : usage.path("output_tokens_details");
        putPositive(details, Usage.CACHED_INPUT, inputDetails.path("cached_tokens").asLong());
        putPositive(details, Usage.REASONING, outputDetails.path("reasoning_tokens").asLong());
        return new Usage(details);
    }

    /**
     * Puts a streamed response back together as the plain response would have been: the text and tool calls of
     * the deltas, the finish reason, the model and the usage of the last chunk.
     */
    static JsonNode assemble(String path, RecordedResponse response) {
        if (path.endsWith("/messages")) {
            return assembleAnthropic(response);
        }
        if (path.endsWith("/responses")) {
            for (StreamEvent event : response.events()) {
                JsonNode data = event.data();
                if (data != null && "response.completed".equals(data.path("type").asText())) {
                    return data.get("response");
                }
            }
            return NODES.objectNode();
        }
        ObjectNode body = NODES.objectNode();
        StringBuilder content = new StringBuilder();
        boolean anyContent = false;
        Map<Integer, ObjectNode> toolCalls = new LinkedHashMap<>();
        String finishReason = null;
        for (StreamEvent event : response.events()) {
            JsonNode data = event.data();
            if (data == null || !data.isObject()) {
                continue;
            }
            copy(data, body, "model");
            copy(data, body, "id");
            if (data.hasNonNull("usage")) {
                body.set("usage", data.get("usage"));
            }
            JsonNode choice = data.path("choices").path(0);
            JsonNode delta = choice.path("delta");
            if (delta.hasNonNull("content")) {
                content.append(delta.get("content").asText());
                anyContent = true;
            }
            for (JsonNode call : delta.path("tool_calls")) {
                ObjectNode assembled = toolCalls.computeIfAbsent(call.path("index").asInt(), index -> {
                    ObjectNode fresh = NODES.objectNode();
                    fresh.put("type", "function");
                    fresh.putObject("function").put("arguments", "");
                    return fresh;
                });
                copy(call, assembled, "id");
                ObjectNode function = (ObjectNode) assembled.get("function");
                copy(call.path("function"), function, "name");
                function.put("arguments", function.get("arguments").asText()
                        + call.path("function").path("arguments").asText(""));
            }
            if (choice.hasNonNull("finish_reason")) {
                finishReason = choice.get("finish_reason").asText();
            }
        }
        ObjectNode message = NODES.objectNode();
        message.put("role", "assistant");
        message.set("content", anyContent ? NODES.textNode(content.toString()) : NODES.nullNode());
        if (!toolCalls.isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            toolCalls.values().forEach(calls::add);
        }
        ObjectNode choice = body.putArray("choices").addObject();
        choice.set("message", message);
        choice.put("finish_reason", finishReason);
        return body;
    }

    private static JsonNode assembleAnthropic(RecordedResponse response) {
        ObjectNode body = NODES.objectNode();
        ArrayNode content = NODES.arrayNode();
        ObjectNode usage = NODES.objectNode();
        Map<Integer, StringBuilder> partialJson = new LinkedHashMap<>();
        for (StreamEvent event : response.events()) {
            JsonNode data = event.data();
            if (data == null || !data.isObject()) {
                continue;
            }
            switch (data.path("type").asText()) {
                case "message_start" -> {
                    JsonNode message = data.path("message");
                    copy(message, body, "id");
                    copy(message, body, "model");
                    message.path("usage").fields().forEachRemaining(field -> usage.set(field.getKey(),
                            field.getValue()));
                }
                case "content_block_start" -> content.add(data.path("content_block").deepCopy());
                case "content_block_delta" -> {
                    int index = data.path("index").asInt();
                    JsonNode delta = data.path("delta");
                    if (index < content.size() && content.get(index) instanceof ObjectNode block) {
                        if (delta.has("text")) {
                            block.put("text", block.path("text").asText("") + delta.get("text").asText());
                        } else if (delta.has("partial_json")) {
                            partialJson.computeIfAbsent(index, key -> new StringBuilder())
                                    .append(delta.get("partial_json").asText());
                        }
                    }
                }
                case "message_delta" -> {
                    copy(data.path("delta"), body, "stop_reason");
                    data.path("usage").fields().forEachRemaining(field -> usage.set(field.getKey(),
                            field.getValue()));
                }
                default -> {
                    // ping, content_block_stop, message_stop: nothing to assemble
                }
            }
        }
        partialJson.forEach((index, json) -> {
            if (content.get(index) instanceof ObjectNode block) {
                try {
                    block.set("input", Recordings.MAPPER.readTree(json.toString()));
                } catch (java.io.IOException notJson) {
                    block.put("input", json.toString());
                }
            }
        });
        body.set("content", content);
        body.set("usage", usage);
        return body;
    }

    private static String errorMessage(RecordedResponse response, JsonNode body) {
        JsonNode error = body.path("error");
        String message = error.isObject() ? text(error.get("message"), null) : text(error, null);
        return "HTTP " + response.status() + (message == null ? "" : ": " + message);
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        if (from.hasNonNull(field)) {
            to.set(field, from.get(field));
        }
    }

    private static void putPositive(Map<String, Long> details, String name, long value) {
        if (value > 0) {
            details.put(name, value);
        }
    }

    private static String text(JsonNode node, String otherwise) {
        return node == null || node.isNull() || node.isMissingNode() ? otherwise
                : node.isValueNode() ? node.asText() : node.toString();
    }
}
