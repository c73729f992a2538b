package dev.weft.daemon.succession;

import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import dev.weft.daemon.api.RemovalGrace;
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

    /** One earlier install and whether it may be succeeded now. */
    public record Verdict(PeerId predecessor, boolean tombstoned, RemovalGrace.Heard heard) {
        public boolean ready() {
            return heard == null;
        }

        /** Why it must wait, in words, or null when it need not. */
        public String waitReason() {
            return heard == null ? null : predecessor + " was heard from " + heard.agoMillis() / 1000 + " s ago (by"
                    + " this peer or one it gossips with): waiting until it has been silent for "
                    + RemovalGrace.GRACE_MILLIS / 1000 + " s, at least " + (heard.remainingMillis() + 999) / 1000
                    + " s more. If another node runs under the name " + predecessor.name() + ", give each node its own"
                    + " --name";
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

    /** Each earlier install, judged against when anyone last heard from it (wall-clock millis, as of {@code now}). */
    public static List<Verdict> judge(Map<PeerId, Boolean> earlier, Map<PeerId, Long> lastHeard, long now) {
        return earlier.entrySet().stream().map(e -> new Verdict(e.getKey(), e.getValue(),
                RemovalGrace.heardWithinGrace(e.getKey().toString(), lastHeard, now))).toList();
    }
}
