package dev.weft.sim;

import java.util.HashMap;
import java.util.Map;

/**
 * Which live nodes have a ring and how many share each digest, kept up to date as nodes step, crash and
 * restart. Asking whether every live ring is equal then costs nothing per event, where walking every node
 * after every event made the simulator's cost per event grow with the cluster (a 5000-peer bootstrap had not
 * finished after 14 CPU-minutes). {@code RingCensusTest} checks it against the walk.
 */
final class RingCensus {
    /** Per live node, its ring's digest, or null while it has no ring; down nodes are absent. */
    private final Map<SimNode, Long> seen = new HashMap<>();
    /** How many live nodes hold each digest. */
    private final Map<Long, Integer> digests = new HashMap<>();
    private int withoutRing;

    /** {@code n} may have changed (stepped, crashed, restarted, joined): count it as it is now. */
    void update(SimNode n) {
        boolean wasLive = seen.containsKey(n);
        Long before = seen.get(n);
        Long after = n.up() && n.peer.ring() != null ? Long.valueOf(n.peer.ring().digest()) : null;
        if (wasLive && n.up() && java.util.Objects.equals(before, after)) {
            return;
        }
        if (wasLive) {
            if (before == null) {
                withoutRing--;
            } else {
                digests.computeIfPresent(before, (k, c) -> c == 1 ? null : c - 1);
            }
            seen.remove(n);
        }
        if (n.up()) {
            seen.put(n, after);
            if (after == null) {
                withoutRing++;
            } else {
                digests.merge(after, 1, Integer::sum);
            }
        }
    }

    /** Every live node has a ring. */
    boolean allFormed() {
        return withoutRing == 0;
    }

    /** Every live node has a ring, and all are equal. */
    boolean converged() {
        return withoutRing == 0 && digests.size() <= 1;
    }
}
