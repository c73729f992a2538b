package dev.weft.daemon.api;

import dev.weft.core.peer.PeerId;
import java.util.Map;

/**
 * The check before an operator removes a peer: refuse while anyone heard from it within a grace period.
 * The times come from the transport, which gossips when each peer last heard from each install, so a peer
 * still talking to another part of the cluster counts even when this node's own link to it is closed (an
 * idle or cut link is not evidence of death). The CLI's rmpeer, Kubernetes mode's reclaim and a successor's
 * wait all ask it, with the one length weftd was started with ({@code --removal-grace}).
 *
 * @param millis how long an install must have been silent, to everyone, before it may be removed
 */
public record RemovalGrace(long millis) {
    /**
     * The default: longer than the transport's keepalive (10 s), membership rounds (5 s) and its longest
     * reconnect back-off (30 s), so a live peer whose links flap is still heard within it.
     */
    public static final RemovalGrace STANDARD = new RemovalGrace(60_000);
    /**
     * The shortest allowed: a live, connected peer is heard at least every keepalive (10 s) and membership
     * round (5 s), so anything shorter could call a live peer silent.
     */
    public static final long MIN_MILLIS = 15_000;

    public RemovalGrace {
        if (millis < MIN_MILLIS) {
            throw new IllegalArgumentException("a removal grace of " + millis + " ms is shorter than the "
                    + MIN_MILLIS / 1000 + " s in which a live peer is surely heard from");
        }
    }

    /**
     * Why the removal of {@code target} (a name, or name#uid) must wait, or null when nobody heard from it
     * within the grace period.
     */
    public String heardRecently(String target, Map<PeerId, Long> lastHeard, long now) {
        Heard h = heardWithinGrace(target, lastHeard, now);
        if (h == null) {
            return null;
        }
        return h.peer() + " was heard from " + h.agoMillis() / 1000 + " s ago (by this peer or one it gossips"
                + " with), so it may still be alive and handing out addresses. Stop it and retry in "
                + (h.remainingMillis() + 999) / 1000 + " s (after " + millis / 1000 + " s without word from it),"
                + " or add --force only if you are sure it is gone for good";
    }

    /** An install matching a target, how long ago anyone last heard from it, and the grace it is held to. */
    public record Heard(PeerId peer, long agoMillis, long graceMillis) {
        /** How much longer it must stay silent before the grace is over. */
        public long remainingMillis() {
            return Math.max(0, graceMillis - agoMillis);
        }
    }

    /**
     * An install matching {@code target} (a name, or name#uid) that someone heard from within the grace
     * period, or null when none: the one rule behind both an operator's removal and a successor's wait.
     */
    public Heard heardWithinGrace(String target, Map<PeerId, Long> lastHeard, long now) {
        for (Map.Entry<PeerId, Long> e : lastHeard.entrySet()) {
            PeerId p = e.getKey();
            if (!(p.toString().equals(target) || p.name().equals(target))) {
                continue;
            }
            long ago = now - e.getValue();
            if (e.getValue() > 0 && ago < millis) {
                return new Heard(p, Math.max(0, ago), millis);
            }
        }
        return null;
    }
}
