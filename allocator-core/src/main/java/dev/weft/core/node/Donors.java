package dev.weft.core.node;

import dev.weft.core.address.IPv4;
import dev.weft.core.node.Pending.AskKey;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import java.util.Map;
import java.util.Set;

/** Whom a peer that ran out asks for space: the owner of an exact address, else the reachable peer with the most free. */
final class Donors {
    private Donors() {}

    /** The donor to ask for {@code key}, or null with the reason in {@code why[0]}; {@code tried} already said no. */
    static PeerId choose(Ring ring, AskKey key, PeerId self, Set<PeerId> up, Set<PeerId> tried, String[] why) {
        if (key.exact()) {
            long address = key.within().start();
            PeerId owner = ring.ownerOf(address);
            if (owner == null) {
                why[0] = IPv4.format(address) + " has no owner this peer can ask: its range is "
                        + (ring.entryFor(address).conflicted() ? "claimed by " + ring.entryFor(address).claims()
                        + ", which an operator must settle" : "not yet known here");
            } else if (owner.equals(self)) {
                why[0] = IPv4.format(address) + " is in a range this peer owns but cannot use yet";
            } else if (!up.contains(owner) || tried.contains(owner)) {
                why[0] = IPv4.format(address) + " belongs to " + owner + ", which is "
                        + (up.contains(owner) ? "not giving it" : "unreachable");
            } else {
                return owner;
            }
            return null;
        }
        PeerId donor = null;
        long best = 0;
        for (Map.Entry<PeerId, Long> e : ring.freeByOwnerWithin(key.within()).entrySet()) {
            PeerId p = e.getKey();
            if (e.getValue() > best && !p.equals(self) && up.contains(p) && !tried.contains(p) && !ring.isTombstoned(p)) {
                best = e.getValue();
                donor = p;
            }
        }
        if (donor == null) {
            why[0] = "no reachable peer has free addresses in " + key.within() + " (" + up.size() + " peers reachable, "
                    + tried.size() + " asked)";
        }
        return donor;
    }
}
