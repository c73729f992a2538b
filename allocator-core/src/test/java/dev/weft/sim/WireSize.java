package dev.weft.sim;

import dev.weft.core.node.Message;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.RingPiece;

/**
 * Bytes a message would take as protobuf (varints for numbers, length-prefixed strings), for the scale
 * table. It is an estimate of the encoding peer-gossip will use, not a measurement of it.
 */
final class WireSize {
    private WireSize() {}

    static long of(Message m) {
        if (m instanceof Message.Digest) {
            return 2 + 18 + 10;
        }
        if (m instanceof Message.Gossip g) {
            return 2 + piece(g.piece()) + 10 + 2;
        }
        if (m instanceof Message.SegmentDigests d) {
            return 2 + 18 + 10 + 2 * d.under().size() + 9L * d.digests().size();
        }
        if (m instanceof Message.SegmentEntries s) {
            return 2 + piece(s.piece()) + 10 + 2 + 2L * s.leaves().size();
        }
        if (m instanceof Message.SpaceGrant g) {
            return 2 + 10 + piece(g.change());
        }
        if (m instanceof Message.SpaceRequest) {
            return 2 + 10 + 12 + 2;
        }
        if (m instanceof Message.SpaceDenied d) {
            return 2 + 10 + d.reason().length();
        }
        return 40; // Paxos messages: a ballot, maybe a member list; rare.
    }

    /** Whether {@code m} carries a whole ring. */
    static boolean wholeRing(Message m) {
        return m instanceof Message.Gossip g && g.piece().complete()
                || m instanceof Message.SegmentEntries s && s.piece().complete();
    }

    private static long piece(RingPiece p) {
        long n = 18 + 12;
        for (Entry e : p.entries()) {
            n += 2 + varint(e.token()) + varint(e.version());
            for (Claim c : e.claims()) {
                n += 2 + peer(c.owner()) + varint(c.free()) + varint(c.end());
            }
        }
        for (PeerId t : p.tombstones()) {
            n += 2 + peer(t);
        }
        return n;
    }

    private static long peer(PeerId p) {
        return 2 + p.name().length() + 9;
    }

    private static int varint(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }
}
