package dev.portcullis.oci.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * The clock tests move by hand, so expiries, leases and retries are tested without waiting: either the real time
 * plus an offset (for code that also waits on real time, such as a running gate), or a fixed start plus an offset.
 */
public final class MovableClock extends Clock {
    private final Supplier<Instant> base;
    private volatile Duration offset = Duration.ZERO;

    private MovableClock(Supplier<Instant> base) {
        this.base = base;
    }

    /** The real time, moved by what the test adds. */
    public static MovableClock realTime() {
        return new MovableClock(Instant::now);
    }

    /** {@code start}, moved only by what the test adds. */
    public static MovableClock fixedAt(Instant start) {
        return new MovableClock(() -> start);
    }

    /** Moves the clock on by {@code d}. */
    public void advance(Duration d) {
        offset = offset.plus(d);
    }

    /** Sets how far the clock is moved from its base ({@link Duration#ZERO} puts it back). */
    public void setOffset(Duration d) {
        offset = d;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return base.get().plus(offset);
    }
}
