package dev.loupe.trace.spi;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes ids in W3C Trace Context form, so traces round-trip with OpenTelemetry: the tracer's own, and those of the
 * records an adapter makes itself.
 */
public final class RecordIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RecordIds() {
    }

    /** Returns a random trace id: 32 lowercase hex digits, never all zeros. */
    public static String traceId() {
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

    /** Returns a random observation id: 16 lowercase hex digits, never all zeros (a W3C span id). */
    public static String observationId() {
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
