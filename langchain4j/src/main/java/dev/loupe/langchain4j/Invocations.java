package dev.loupe.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.loupe.trace.ObservationLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The AI service invocations being recorded in this JVM, by LangChain4j's invocation id, shared by every listener
 * Loupe gives out: a retriever or a chat model listener finds the invocation it works for here.
 */
final class Invocations {

    /** Invocations begun and not ended at once beyond which new ones are not recorded (and the drop is counted). */
    static final int MAX_OPEN = 10_000;

    /** How long an invocation may stay open before a full table ends it as abandoned. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);

    private static final Map<UUID, Invocation> OPEN = new ConcurrentHashMap<>();

    /**
     * The model request an AI service listener just announced on this thread; the chat model listener that hears of
     * the same request next on this thread leaves it to the AI service listener, so it is recorded once.
     */
    private static final ThreadLocal<ChatMessage> ANNOUNCED = new ThreadLocal<>();

    private Invocations() {
    }

    /**
     * Returns whether no more invocations can be recorded, after ending those begun longer ago than
     * {@link #ABANDONED_AFTER} (a streaming invocation whose stream was never started stays open forever).
     */
    static boolean full() {
        if (OPEN.size() < MAX_OPEN) {
            return false;
        }
        Instant limit = Instant.now().minus(ABANDONED_AFTER);
        OPEN.entrySet().removeIf(entry -> {
            Invocation invocation = entry.getValue();
            if (invocation.agent.startTime() == null || invocation.agent.startTime().isAfter(limit)) {
                return false;
            }
            invocation.agent.level(ObservationLevel.WARNING)
                    .statusMessage("abandoned: no completion or error reported within " + ABANDONED_AFTER).end();
            return true;
        });
        return OPEN.size() >= MAX_OPEN;
    }

    static void put(UUID id, Invocation invocation) {
        OPEN.put(id, invocation);
    }

    static Invocation get(UUID id) {
        return id == null ? null : OPEN.get(id);
    }

    static Invocation remove(UUID id) {
        return id == null ? null : OPEN.remove(id);
    }

    static int open() {
        return OPEN.size();
    }

    /** Notes that an AI service is about to send this request on this thread. */
    static void announce(ChatRequest request) {
        ANNOUNCED.set(last(request.messages()));
    }

    /**
     * Returns whether an AI service listener announced this request on this thread (and forgets the announcement).
     * The model sees a copy of the request that holds the same message objects.
     */
    static boolean claimAnnounced(ChatRequest request) {
        ChatMessage announced = ANNOUNCED.get();
        if (announced == null) {
            return false;
        }
        ANNOUNCED.remove();
        return announced == last(request.messages());
    }

    private static ChatMessage last(List<ChatMessage> messages) {
        return messages == null || messages.isEmpty() ? null : messages.get(messages.size() - 1);
    }
}
