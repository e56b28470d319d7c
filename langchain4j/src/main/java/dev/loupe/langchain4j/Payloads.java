package dev.loupe.langchain4j;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.loupe.trace.Usage;
import dev.loupe.trace.spi.JsonPayload;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns LangChain4j's messages, parameters and usage into Loupe payloads in the GenAI vocabulary Loupe uses
 * everywhere: chat messages in OpenAI's chat shape ({@code role}, {@code content}, {@code tool_calls},
 * {@code tool_call_id}), parameters by their OpenAI names, usage details {@code input}, {@code output},
 * {@code total}, {@code cached_input} and {@code reasoning}.
 */
final class Payloads {

    /** Usage detail key of the input tokens served from the provider's prompt cache (part of {@code input}). */
    static final String CACHED_INPUT = "cached_input";
    /** Usage detail key of the output tokens spent on reasoning (part of {@code output}). */
    static final String REASONING = "reasoning";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean OPENAI_PRESENT = present("dev.langchain4j.model.openai.OpenAiTokenUsage");

    private Payloads() {
    }

    /** Returns the messages in OpenAI's chat shape, immutable. */
    static Object messages(List<ChatMessage> messages) {
        List<Map<String, Object>> result = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            result.add(message(message));
        }
        return immutable(result);
    }

    /**
     * Returns a payload of maps and lists as the JDK's immutable collections, without null values. The engine keeps
     * such a payload as it is and serializes it on its writer thread, not on the application's: recording a model
     * call then costs the application no JSON. Key order is not kept, which JSON does not promise either.
     */
    static Object immutable(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> {
                if (key != null && item != null) {
                    copy.put(key, immutable(item));
                }
            });
            return Map.copyOf(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object item : list) {
                if (item != null) {
                    copy.add(immutable(item));
                }
            }
            return List.copyOf(copy);
        }
        return value;
    }

    static Map<String, Object> message(ChatMessage message) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (message instanceof SystemMessage system) {
            map.put("role", "system");
            map.put("content", system.text());
        } else if (message instanceof UserMessage user) {
            map.put("role", "user");
            map.put("content", user.hasSingleText() ? user.singleText() : parts(user.contents()));
            if (user.name() != null) {
                map.put("name", user.name());
            }
        } else if (message instanceof AiMessage ai) {
            return assistant(ai);
        } else if (message instanceof ToolExecutionResultMessage tool) {
            map.put("role", "tool");
            map.put("tool_call_id", tool.id());
            map.put("name", tool.toolName());
            map.put("content", tool.text());
        } else if (message != null) {
            map.put("role", message.type().name().toLowerCase(Locale.ROOT));
            map.put("content", message.toString());
        }
        return map;
    }

    /** Returns an assistant message: its text, its reasoning when the model showed it, and its tool calls. */
    static Map<String, Object> assistant(AiMessage ai) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("role", "assistant");
        map.put("content", ai.text());
        if (ai.thinking() != null) {
            map.put("reasoning_content", ai.thinking());
        }
        if (ai.hasToolExecutionRequests()) {
            List<Map<String, Object>> calls = new ArrayList<>();
            for (ToolExecutionRequest request : ai.toolExecutionRequests()) {
                Map<String, Object> function = new LinkedHashMap<>();
                function.put("name", request.name());
                function.put("arguments", request.arguments());
                Map<String, Object> call = new LinkedHashMap<>();
                call.put("id", request.id());
                call.put("type", "function");
                call.put("function", function);
                calls.add(call);
            }
            map.put("tool_calls", calls);
        }
        return map;
    }

    private static List<Map<String, Object>> parts(List<Content> contents) {
        List<Map<String, Object>> parts = new ArrayList<>();
        for (Content content : contents) {
            Map<String, Object> part = new LinkedHashMap<>();
            if (content instanceof TextContent text) {
                part.put("type", "text");
                part.put("text", text.text());
            } else if (content instanceof ImageContent image && image.image() != null && image.image().url() != null) {
                part.put("type", "image_url");
                part.put("image_url", Map.of("url", image.image().url().toString()));
            } else {
                part.put("type", content.type().name().toLowerCase(Locale.ROOT));
            }
            parts.add(part);
        }
        return parts;
    }

    /** Returns the parameters that were set, by their OpenAI names. */
    static Map<String, Object> parameters(ChatRequestParameters parameters) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (parameters == null) {
            return map;
        }
        putIfSet(map, "temperature", parameters.temperature());
        putIfSet(map, "top_p", parameters.topP());
        putIfSet(map, "top_k", parameters.topK());
        putIfSet(map, "max_tokens", parameters.maxOutputTokens());
        putIfSet(map, "frequency_penalty", parameters.frequencyPenalty());
        putIfSet(map, "presence_penalty", parameters.presencePenalty());
        if (parameters.stopSequences() != null && !parameters.stopSequences().isEmpty()) {
            map.put("stop", List.copyOf(parameters.stopSequences()));
        }
        if (parameters.toolChoice() != null) {
            map.put("tool_choice", parameters.toolChoice().name().toLowerCase(Locale.ROOT));
        }
        ResponseFormat format = parameters.responseFormat();
        if (format != null && format.type() != null) {
            map.put("response_format", format.type().name().toLowerCase(Locale.ROOT));
        }
        return map;
    }

    /** Returns the names of the tools the request offered, or null when it offered none. */
    static List<String> toolNames(ChatRequestParameters parameters) {
        if (parameters == null || parameters.toolSpecifications() == null
                || parameters.toolSpecifications().isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (ToolSpecification tool : parameters.toolSpecifications()) {
            names.add(tool.name());
        }
        return names;
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** Returns the finish reason in OpenAI's words ({@code stop}, {@code length}, {@code tool_calls}, ...). */
    static String finishReason(FinishReason reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_EXECUTION -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            default -> reason.name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Returns the usage with the details the provider reported: {@code input}, {@code output}, {@code total}, and for
     * OpenAI {@code cached_input} and {@code reasoning}; null when the response reported none.
     */
    static Usage usage(TokenUsage tokens) {
        if (tokens == null || (tokens.inputTokenCount() == null && tokens.outputTokenCount() == null)) {
            return null;
        }
        long input = tokens.inputTokenCount() == null ? 0 : tokens.inputTokenCount();
        long output = tokens.outputTokenCount() == null ? 0 : tokens.outputTokenCount();
        long total = tokens.totalTokenCount() == null ? input + output : tokens.totalTokenCount();
        Map<String, Long> extra = OPENAI_PRESENT ? OpenAiUsageDetails.of(tokens) : null;
        if (extra == null || extra.isEmpty()) {
            return Usage.of(input, output, total);
        }
        Map<String, Long> details = new LinkedHashMap<>();
        details.put(Usage.INPUT, input);
        details.put(Usage.OUTPUT, output);
        details.put(Usage.TOTAL, total);
        details.putAll(extra);
        return new Usage(details);
    }

    /** Returns the text the AI service returned: a String as it is, the text or content of a result. */
    static Object result(Object value) {
        if (value instanceof ChatResponse response) {
            return response.aiMessage() == null ? null : response.aiMessage().text();
        }
        if (value != null && value.getClass().getName().equals("dev.langchain4j.service.Result")) {
            try {
                return value.getClass().getMethod("content").invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return value.toString();
            }
        }
        return value;
    }

    /**
     * Returns a text as a JSON payload when it is a JSON object or array (tool arguments, structured tool results),
     * so that assertions can read into it; otherwise null.
     */
    static JsonPayload jsonOrNull(String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty() || (trimmed.charAt(0) != '{' && trimmed.charAt(0) != '[')) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(trimmed)) {
            while (parser.nextToken() != null) {
                // Reads to the end: a payload is only JSON when all of it is.
            }
            return new JsonPayload(trimmed);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Payloads.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
