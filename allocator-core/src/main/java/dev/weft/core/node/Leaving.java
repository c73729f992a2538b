package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.node.Result.Refused;
import dev.weft.core.node.Result.Why;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import dev.weft.core.space.Space;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * When a planned leave may hand this peer's ranges away, and to whom: a pure reading of the peer's state.
 * {@link Peer} carries the leave out; the rules that keep it safe live here, each with its reason.
 */
final class Leaving {
    private Leaving() {}

    /**
     * Why the leave must wait or is refused right now, or null when it may go ahead.
     *
     * @param fencedHolds holds this peer keeps in ranges it no longer owns (live pods too)
     * @param keptFor removed installs whose running pods' addresses this peer keeps held for them
     */
    static Result refusal(Space space, long now, List<PeerId> keptFor, int fencedHolds, boolean force) {
        for (Range r : space.ranges()) {
            if (space.usableFrom(r.start()) > now) {
                // Handed on now they would be ordinary claims one version up, outranking a change the removed
                // install made that nobody has heard of yet: their rest would be lost.
                return new Result.TryLater("ranges taken over from a removed install still rest (or wait"
                        + " for it to hand over what its pods hold); leave after that");
            }
        }
        if (!keptFor.isEmpty()) {
            // Those are other nodes' running pods: a leave, even forced, would free them (simulator seed 1302).
            return new Refused(Why.UNSAFE, "this peer keeps addresses for running pods of removed installs "
                    + keptFor + "; leave once they are released there, or once those hosts are known"
                    + " gone (remove them again with force)");
        }
        int held = space.heldCount() + fencedHolds;
        if (held > 0 && !force) {
            return new Refused(Why.UNSAFE, held + " addresses are still held here; their pods would"
                    + " lose them. Drain the node first, or force");
        }
        return null;
    }

    /** Who may inherit: every reachable peer that has not been removed. */
    static List<PeerId> heirs(Ring ring, Collection<PeerId> reachable) {
        List<PeerId> heirs = new ArrayList<>();
        for (PeerId p : reachable) {
            if (!ring.isTombstoned(p)) {
                heirs.add(p);
            }
        }
        return heirs;
    }
}
