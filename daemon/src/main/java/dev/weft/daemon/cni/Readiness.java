package dev.weft.daemon.cni;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.node.Peer;
import dev.weft.core.node.Status;
import dev.weft.core.peer.PeerId;
import java.util.Map;

/** STATUS (CNI 1.1): could an ADD get an address now? Runs on the loop thread, reading the peer. */
final class Readiness {
    private Readiness() {}

    /** @return null when an ADD would succeed, else why not, in words */
    static String of(Peer peer, Cidr subnet) {
        Status s = peer.status();
        if (s.phase() == Status.Phase.REMOVED) {
            return "this node was removed from the cluster by an operator";
        }
        if (s.phase() == Status.Phase.FORMING) {
            return "the ring is still forming (" + s.forming() + ")";
        }
        if (s.phase() == Status.Phase.RECOVERING || s.phase() == Status.Phase.RESTORED) {
            return s.phase() == Status.Phase.RECOVERING ? "restarted: comparing its ring with the cluster first"
                    : "its data folder was restored from an older backup: it allocates nothing";
        }
        Range within = subnet != null ? subnet.hosts() : peer.config().universe().hosts();
        // A pod also needs the node's gateway the first time: one free address is not always enough, but
        // STATUS answers for the common case and ADD itself says "try again later" in the rare one.
        if (peer.space().freeIn(within, Long.MAX_VALUE) > 0) {
            return null;
        }
        for (Map.Entry<PeerId, Long> e : s.ring().freeByOwnerWithin(within).entrySet()) {
            if (!e.getKey().equals(s.self()) && e.getValue() > 0 && s.reachable().contains(e.getKey())) {
                return null;
            }
        }
        return "no free address in " + (subnet != null ? subnet : peer.config().universe())
                + " on this node, and no reachable peer reports one";
    }
}
