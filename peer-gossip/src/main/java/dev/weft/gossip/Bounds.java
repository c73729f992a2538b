package dev.weft.gossip;

import java.time.Duration;

/**
 * Limits on what one transport holds and accepts.
 *
 * @param maxFrameBytes the largest frame sent or accepted (a whole ring of 5000 peers is ~0.6 MB)
 * @param maxLinks how many links are open at once; past it the least recently used idle link is closed
 * @param idleTimeout a link with no traffic for this long is closed (its peer stays up)
 * @param keepalive how often an open link is pinged; a link whose pings go unanswered has failed
 * @param backoffBase first delay before redialling a failed peer; doubles per failure, with jitter
 * @param backoffMax the longest delay between redials
 * @param sendQueue messages held per peer while its link is being opened; more are dropped and counted
 * @param membershipInterval how often the known-peers list (with last-heard times) goes to one random link
 */
public record Bounds(int maxFrameBytes, int maxLinks, Duration idleTimeout, Duration keepalive, Duration backoffBase,
        Duration backoffMax, int sendQueue, Duration membershipInterval) {

    public Bounds {
        if (maxFrameBytes < 1024 || maxFrameBytes > 64 << 20) {
            throw new IllegalArgumentException("max frame " + maxFrameBytes + " bytes: use 1 KiB to 64 MiB");
        }
        if (maxLinks < 1 || sendQueue < 1) {
            throw new IllegalArgumentException("max links and send queue must be at least 1");
        }
        for (Duration d : new Duration[] {idleTimeout, keepalive, backoffBase, backoffMax, membershipInterval}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts and back-off must be positive durations");
            }
        }
        if (backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("back-off max " + backoffMax + " is below its base " + backoffBase);
        }
    }

    public static Bounds defaults() {
        return new Bounds(4 << 20, 64, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofMillis(200),
                Duration.ofSeconds(30), 256, Duration.ofSeconds(5));
    }
}
