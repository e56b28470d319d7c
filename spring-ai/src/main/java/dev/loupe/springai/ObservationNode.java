package dev.loupe.springai;

import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Tracer;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * The Loupe observation that one Spring AI (Micrometer) observation becomes, from its start to its stop. It is kept
 * in the Micrometer context, where its children find it as their parent.
 */
final class ObservationNode {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    final Tracer tracer;
    final String traceId;
    final String id;
    /** The Loupe observation it is nested in, or null at the top of its trace. */
    final String parentId;
    /** The node it is nested in when that is a Spring AI observation too; null otherwise. */
    final ObservationNode parent;
    final ObservationType type;
    final String name;
    final Instant startTime;

    /**
     * When a model call's own answer had ended: in streaming with tools, Spring AI runs the tool calls and the next
     * round inside the model call's observation, which stops only when the last round does.
     */
    private Instant ownEndTime;
    /** The prompt of the next round, in streaming with tools: it holds this round's own answer. */
    private Prompt nextRoundPrompt;

    ObservationNode(Tracer tracer, String traceId, String parentId, ObservationNode parent, ObservationType type,
            String name, Instant startTime) {
        this.tracer = tracer;
        this.traceId = traceId;
        this.id = observationId();
        this.parentId = parentId;
        this.parent = parent;
        this.type = type;
        this.name = name;
        this.startTime = startTime;
    }

    boolean isTraceRoot() {
        return parentId == null;
    }

    /** Records that work nested in this model call started, so its own answer had ended by then. */
    synchronized void nestedWorkStarted(Instant time, Prompt nextPrompt) {
        if (ownEndTime == null) {
            ownEndTime = time;
        }
        if (nextPrompt != null && nextRoundPrompt == null) {
            nextRoundPrompt = nextPrompt;
        }
    }

    synchronized Instant ownEndTime() {
        return ownEndTime;
    }

    synchronized Prompt nextRoundPrompt() {
        return nextRoundPrompt;
    }

    /** Returns a random trace id in W3C form: 32 lowercase hex digits, never all zeros. */
    static String traceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low;
        do {
            low = random.nextLong();
        } while (high == 0 && low == 0);
        char[] chars = new char[32];
        hex(high, chars, 0);
        hex(low, chars, 16);
        return new String(chars);
    }

    private static String observationId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long value;
        do {
            value = random.nextLong();
        } while (value == 0);
        char[] chars = new char[16];
        hex(value, chars, 0);
        return new String(chars);
    }

    private static void hex(long value, char[] into, int offset) {
        for (int i = 15; i >= 0; i--) {
            into[offset + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }
}
