package dev.weft.daemon.kube;

import dev.weft.core.peer.PeerId;
import dev.weft.daemon.api.RemovalGrace;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which installs the reclaim coordinator removes: every install in the ring, not yet tombstoned, whose name
 * is no longer a Node object, under the same rule as {@code weft rmpeer}: never while anyone heard from it
 * within the grace period ({@link RemovalGrace}). The ring's tombstone is the record that a removal
 * happened, so an install is removed once, whoever coordinates. Pure.
 */
public final class ReclaimPlan {
    /** What one pass decided. */
    public record Decision(List<PeerId> remove, Map<PeerId, String> waiting) {
        public Decision {
            remove = List.copyOf(remove);
            waiting = Map.copyOf(waiting);
        }
    }

    private ReclaimPlan() {}

    /**
     * @param self this install, never removed by itself (its own node's deletion is the kubelet's business)
     * @param installs the owners of ring entries, as this peer's ring has them
     * @param tombstoned the installs the ring records as removed
     * @param nodes the names of every Node object, freshly listed
     * @param lastHeard when each install was last heard from (wall-clock milliseconds)
     * @param now the wall clock, milliseconds
     * @param grace how long an install must have been silent before it is removed
     */
    public static Decision decide(PeerId self, Collection<PeerId> installs, Set<PeerId> tombstoned, Set<String> nodes,
            Map<PeerId, Long> lastHeard, long now, RemovalGrace grace) {
        List<PeerId> remove = new ArrayList<>();
        Map<PeerId, String> waiting = new java.util.TreeMap<>();
        for (PeerId p : installs) {
            if (p.equals(self) || tombstoned.contains(p) || nodes.contains(p.name())) {
                continue;
            }
            String why = grace.heardRecently(p.toString(), lastHeard, now);
            if (why != null) {
                waiting.put(p, why);
            } else {
                remove.add(p);
            }
        }
        return new Decision(remove, waiting);
    }
}
