package dev.weft.gossip.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.RingPiece;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A whole ring's entries are looked for along the last whole ring decoded ({@link Interner.Walk}). The
 * interner here has a four-slot entry table, so an entry that comes back as the same instance came from the
 * walk; one that differs in anything, a takeover mark included, is built afresh and equals what a reader
 * keeping nothing builds.
 */
class WholeRingWalkTest {
    static final ClusterId CLUSTER = new ClusterId("walk");
    static final Range UNIVERSE = new Range(0, 1 << 16);

    private static RingPiece whole(List<Entry> entries) {
        return new RingPiece(CLUSTER, UNIVERSE, entries, new TreeSet<>(), true);
    }

    private static RingPiece read(RingPiece piece, Interner interner) throws BadFrameException {
        byte[] bytes = MessageEncoder.piece(piece).toByteArray();
        return RingPieceReader.read(bytes, 0, bytes.length, interner);
    }

    @Test
    void entriesOfTheLastWholeRingComeBackAndOnlyEqualOnesDo() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        List<PeerId> owners = List.of(new PeerId("a", 1), new PeerId("b", 2), new PeerId("c", 3));
        List<Entry> first = new ArrayList<>();
        int n = 256;
        for (int i = 0; i < n; i++) {
            Range range = UNIVERSE.share(i, n);
            first.add(Entry.of(range.start(), 1 + r.nextInt(5), owners.get(r.nextInt(3)), r.nextLong(range.size() + 1),
                    range.end()));
        }
        Interner interner = new Interner(16, 4);
        RingPiece a = read(whole(first), interner);
        RingPiece again = read(whole(first), interner);
        for (int i = 0; i < n; i++) {
            assertThat(again.entries().get(i)).as("entry %d", i).isSameAs(a.entries().get(i));
        }

        // The next ring: some entries newer, some the same claim but a takeover's, the rest as before.
        List<Entry> second = new ArrayList<>(first);
        List<Integer> newer = new ArrayList<>();
        List<Integer> takenOver = new ArrayList<>();
        for (int i = 0; i < n; i += 1 + r.nextInt(9)) {
            Entry e = first.get(i);
            if (r.nextBoolean()) {
                second.set(i, Entry.of(e.token(), e.version() + 1, e.owner(), e.free(), e.end()));
                newer.add(i);
            } else {
                second.set(i, Entry.ofClaims(e.token(), e.version(), List.of(new Claim(e.owner(), e.free(), e.end(), true))));
                takenOver.add(i);
            }
        }
        assertThat(newer).isNotEmpty();
        assertThat(takenOver).isNotEmpty();
        RingPiece b = read(whole(second), interner);
        assertThat(b).isEqualTo(read(whole(second), Interner.NONE));
        int reused = 0;
        for (int i = 0; i < n; i++) {
            boolean same = b.entries().get(i) == a.entries().get(i);
            assertThat(same).as("entry %d", i).isEqualTo(!newer.contains(i) && !takenOver.contains(i));
            reused += same ? 1 : 0;
        }
        assertThat(reused).isEqualTo(n - newer.size() - takenOver.size());

        // A piece of a few entries far apart is found along the ring, and does not replace it.
        List<Entry> few = List.of(second.get(3), second.get(4), second.get(150), second.get(n - 1));
        RingPiece delta = read(new RingPiece(CLUSTER, UNIVERSE, few, new TreeSet<>(), false), interner);
        assertThat(delta.entries()).containsExactly(b.entries().get(3), b.entries().get(4), b.entries().get(150),
                b.entries().get(n - 1));
        for (int k = 0; k < few.size(); k++) {
            assertThat(delta.entries().get(k)).isSameAs(b.entries().get(List.of(3, 4, 150, n - 1).get(k)));
        }
        RingPiece bAgain = read(whole(second), interner);
        for (int i = 0; i < n; i++) {
            // (An entry with a takeover claim is never kept: it is built afresh each time, as before.)
            if (!takenOver.contains(i)) {
                assertThat(bAgain.entries().get(i)).as("entry %d after the delta", i).isSameAs(b.entries().get(i));
            }
        }

        // Back to the first ring: where the walk holds a takeover claim, the ordinary claim is not taken for it.
        RingPiece c = read(whole(first), interner);
        assertThat(c).isEqualTo(read(whole(first), Interner.NONE));
        for (int i : takenOver) {
            assertThat(c.entries().get(i)).as("entry %d", i).isNotSameAs(b.entries().get(i)).isEqualTo(first.get(i));
        }
    }
}
