package dev.weft.core.ring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Founding;
import dev.weft.core.peer.Entropy;
import dev.weft.core.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A merge derives the joined ring's digest, and its segment leaves when the ring it merged into had them, from
 * what changed instead of from every entry. Peers on older code compute both from scratch and compare them with
 * ours, so the derived values must be exactly the from-scratch ones. Seeded random histories of every kind of
 * change (owners' edits, removals that tombstone an install, deltas, whole rings, pieces of a few segments, and
 * tombstones arriving alone) check that after every step, with segments asked for at random moments.
 */
class DerivedDigestTest {
    static LongStream seeds() {
        return LongStream.rangeClosed(1, 60);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void derivedDigestAndSegmentsEqualTheOnesComputedFromScratch(long seed) throws Exception {
        Entropy rnd = new Entropy(seed);
        int n = 2 + rnd.nextInt(6);
        List<PeerId> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            peers.add(new PeerId("p" + i, rnd.nextLong()));
        }
        Ring[] rings = new Ring[n];
        java.util.Arrays.fill(rings, Founding.ring(RingLawsTest.UNIVERSE, peers));
        boolean[] dead = new boolean[n];
        List<RingPiece> inFlight = new ArrayList<>();
        int derivedSegments = 0;
        int tombstonesLearned = 0;
        for (int step = 0; step < 200; step++) {
            int p = rnd.nextInt(n);
            if (dead[p]) {
                continue;
            }
            Ring r = rings[p];
            if (rnd.nextInt(3) == 0) {
                r.segments(); // a peer compared segments with this ring: the next merge derives them
            }
            List<Range> mine = r.rangesOwnedBy(peers.get(p));
            int dice = rnd.nextInt(12);
            Merge m;
            if (dice < 3 && !mine.isEmpty()) {
                int i = r.indexOf(mine.get(rnd.nextInt(mine.size())).start());
                m = r.edit(peers.get(p), x -> x.size())
                        .reportFree(r.entry(i).token(), rnd.nextLong(r.rangeAt(i).size() + 1)).commit();
                inFlight.add(m.ring().delta(m.changedTokens()));
            } else if (dice < 5 && !mine.isEmpty()) {
                Range from = mine.get(rnd.nextInt(mine.size()));
                long s = from.start() + rnd.nextLong(from.size());
                long e = s + 1 + rnd.nextLong(from.end() - s);
                int to = (p + 1 + rnd.nextInt(n - 1)) % n;
                m = r.edit(peers.get(p), x -> x.size()).give(new Range(s, e), peers.get(to)).commit();
                inFlight.add(m.ring().delta(m.changedTokens()));
            } else if (dice == 5) {
                int victim = rnd.nextInt(n);
                if (victim == p || dead[victim]) {
                    continue;
                }
                dead[victim] = true;
                m = r.edit(peers.get(p), x -> x.size()).takeOver(peers.get(victim)).commit();
                inFlight.add(m.ring().delta(m.changedTokens()));
            } else if (dice < 8 && !inFlight.isEmpty()) {
                m = r.merge(inFlight.get(rnd.nextInt(inFlight.size())));
            } else if (dice == 8) {
                // A tombstone arriving with no entry: only the tombstone set changes.
                PeerId stranger = new PeerId("gone" + step, rnd.nextLong());
                m = r.merge(new RingPiece(r.cluster(), r.universe(), List.of(), new TreeSet<>(List.of(stranger)), false));
            } else if (dice == 9) {
                // What another replica knows in a few segments.
                List<Integer> leaves = new ArrayList<>(new TreeSet<>(List.of(rnd.nextInt(Segments.LEAVES),
                        rnd.nextInt(Segments.LEAVES), rnd.nextInt(Segments.LEAVES))));
                m = r.merge(rings[rnd.nextInt(n)].inLeaves(leaves));
            } else {
                m = r.merge(rings[rnd.nextInt(n)].whole());
            }
            tombstonesLearned += m.newTombstones().size();
            Ring joined = m.ring();
            Ring scratch = Ring.of(joined.whole());
            assertThat(joined.digest()).as("seed %d step %d: derived digest", seed, step).isEqualTo(scratch.digest());
            if (r.knownSegments() != null) {
                assertThat(joined.knownSegments()).as("seed %d step %d: segments carried", seed, step).isNotNull();
                Segments derived = joined.knownSegments();
                Segments fresh = scratch.segments();
                for (int leaf = 0; leaf < Segments.LEAVES; leaf++) {
                    assertThat(derived.leaf(leaf)).as("seed %d step %d: leaf %d", seed, step, leaf)
                            .isEqualTo(fresh.leaf(leaf));
                }
                derivedSegments++;
            }
            rings[p] = joined;
        }
        assertThat(derivedSegments).as("seed %d: merges that derived segments", seed).isPositive();
        assertThat(tombstonesLearned).as("seed %d: tombstones learned by merges", seed).isPositive();
    }
}
