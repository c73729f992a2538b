package dev.weft.daemon.config;

import dev.weft.core.node.CoreConfig;
import dev.weft.daemon.api.RemovalGrace;
import java.time.Duration;

/**
 * How long the steps of a removal wait: the grace an install must have been silent for before it is removed
 * (rmpeer, Kubernetes mode's reclaim, a successor's wait) and the core's cool-down on what a removal takes
 * over. Neither is what makes a removal safe (a removed install fences itself; a rest also ends only after
 * its hand-over or succession and equal rings with every known install): they are margins on top, which an
 * operator of a small, stable cluster may shorten down to a floor.
 *
 * @param grace the removal grace ({@code --removal-grace})
 * @param takeoverCooldown how long ranges taken from a removed install rest before use, milliseconds
 *     ({@code --takeover-cooldown})
 */
public record RemovalTiming(RemovalGrace grace, long takeoverCooldown) {
    public static final RemovalTiming STANDARD = new RemovalTiming(RemovalGrace.STANDARD, 60_000);
    /** A few gossip rounds (1 s each) and a ring push to every peer fit well within it. */
    public static final long MIN_COOLDOWN_MILLIS = 10_000;

    public RemovalTiming {
        if (grace == null) {
            throw new IllegalArgumentException("a removal timing needs a grace");
        }
        if (takeoverCooldown < MIN_COOLDOWN_MILLIS) {
            throw new IllegalArgumentException("a takeover cool-down of " + takeoverCooldown + " ms is shorter than "
                    + MIN_COOLDOWN_MILLIS / 1000 + " s");
        }
    }

    /** From the flags' text; null or blank keeps the default of each. */
    public static RemovalTiming parse(String grace, String cooldown) throws ConfigException {
        long g = STANDARD.grace().millis();
        if (grace != null && !grace.isBlank()) {
            g = atLeast("--removal-grace (WEFT_REMOVAL_GRACE)", grace, RemovalGrace.MIN_MILLIS,
                    "a live peer is heard from at least every keepalive (10 s) and membership round (5 s)");
        }
        long c = STANDARD.takeoverCooldown();
        if (cooldown != null && !cooldown.isBlank()) {
            c = atLeast("--takeover-cooldown (WEFT_TAKEOVER_COOLDOWN)", cooldown, MIN_COOLDOWN_MILLIS,
                    "the takeover must reach every peer before the ranges are used");
        }
        return new RemovalTiming(new RemovalGrace(g), c);
    }

    /** The core's knobs with this cool-down. */
    public CoreConfig applyTo(CoreConfig c) {
        return new CoreConfig(c.universe(), c.bootstrap(), c.gossipInterval(), c.fanout(), c.askTimeout(),
                c.requestDeadline(), c.freeReportInterval(), c.freeReportQuiet(), takeoverCooldown, c.paxosRetry(),
                c.uniqueNames());
    }

    private static long atLeast(String flag, String text, long min, String why) throws ConfigException {
        Duration d = TimeText.parse(flag, text, "60s, 2m or 1h (default 60s)");
        if (d.toMillis() < min) {
            throw new ConfigException(flag + " " + text.trim() + " is too short: " + why + ". Give " + min / 1000
                    + "s or more (default 60s)");
        }
        return d.toMillis();
    }
}
