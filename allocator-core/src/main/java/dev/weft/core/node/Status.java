package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import dev.weft.core.space.Hold;
import java.util.List;

/**
 * A read-only picture of one peer, for the CLI, metrics and tests.
 *
 * @param forming while {@code phase} is FORMING, what the peer is waiting for, in words
 * @param fenced holds left in ranges this peer no longer owns: live pods whose addresses another peer may
 *               hand out again; an operator must look at them
 */
public record Status(PeerId self, Phase phase, String forming, Ring ring, List<Range> owned, long ownedSize, long free,
        int held, List<Hold> fenced, int pending, List<PeerId> reachable, List<Alarm> alarms) {

    public enum Phase {
        /** No ring yet: allocations are answered "try again later". */
        FORMING,
        READY,
        /** This install was removed by an operator: it allocates nothing. */
        REMOVED,
        /** Restarted from its data folder: hands out nothing new until it compared rings with every install it knows. */
        RECOVERING,
        /** Its data folder was found older than the cluster's view of it (a restored backup): allocates nothing. */
        RESTORED
    }
}
