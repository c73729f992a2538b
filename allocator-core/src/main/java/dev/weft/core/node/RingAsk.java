package dev.weft.core.node;

import dev.weft.core.peer.Entropy;
import dev.weft.core.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a peer without a ring gets one once it knows a ring exists: it asks one peer that has one, and asks
 * another (or the same, if it knows no other) when no ring came within {@code askTimeout} or the asked peer
 * went down. Before, a ring-less peer asked every reachable peer on each {@code PeerUp} and every gossip round,
 * and each answered with its whole ring: ~20 whole rings per joiner in a 1000-peer cluster with every peer
 * linked, thousands at 5000 (docs/benchmarks.md, "Scale").
 *
 * <p>A ring-less peer that knows of no ring keeps telling everyone it has none ({@link Message.Digest#withoutRing}):
 * seeds and consensus peers must hear that from every reachable peer before they found. A ring holder answers
 * that with its digest, which is how the ring-less peer learns whom to ask. A peer that knows a ring exists
 * founds nothing (the ring is joined, never founded again beside it), so it stops telling everyone.
 */
final class RingAsk {
    private final long timeout;
    private final Entropy entropy;
    /** The peer's live view of who is reachable (read only here). */
    private final Set<PeerId> up;
    /** Peers that showed they have a ring (a digest of one, segment digests), since this peer was ring-less. */
    private final Set<PeerId> holders = new TreeSet<>();
    /**
     * Peers whose ring this peer refused (another address space): no holder to join. Else a seed linked to a
     * peer of another cluster would ask it for ever and found nothing, saying the ring is on its way.
     */
    private final Set<PeerId> refused = new TreeSet<>();
    private PeerId asked;
    private long askedAt;

    RingAsk(long timeout, Entropy entropy, Set<PeerId> up) {
        this.timeout = timeout;
        this.entropy = entropy;
        this.up = up;
    }

    /** Whether a reachable peer is known to have a ring (then this peer asks, and tells no one else). */
    boolean knowsRing() {
        for (PeerId p : holders) {
            if (up.contains(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code from} has a ring: ask it, unless an ask is out and not yet due again, or it is not reachable yet (a
     * holder's greeting may come before this peer hears it is up: asking then would ask again at the next
     * greeting, since an ask to an unreachable peer counts as lost; the 100-peer scale run got 2.3 whole rings
     * per joiner so). Then it is asked when it comes up ({@link #reachable}) or at a round.
     */
    void holder(PeerId from, long now, Output.Builder out) {
        if (refused.contains(from)) {
            return;
        }
        holders.add(from);
        reachable(from, now, out);
    }

    /** {@code from}'s ring was refused (it is of another address space): it is no holder to join. */
    void refused(PeerId from) {
        refused.add(from);
        holders.remove(from);
    }

    /** {@code p} is reachable (it just came up, or said it has a ring): ask it if it has one and no ask is out. */
    void reachable(PeerId p, long now, Output.Builder out) {
        if (holders.contains(p) && up.contains(p) && !waiting(now)) {
            ask(p, now, out);
        }
    }

    /** A gossip round while ring-less and knowing a ring exists: asks again if the last ask got no ring in time. */
    void round(long now, Output.Builder out) {
        if (waiting(now)) {
            return;
        }
        List<PeerId> reachable = new ArrayList<>();
        for (PeerId p : holders) {
            if (up.contains(p)) {
                reachable.add(p);
            }
        }
        // Another than the one that did not answer, when there is one: it may be cut off without being down.
        if (reachable.size() > 1) {
            reachable.remove(asked);
        }
        if (!reachable.isEmpty()) {
            ask(entropy.pick(reachable, 1).get(0), now, out);
        }
    }

    /** The peer has a ring now: nothing left to ask for. */
    void done() {
        holders.clear();
        asked = null;
    }

    /** An ask is out to a peer still reachable (it was when asked), and has not timed out. */
    private boolean waiting(long now) {
        return asked != null && up.contains(asked) && now - askedAt < timeout;
    }

    private void ask(PeerId p, long now, Output.Builder out) {
        asked = p;
        askedAt = now;
        out.send(p, Message.Digest.askingForRing());
    }
}
