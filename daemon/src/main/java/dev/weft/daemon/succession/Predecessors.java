package dev.weft.daemon.succession;

import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import dev.weft.daemon.api.RemovalGrace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The decision, apart from any I/O: which installs a new install succeeds, and which of them must still wait.
 * With names unique per node, every other install in the ring under this peer's own name is an earlier life
 * of this node whose data folder is gone: one that owns ranges (they come back through the succession), and
 * one already tombstoned by someone's removal (its pods may still live here: the succession protects their
 * addresses in the remover's ranges and tells the remover it may end its rest). Each waits while anyone heard
 * from it within the grace period — the same rule as an operator's removal — because a process still talking
 * under this name is no earlier life but a second node with the same name, or this node's old process not
 * yet dead.
 */
public final class Predecessors {
    private Predecessors() {}

    /**
     * One earlier install and whether it may be succeeded now: not while anyone heard from it within the grace
     * period, and, for one already removed, not before {@code after}, an earlier install that still owns ranges
     * (its succession turns the pods' addresses in those ranges into ordinary holds of this install; a removed
     * install's succession first would hand them to that dead owner and leave them fenced meanwhile).
     */
    public record Verdict(PeerId predecessor, boolean tombstoned, RemovalGrace.Heard heard, PeerId after) {
        public boolean ready() {
            return heard == null && after == null;
        }

        /** Why it must wait, in words, or null when it need not. */
        public String waitReason() {
            if (heard != null) {
                return predecessor + " was heard from " + heard.agoMillis() / 1000 + " s ago (by this peer or one"
                        + " it gossips with): waiting until it has been silent for " + heard.graceMillis() / 1000
                        + " s, at least " + (heard.remainingMillis() + 999) / 1000 + " s more. If another node runs"
                        + " under the name " + predecessor.name() + ", give each node its own --name";
            }
            return after == null ? null : predecessor + " (already removed) comes after " + after
                    + ", which still owns ranges";
        }
    }

    /** The earlier installs under {@code self}'s name the ring knows of, each with its tombstone flag, in order. */
    public static Map<PeerId, Boolean> inRing(PeerId self, Ring ring) {
        Map<PeerId, Boolean> out = new TreeMap<>();
        for (PeerId p : ring.owners()) {
            if (p.name().equals(self.name()) && !p.equals(self)) {
                out.put(p, ring.isTombstoned(p));
            }
        }
        for (PeerId p : ring.tombstones()) {
            if (p.name().equals(self.name()) && !p.equals(self)) {
                out.put(p, true);
            }
        }
        return out;
    }

    /**
     * Each earlier install, judged against when anyone last heard from it (wall-clock millis, as of
     * {@code now}) and held to {@code grace}; those that own ranges first.
     */
    public static List<Verdict> judge(Map<PeerId, Boolean> earlier, Map<PeerId, Long> lastHeard, long now,
            RemovalGrace grace) {
        PeerId owning = earlier.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).findFirst()
                .orElse(null);
        List<Verdict> out = new ArrayList<>();
        for (boolean tombstoned : new boolean[] {false, true}) {
            earlier.forEach((p, t) -> {
                if (t == tombstoned) {
                    out.add(new Verdict(p, t, grace.heardWithinGrace(p.toString(), lastHeard, now),
                            t ? owning : null));
                }
            });
        }
        return out;
    }
}
