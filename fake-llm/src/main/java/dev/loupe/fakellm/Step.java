package dev.loupe.fakellm;

/** One entry of a {@link FakeLlm}'s script, served to the next chat-completions request(s). */
interface Step {

    /** Returns how many requests this entry answers before the next one takes over. */
    int times();

    /** Checks and returns a repeat count, naming the bad value. */
    static int checkedTimes(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, but was " + times
                    + ": a scripted entry answers one or more requests");
        }
        return times;
    }
}
