package dev.loupe.springai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.loupe.trace.Usage;
import dev.loupe.trace.spi.JsonPayload;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.content.Media;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * Turns Spring AI's values into Loupe's GenAI vocabulary: chat messages in OpenAI's shape ({@code role},
 * {@code content}, {@code tool_calls}, {@code tool_call_id}), model parameters in snake case, and usage details under
 * the keys of {@link Usage} ({@code input}, {@code output}, {@code total}, {@code cached_input}, {@code reasoning}).
 */
final class SpringAiPayloads {

    /** Usage detail: input tokens read from the provider's prompt cache. */
    static final String CACHED_INPUT = "cached_input";
    /** Usage detail: input tokens written to the provider's prompt cache. */
    static final String CACHE_CREATION_INPUT = "cache_creation_input";
    /** Usage detail: output tokens the model spent reasoning. */
    static final String REASONING = "reasoning";

    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_NATIVE_DEPTH = 2;

    /** The accessors of each record type met as a provider's native usage, by component name. */
    private static final ClassValue<Map<String, Method>> RECORD_ACCESSORS = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            Map<String, Method> accessors = new LinkedHashMap<>();
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    Method accessor = component.getAccessor();
                    try {
                        accessor.setAccessible(true);
                        accessors.put(component.getName(), accessor);
                    } catch (RuntimeException inaccessible) {
                        // a record of a closed module: its details are not read
                    }
                }
            }
            return accessors;
        }
    };

    private SpringAiPayloads() {
    }

    /** Returns the messages in OpenAI's shape; a tool response message becomes one message per tool result. */
    static List<Map<String, Object>> messages(List<? extends Message> messages) {
        List<Map<String, Object>> shaped = new ArrayList<>(messages.size());
        for (Message message : messages) {
            if (message instanceof ToolResponseMessage toolResponses) {
                for (ToolResponseMessage.ToolResponse response : toolResponses.getResponses()) {
                    Map<String, Object> shapedResponse = new LinkedHashMap<>();
                    shapedResponse.put("role", "tool");
                    shapedResponse.put("tool_call_id", response.id());
                    shapedResponse.put("name", response.name());
                    shapedResponse.put("content", response.responseData());
                    shaped.add(shapedResponse);
                }
            } else if (message != null) {
                shaped.add(message(message));
            }
        }
        return shaped;
    }

    /** Returns one message in OpenAI's shape. */
    static Map<String, Object> message(Message message) {
        Map<String, Object> shaped = new LinkedHashMap<>();
        shaped.put("role", message.getMessageType().getValue());
        shaped.put("content", message.getText());
        if (message instanceof AssistantMessage assistant && assistant.hasToolCalls()) {
            List<Map<String, Object>> calls = new ArrayList<>();
            for (AssistantMessage.ToolCall call : assistant.getToolCalls()) {
                Map<String, Object> function = new LinkedHashMap<>();
                function.put("name", call.name());
                function.put("arguments", call.arguments());
                Map<String, Object> shapedCall = new LinkedHashMap<>();
                shapedCall.put("id", call.id());
                shapedCall.put("type", call.type() == null ? "function" : call.type());
                shapedCall.put("function", function);
                calls.add(shapedCall);
            }
            shaped.put("tool_calls", calls);
        }
        List<Media> media = message instanceof UserMessage user ? user.getMedia()
                : message instanceof AssistantMessage assistant ? assistant.getMedia() : List.of();
        if (media != null && !media.isEmpty()) {
            List<Map<String, Object>> parts = new ArrayList<>();
            for (Media item : media) {
                Map<String, Object> part = new LinkedHashMap<>();
                part.put("mime_type", String.valueOf(item.getMimeType()));
                if (item.getName() != null) {
                    part.put("name", item.getName());
                }
                parts.add(part);
            }
            shaped.put("media", parts);
        }
        return shaped;
    }

    /** Returns the answer of a chat response: its one message, or the list of its messages when it has several. */
    static Object answer(ChatResponse response) {
        List<Generation> results = response.getResults();
        if (results == null || results.isEmpty()) {
            return null;
        }
        if (results.size() == 1) {
            return results.get(0).getOutput() == null ? null : message(results.get(0).getOutput());
        }
        List<Map<String, Object>> answers = new ArrayList<>(results.size());
        for (Generation result : results) {
            if (result.getOutput() != null) {
                answers.add(message(result.getOutput()));
            }
        }
        return answers;
    }

    /** Returns the finish reasons of a chat response, lower case, or null when it reports none. */
    static String finishReason(ChatResponse response) {
        List<String> reasons = new ArrayList<>();
        for (Generation result : response.getResults()) {
            if (result.getMetadata() != null && result.getMetadata().getFinishReason() != null
                    && !result.getMetadata().getFinishReason().isBlank()) {
                reasons.add(result.getMetadata().getFinishReason().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return reasons.isEmpty() ? null : String.join(",", reasons);
    }

    /** Returns the model parameters of chat options, in snake case; the tools offered to the model included. */
    static Map<String, Object> parameters(ChatOptions options) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (options == null) {
            return parameters;
        }
        putIfSet(parameters, "temperature", options.getTemperature());
        putIfSet(parameters, "max_tokens", options.getMaxTokens());
        putIfSet(parameters, "top_p", options.getTopP());
        putIfSet(parameters, "top_k", options.getTopK());
        putIfSet(parameters, "frequency_penalty", options.getFrequencyPenalty());
        putIfSet(parameters, "presence_penalty", options.getPresencePenalty());
        if (options.getStopSequences() != null && !options.getStopSequences().isEmpty()) {
            parameters.put("stop", List.copyOf(options.getStopSequences()));
        }
        if (options instanceof ToolCallingChatOptions toolOptions) {
            List<String> tools = new ArrayList<>();
            for (ToolCallback callback : toolOptions.getToolCallbacks()) {
                tools.add(callback.getToolDefinition().name());
            }
            if (!tools.isEmpty()) {
                parameters.put("tools", tools);
            }
        }
        return parameters;
    }

    private static void putIfSet(Map<String, Object> parameters, String key, Object value) {
        if (value != null) {
            parameters.put(key, value);
        }
    }

    /**
     * Returns the usage of a Spring AI response in Loupe's keys, with the cached and reasoning tokens the provider's
     * native usage reports (OpenAI's {@code prompt_tokens_details.cached_tokens} and
     * {@code completion_tokens_details.reasoning_tokens}, Anthropic's cache reads and writes); null when the response
     * reports no usage.
     */
    static Usage usage(org.springframework.ai.chat.metadata.Usage usage) {
        if (usage == null || (usage.getPromptTokens() == null && usage.getCompletionTokens() == null)) {
            return null;
        }
        long input = usage.getPromptTokens() == null ? 0 : usage.getPromptTokens();
        long output = usage.getCompletionTokens() == null ? 0 : usage.getCompletionTokens();
        long total = usage.getTotalTokens() == null ? input + output : usage.getTotalTokens();
        Object nativeUsage = usage.getNativeUsage();
        if (nativeUsage == null || !nativeUsage.getClass().isRecord()) {
            return Usage.of(input, output, total);
        }
        Map<String, Long> details = new LinkedHashMap<>();
        details.put(Usage.INPUT, input);
        details.put(Usage.OUTPUT, output);
        details.put(Usage.TOTAL, total);
        putDetail(details, CACHED_INPUT, nativeNumber(nativeUsage, "promptTokensDetails", "cachedTokens"));
        putDetail(details, CACHED_INPUT, nativeNumber(nativeUsage, "cacheReadInputTokens"));
        putDetail(details, CACHE_CREATION_INPUT, nativeNumber(nativeUsage, "cacheCreationInputTokens"));
        putDetail(details, REASONING, nativeNumber(nativeUsage, "completionTokenDetails", "reasoningTokens"));
        return new Usage(details);
    }

    /** Returns the usage of a chat response, or null. */
    static Usage usage(ChatResponse response) {
        ChatResponseMetadata metadata = response == null ? null : response.getMetadata();
        return metadata == null ? null : usage(metadata.getUsage());
    }

    /** Returns whether the usage is the provider's own report of one call rather than a sum Spring AI made. */
    static boolean isSingleCall(org.springframework.ai.chat.metadata.Usage usage) {
        return usage != null && usage.getNativeUsage() != null;
    }

    /** Returns the usage of this call alone: the cumulative usage less the cumulative usage before it. */
    static Usage minus(Usage cumulative, Usage before) {
        if (cumulative == null || before == null) {
            return cumulative;
        }
        long input = nonNegative(cumulative.input(), before.input());
        long output = nonNegative(cumulative.output(), before.output());
        return Usage.of(input, output, nonNegative(cumulative.total(), before.total()));
    }

    private static long nonNegative(Long value, Long less) {
        return Math.max(0, (value == null ? 0 : value) - (less == null ? 0 : less));
    }

    private static void putDetail(Map<String, Long> details, String key, Number value) {
        if (value != null && value.longValue() > 0) {
            details.merge(key, value.longValue(), Long::sum);
        }
    }

    /** Reads a number from a provider's native usage record by component names; null when it has no such path. */
    private static Number nativeNumber(Object nativeUsage, String... path) {
        Object value = nativeUsage;
        for (int i = 0; i < path.length && i <= MAX_NATIVE_DEPTH; i++) {
            if (value == null || !value.getClass().isRecord()) {
                return null;
            }
            Method accessor = RECORD_ACCESSORS.get(value.getClass()).get(path[i]);
            if (accessor == null) {
                return null;
            }
            try {
                value = accessor.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException unreadable) {
                return null;
            }
        }
        return value instanceof Number number ? number : null;
    }

    /** Returns the text as a JSON payload when it is a JSON document, as it is otherwise. */
    static Object jsonOrText(String text) {
        if (text == null) {
            return null;
        }
        return isJson(text) ? new JsonPayload(text) : text;
    }

    private static boolean isJson(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return false;
        }
        char first = trimmed.charAt(0);
        if (first != '{' && first != '[' && first != '"') {
            return false;
        }
        try (JsonParser parser = JSON.createParser(trimmed)) {
            while (parser.nextToken() != null) {
                parser.skipChildren();
            }
            return true;
        } catch (IOException | RuntimeException notJson) {
            return false;
        }
    }
}
