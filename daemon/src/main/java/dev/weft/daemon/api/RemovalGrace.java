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
        for (Map.Entry<PeerId, Long> e : lastHeard.entrySet()) {
            PeerId p = e.getKey();
            if (!(p.toString().equals(target) || p.name().equals(target))) {
                continue;
            }
            long ago = now - e.getValue();
            if (e.getValue() > 0 && ago < GRACE_MILLIS) {
                return p + " was heard from " + Math.max(0, ago / 1000) + " s ago (by this peer or one it gossips"
                        + " with), so it may still be alive and handing out addresses. Stop it and retry after "
                        + GRACE_MILLIS / 1000 + " s without word from it, or add --force only if you are sure it is"
                        + " gone for good";
            }
        }
        return null;
    }
}
