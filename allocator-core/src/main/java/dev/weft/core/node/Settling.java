package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.node.Result.Refused;
import dev.weft.core.node.Result.Why;
import dev.weft.core.ring.Conflict;
import dev.weft.core.ring.Ring;

/**
 * Whether an operator's {@link Input.Settle} may go ahead on this peer's ring, and what to say: a pure
 * reading. {@link Peer} writes the settlement ({@code RingEditor#settle}) and spreads it.
 */
final class Settling {
    private Settling() {}

    /** The conflict {@code s} settles, or null with {@code refusal[0]} saying why not. */
    static Conflict find(Ring ring, Input.Settle s, Result[] refusal) {
        for (Conflict c : Conflict.in(ring)) {
            if (!c.range().equals(s.range())) {
                continue;
            }
            boolean claimant = c.claims().stream().anyMatch(x -> x.owner().equals(s.owner()));
            if (!claimant || ring.isTombstoned(s.owner())) {
                refusal[0] = new Refused(Why.UNKNOWN_PEER, s.owner() + (claimant ? " was removed from the cluster"
                        : " does not claim " + s.range()) + "; its live claimants are " + c.claims().stream()
                        .map(x -> x.owner()).filter(p -> !ring.isTombstoned(p)).distinct().toList());
                return null;
            }
            return c;
        }
        refusal[0] = new Refused(Why.BAD_REQUEST, s.range() + " is not in conflict here: " + described(ring,
                s.range()) + ". The conflicts query lists the ranges to settle, each exactly as it must be named");
        return null;
    }

    private static String described(Ring ring, Range r) {
        if (!ring.universe().contains(r)) {
            return "it is not inside the address space " + ring.universe();
        }
        int i = ring.indexOf(r.start());
        return "the entry there covers " + ring.rangeAt(i) + " at version " + ring.entry(i).version()
                + ", claimed by " + ring.entry(i).claims().stream().map(x -> x.owner()).distinct().toList();
    }

    static Result done(Conflict c, Input.Settle s) {
        return new Result.Done("settled " + c.range() + " on " + s.owner() + " at version " + (c.version() + 1)
                + (c.owner() == null ? "" : " (the rule had given it to " + c.owner() + ")") + "; the other"
                + " claimants hand over what their pods hold there, and " + s.owner() + " uses it once they have");
    }
}
