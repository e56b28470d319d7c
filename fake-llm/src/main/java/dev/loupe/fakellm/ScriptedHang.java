package dev.loupe.fakellm;

/**
 * A scripted request that never gets an answer: the server holds it until the server closes, so the application's
 * client runs into its timeout. Created by {@link FakeLlm#hang()} and already queued.
 */
public final class ScriptedHang implements Step {

    private volatile int times = 1;

    ScriptedHang() {
    }

    /** Holds the next {@code count} chat requests instead of one, for example to use up the client's retries. */
    public ScriptedHang times(int count) {
        this.times = Step.checkedTimes(count);
        return this;
    }

    @Override
    public int times() {
        return times;
    }
}
