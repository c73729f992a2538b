package dev.weft.daemon.loop;

import java.util.function.LongSupplier;

/**
 * The time handed to the core, in milliseconds: the wall clock read once at start, then advanced by the
 * monotonic clock. An NTP step while the daemon runs cannot end a cool-down early or move a deadline back;
 * across a restart the value continues from the wall clock, so stored cool-down ends (written in this
 * clock) still mean "rest until then" after the daemon comes back.
 */
public final class CoreClock implements LongSupplier {
    private final long wallAtStart;
    private final long nanoAtStart;

    public CoreClock() {
        this(System.currentTimeMillis(), System.nanoTime());
    }

    CoreClock(long wallAtStart, long nanoAtStart) {
        this.wallAtStart = wallAtStart;
        this.nanoAtStart = nanoAtStart;
    }

    @Override
    public long getAsLong() {
        return wallAtStart + (System.nanoTime() - nanoAtStart) / 1_000_000;
    }
}
