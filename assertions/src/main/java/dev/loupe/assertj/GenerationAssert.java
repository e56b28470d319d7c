package dev.loupe.assertj;

import dev.loupe.model.Observation;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Assertions on a model call (a generation or an embedding), reached with {@code assertThat(tree).generation(name)}:
 * model and parameters, chat messages of the input, output, usage, cost and time to first token.
 */
// Not final: AssertJ's soft assertions subclass it (a proxy) to collect its failures.
public class GenerationAssert extends AbstractObservationAssert<GenerationAssert, Observation> {

    /** Creates the assertion on a model call on its own; prefer navigating from {@code assertThat(tree)}. */
    public GenerationAssert(Observation actual) {
        super(actual, GenerationAssert.class);
    }

    /** Verifies the model name, such as {@code gpt-4o-mini}. */
    public GenerationAssert hasModel(String expected) {
        isNotNull();
        return verify(Objects.equals(actual.model(), expected) ? null
                : LoupeErrors.shouldHave(subject(), "model", expected, actual.model()));
    }

    /** Verifies one model parameter, such as {@code hasModelParameter("temperature", 0.2)}; compared as JSON. */
    public GenerationAssert hasModelParameter(String name, Object value) {
        isNotNull();
        return verify(PayloadChecks.entry(subject(), "model parameter", actual.modelParameters(), name, value));
    }

    /** Verifies the prompt template the call used. */
    public GenerationAssert hasPrompt(String name, int version) {
        isNotNull();
        String expected = name + " v" + version;
        String found = actual.promptName() == null ? null : actual.promptName() + " v" + actual.promptVersion();
        return verify(Objects.equals(expected, found) ? null
                : LoupeErrors.shouldHave(subject(), "prompt", expected, found));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Chat messages

    /** Verifies that the input has a chat message from the role with exactly this content. */
    public GenerationAssert hasInputMessage(String role, String content) {
        isNotNull();
        List<JsonPayload.ChatMessage> messages = messages();
        boolean found = messages.stream().anyMatch(message -> Objects.equals(message.role(), role)
                && Objects.equals(message.content(), content));
        return verify(found ? null
                : LoupeErrors.shouldHaveInputMessage(subject(), role, content, false, messages, actual.input()));
    }

    /** Verifies that the input has a chat message from the role whose content contains the text. */
    public GenerationAssert hasInputMessageContaining(String role, String text) {
        isNotNull();
        List<JsonPayload.ChatMessage> messages = messages();
        boolean found = messages.stream().anyMatch(message -> Objects.equals(message.role(), role)
                && message.content() != null && message.content().contains(text));
        return verify(found ? null
                : LoupeErrors.shouldHaveInputMessage(subject(), role, text, true, messages, actual.input()));
    }

    /** Verifies the roles of the input's chat messages, in order, such as {@code "system", "user"}. */
    public GenerationAssert hasInputMessageRoles(String... roles) {
        isNotNull();
        List<JsonPayload.ChatMessage> messages = messages();
        List<String> actualRoles = messages.stream().map(JsonPayload.ChatMessage::role).collect(Collectors.toList());
        return verify(actualRoles.equals(Arrays.asList(roles)) ? null
                : LoupeErrors.shouldHaveInputMessageRoles(subject(), Arrays.asList(roles), messages));
    }

    private List<JsonPayload.ChatMessage> messages() {
        return JsonPayload.chatMessages(JsonPayload.parse(actual.input()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Usage, cost, latency

    /** Verifies the input and output tokens the call used. */
    public GenerationAssert hasUsage(long inputTokens, long outputTokens) {
        isNotNull();
        Usage usage = actual.usage();
        boolean same = usage != null && Objects.equals(usage.input(), inputTokens)
                && Objects.equals(usage.output(), outputTokens);
        return verify(same ? null : LoupeErrors.shouldHaveUsage(subject(), inputTokens, outputTokens, usage));
    }

    /** Verifies the input tokens the call used. */
    public GenerationAssert hasInputTokens(long expected) {
        return hasUsageDetail(Usage.INPUT, expected);
    }

    /** Verifies the output tokens the call used. */
    public GenerationAssert hasOutputTokens(long expected) {
        return hasUsageDetail(Usage.OUTPUT, expected);
    }

    /** Verifies the total tokens the call used: the reported total, or input plus output. */
    public GenerationAssert hasTotalTokens(long expected) {
        isNotNull();
        Long total = actual.usage() == null ? null : actual.usage().total();
        return verify(Objects.equals(total, expected) ? null
                : LoupeErrors.shouldHave(subject(), "total tokens", expected, total));
    }

    /** Verifies a named usage detail, such as {@code cached_input} or {@code reasoning}. */
    public GenerationAssert hasUsageDetail(String name, long expected) {
        isNotNull();
        Long detail = actual.usage() == null ? null : actual.usage().detail(name);
        return verify(Objects.equals(detail, expected) ? null
                : LoupeErrors.shouldHave(subject(), "usage detail '" + name + "'", expected, detail));
    }

    /** Verifies that the call used at most this many tokens in total. */
    public GenerationAssert hasTotalTokensAtMost(long limit) {
        isNotNull();
        Long total = actual.usage() == null ? null : actual.usage().total();
        return verify(total != null && total <= limit ? null
                : LoupeErrors.shouldBeAtMost(subject(), "total tokens", String.valueOf(limit),
                        total == null ? null : String.valueOf(total), "the call reported no usage"));
    }

    /** Verifies that the call cost at most this many US dollars. */
    public GenerationAssert hasCostAtMost(double limitUsd) {
        return hasCostAtMost(BigDecimal.valueOf(limitUsd));
    }

    /** Verifies that the call cost at most this many US dollars. */
    public GenerationAssert hasCostAtMost(BigDecimal limitUsd) {
        isNotNull();
        BigDecimal cost = actual.cost() == null ? null : actual.cost().total();
        return verify(cost != null && cost.compareTo(limitUsd) <= 0 ? null
                : LoupeErrors.shouldBeAtMost(subject(), "cost", LoupeErrors.usd(limitUsd),
                        cost == null ? null : LoupeErrors.usd(cost), "the call reported no cost and no price was known"));
    }

    /** Verifies that the first token of the answer arrived at most this long after the call started. */
    public GenerationAssert hasTimeToFirstTokenAtMost(Duration limit) {
        isNotNull();
        Duration time = actual.timeToFirstToken();
        return verify(time != null && time.compareTo(limit) <= 0 ? null
                : LoupeErrors.shouldBeAtMost(subject(), "time to first token", LoupeErrors.duration(limit),
                        time == null ? null : LoupeErrors.duration(time), "the call recorded no completion start"));
    }
}
