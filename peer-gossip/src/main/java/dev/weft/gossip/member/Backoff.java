package dev.weft.gossip.member;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Redial delays: exponential in the number of failures in a row, capped, with ±50% jitter so that peers
 * cut off together do not all redial in the same instant when the network heals.
 */
public final class Backoff {
    private final long baseMillis;
    private final long maxMillis;

    public Backoff(Duration base, Duration max) {
        this.baseMillis = base.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** The delay before the next attempt after {@code failures} failures in a row (at least 1). */
    public long delayMillis(int failures, RandomGenerator random) {
        int shift = Math.min(Math.max(failures - 1, 0), 30);
        long plain = Math.min(maxMillis, baseMillis << shift);
        long jittered = plain / 2 + (long) (random.nextDouble() * plain);
        return Math.max(1, Math.min(maxMillis, jittered));
    }
}
