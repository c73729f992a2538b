package dev.weft.daemon.loop;

import dev.weft.core.node.Status;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Ring;
import java.util.Map;
import java.util.TreeSet;

/**
 * A few numbers about the core, taken on the loop thread at each tick, for gauges, health and state-change
 * logs (read from other threads, which must never touch the {@link dev.weft.core.node.Peer} itself).
 */
public record CoreView(ClusterId cluster, Status.Phase phase, String forming, long owned, int ownedRanges, long free, int held,
        int fenced, int pending, int ringEntries, int conflicts, int peersKnown, int peersReachable,
        int alarms) {

    static CoreView of(Status s, Map<PeerId, Long> heard) {
        Ring ring = s.ring();
        TreeSet<PeerId> known = new TreeSet<>(heard.keySet());
        known.addAll(s.reachable());
        int conflicts = 0;
        if (ring != null) {
            known.addAll(ring.owners());
            conflicts = ring.conflicts().size();
        }
        known.remove(s.self());
        return new CoreView(ring == null ? null : ring.cluster(), s.phase(), s.forming(), s.ownedSize(), s.owned().size(), s.free(), s.held(),
                s.fenced().size(), s.pending(), ring == null ? 0 : ring.size(), conflicts, known.size(),
                s.reachable().size(), s.alarms().size());
    }

    /** The ring is formed and this install still belongs to it. */
    public boolean ready() {
        return phase == Status.Phase.READY;
    }
}
