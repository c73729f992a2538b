package dev.weft.daemon.api;

import dev.weft.core.peer.PeerId;
import java.util.Map;

/**
 * The check before an operator removes a peer: refuse while anyone heard from it within a grace period.
 * The times come from the transport, which gossips when each peer last heard from each install, so a peer
 * still talking to another part of the cluster counts even when this node's own link to it is closed (an
 * idle or cut link is not evidence of death). The CLI's rmpeer and Kubernetes mode's reclaim both ask it.
 */
public final class RemovalGrace {
    /** Longer than the transport's keepalive and gossip rounds, so a live peer is always heard within it. */
    public static final long GRACE_MILLIS = 60_000;

    private RemovalGrace() {}

    /**
     * Why the removal of {@code target} (a name, or name#uid) must wait, or null when nobody heard from it
     * within the grace period.
     */
    public static String heardRecently(String target, Map<PeerId, Long> lastHeard, long now) {
        Heard h = heardWithinGrace(target, lastHeard, now);
        if (h == null) {
            return null;
        }
        return h.peer() + " was heard from " + h.agoMillis() / 1000 + " s ago (by this peer or one it gossips"
                + " with), so it may still be alive and handing out addresses. Stop it and retry in "
                + (h.remainingMillis() + 999) / 1000 + " s (after " + GRACE_MILLIS / 1000 + " s without word from it),"
                + " or add --force only if you are sure it is gone for good";
    }

    /** An install matching a target, and how long ago anyone last heard from it. */
    public record Heard(PeerId peer, long agoMillis) {
        /** How much longer it must stay silent before the grace is over. */
        public long remainingMillis() {
            return Math.max(0, GRACE_MILLIS - agoMillis);
        }
    }

    /**
     * An install matching {@code target} (a name, or name#uid) that someone heard from within the grace
     * period, or null when none: the one rule behind both an operator's removal and a successor's wait.
     */
    public static Heard heardWithinGrace(String target, Map<PeerId, Long> lastHeard, long now) {
        for (Map.Entry<PeerId, Long> e : lastHeard.entrySet()) {
            PeerId p = e.getKey();
            if (!(p.toString().equals(target) || p.name().equals(target))) {
                continue;
            }
            long ago = now - e.getValue();
            if (e.getValue() > 0 && ago < GRACE_MILLIS) {
                return new Heard(p, Math.max(0, ago));
            }
        }
        return null;
    }
}
