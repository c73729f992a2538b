package dev.weft.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.peer.Entropy;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.Ring;
import dev.weft.core.ring.RingPiece;
import dev.weft.core.ring.Segments;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Anti-entropy between two peers whose rings differ: the segment exchange sends what differs, not the ring,
 * ends with equal rings, and counts as a comparison only when it ends equal.
 */
class AntiEntropyTest {
    static final Cidr UNIVERSE = Cidr.parse("10.32.0.0/12");
    static final ClusterId CLUSTER = new ClusterId("c-anti");
    static final PeerId ORIGIN = new PeerId("origin", 1);

    long now = 1;
    /** What the exchange cost: messages by kind, and ring entries carried in pieces. */
    int messages;
    int entriesSent;
    int digestsSent;
    boolean wholeRingSent;

    static List<PeerId> members(int n) {
        List<PeerId> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new PeerId(String.format("p%04d", i), i + 1));
        }
        return out;
    }

    /** A peer that adopted {@code ring} whole, as a joining observer does. */
    Peer adopting(PeerId self, Ring ring, long seed) {
        Peer p = Peer.fresh(CoreConfig.defaults(UNIVERSE, new Bootstrap.Observer()), self, seed);
        p.handle(now++, new Input.Receive(ORIGIN, new Message.Gossip(ring.whole(), ring.digest(), false)));
        assertThat(p.ring()).isEqualTo(ring);
        return p;
    }

    /** Another peer's change to the entry at index {@code i}: one version up, one address fewer free. */
    static Message.Gossip changed(Ring r, int i) {
        Entry e = r.entry(i);
        Entry next = Entry.of(e.token(), e.version() + 1, e.claims().get(0).owner(), e.claims().get(0).free() - 1,
                e.end());
        return new Message.Gossip(new RingPiece(r.cluster(), r.universe(), List.of(next), new TreeSet<>(), false), 0,
                false);
    }

    /** Starts with {@code a}'s digest at {@code b}, and carries every message between them until none is left. */
    void exchange(Peer a, Peer b) {
        Map<PeerId, Peer> peers = Map.of(a.self(), a, b.self(), b);
        Deque<Object[]> wire = new ArrayDeque<>();
        wire.add(new Object[] {a.self(), b.self(), new Message.Digest(a.ring().cluster(), a.ring().digest())});
        while (!wire.isEmpty()) {
            Object[] m = wire.poll();
            PeerId from = (PeerId) m[0];
            Message msg = (Message) m[2];
            count(msg);
            Output o = peers.get((PeerId) m[1]).handle(now++, new Input.Receive(from, msg));
            for (Envelope e : o.send()) {
                if (peers.containsKey(e.to())) {
                    wire.add(new Object[] {m[1], e.to(), e.message()});
                }
            }
            assertThat(messages).as("the exchange ends").isLessThan(20);
        }
    }

    void count(Message m) {
        messages++;
        if (m instanceof Message.Gossip g) {
            entriesSent += g.piece().size();
            wholeRingSent |= g.piece().complete();
        } else if (m instanceof Message.SegmentEntries s) {
            entriesSent += s.piece().size();
            wholeRingSent |= s.piece().complete();
        } else if (m instanceof Message.SegmentDigests d) {
            digestsSent += d.digests().size();
        }
    }

    @Test
    void aOneEntryDifferenceInAThousandPeerRingCostsOneSegmentNotTheRing() {
        List<PeerId> members = members(1000);
        Ring ring = Ring.initial(CLUSTER, UNIVERSE.range(), members);
        Peer a = adopting(members.get(0), ring, 1);
        Peer b = adopting(members.get(1), ring, 2);
        b.handle(now++, new Input.Receive(members.get(500), changed(ring, 500)));
        assertThat(b.ring()).isNotEqualTo(a.ring());

        exchange(a, b);

        assertThat(a.ring()).isEqualTo(b.ring());
        assertThat(a.ring().entry(500).version()).isEqualTo(2);
        assertThat(wholeRingSent).isFalse();
        int perLeaf = (ring.size() + Segments.LEAVES - 1) / Segments.LEAVES;
        // One leaf's entries and the entry after them; never more than a few, against the ring's 1000.
        assertThat(entriesSent).isBetween(1, perLeaf + 1);
        // Top digests, then the leaves under the one top segment that differs.
        assertThat(digestsSent).isEqualTo(Segments.TOPS + Segments.FANOUT);
        // Digest, top digests, leaf digests, entries: the receiver of the entries is then equal and stops.
        assertThat(messages).isEqualTo(4);
    }

    @Test
    void twoPeersWithDifferentRingsEndEqual() {
        for (long seed = 1; seed <= 30; seed++) {
            Entropy rnd = new Entropy(seed);
            List<PeerId> members = members(50 + rnd.nextInt(400));
            Ring ring = Ring.initial(CLUSTER, UNIVERSE.range(), members);
            Peer a = adopting(members.get(0), ring, seed);
            Peer b = adopting(members.get(1), ring, seed + 1000);
            int changes = 1 + rnd.nextInt(40);
            for (int k = 0; k < changes; k++) {
                Peer side = rnd.nextInt(2) == 0 ? a : b;
                int i = 2 + rnd.nextInt(ring.size() - 2);
                side.handle(now++, new Input.Receive(members.get(i), changed(side.ring(), i)));
            }
            if (rnd.nextInt(3) == 0) {
                // A tombstone only one side knows travels with any piece, even when every segment is equal.
                Peer side = rnd.nextInt(2) == 0 ? a : b;
                RingPiece stone = new RingPiece(CLUSTER, UNIVERSE.range(), List.of(),
                        new TreeSet<>(Set.of(new PeerId("gone", 99))), false);
                side.handle(now++, new Input.Receive(members.get(2), new Message.Gossip(stone, 0, false)));
            }
            messages = 0;
            entriesSent = 0;
            exchange(a, b);
            assertThat(a.ring()).as("seed %d", seed).isEqualTo(b.ring());
            assertThat(wholeRingSent).as("seed %d", seed).isFalse();
        }
    }

    @Test
    void aSegmentExchangeCountsAsComparedOnlyWhenItEndsEqual() throws Exception {
        List<PeerId> members = members(100);
        Ring ring = Ring.initial(CLUSTER, UNIVERSE.range(), members);
        Ring theirs = ring.merge(changed(ring, 40).piece()).ring();
        Ring both = theirs.merge(changed(ring, 80).piece()).ring();
        PeerId other = members.get(1);
        List<Integer> leaves = List.of(Segments.leafOf(UNIVERSE.range(), ring.entry(40).token()));

        RingSync sync = new RingSync();
        Gossiper g = new Gossiper(CoreConfig.defaults(UNIVERSE, new Bootstrap.Observer()), new Entropy(1),
                new TreeSet<>(), sync);
        Message.SegmentEntries fromTheirs = new Message.SegmentEntries(theirs.inLeaves(leaves), theirs.digest(), leaves,
                true);
        // We also know a change they lack: after the merge our ring is not theirs, so nothing is proven.
        g.merged(other, fromTheirs, both.merge(fromTheirs.piece()), 10);
        assertThat(sync.withAllSince(Set.of(other), 10)).isFalse();
        Output.Builder out = new Output.Builder();
        g.answer(other, fromTheirs, both, out);
        assertThat(out.send).singleElement().satisfies(e -> assertThat(e.message())
                .isInstanceOfSatisfying(Message.SegmentEntries.class, s -> assertThat(s.replyIfBehind()).isFalse()));
        // Their entries made ours exactly theirs: compared.
        g.merged(other, fromTheirs, ring.merge(fromTheirs.piece()), 20);
        assertThat(sync.withAllSince(Set.of(other), 20)).isTrue();
    }
}
