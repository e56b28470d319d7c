package dev.loupe.devserver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock moved by hand: the demo data spreads its traces over the last hour with it, and tests pin time with it. */
final class SettableClock extends Clock {

    private Instant now;

    SettableClock(Instant start) {
        this.now = start;
    }

    synchronized void set(Instant instant) {
        now = instant;
    }

    synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
