package dev.weft.core.ring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Founding;
import dev.weft.core.peer.Entropy;
import dev.weft.core.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property tests, one seeded random history per case: replicas change their own entries by every legal
 * operation (report free, give part of a range, take over a dead peer) and exchange deltas and whole rings
 * at random. Over every state seen, the join must be commutative, associative and idempotent, no replica
 * may ever hold a misshapen ring, and once everyone has heard everything, all rings are equal and whole.
 */
class RingLawsTest {
    static final Range UNIVERSE = Cidr.parse("10.32.0.0/20").range();

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 150);
    }

    static Ring join(Ring a, Ring b) {
        try {
            return a.merge(b.whole()).ring();
        } catch (RingMismatchException e) {
            throw new AssertionError(e);
        }
    }

    /** A random legal history; returns every ring state any replica held. */
    static List<Ring> history(long seed, List<Ring> finals) {
        Entropy rnd = new Entropy(seed);
        int n = 2 + rnd.nextInt(6);
        List<PeerId> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            peers.add(new PeerId("p" + i, rnd.nextLong()));
        }
        Ring start = Founding.ring(UNIVERSE, peers);
        Ring[] rings = new Ring[n];
        java.util.Arrays.fill(rings, start);
        boolean[] dead = new boolean[n];
        List<Ring> seen = new ArrayList<>(List.of(start));
        List<RingPiece> inFlight = new ArrayList<>();
        for (int step = 0; step < 120; step++) {
            int p = rnd.nextInt(n);
            if (dead[p]) {
                continue;
            }
            Ring r = rings[p];
            List<Range> mine = r.rangesOwnedBy(peers.get(p));
            int dice = rnd.nextInt(10);
            Merge m = null;
            if (dice < 3 && !mine.isEmpty()) {
                // Report a free count on one of our entries.
                int i = r.indexOf(mine.get(rnd.nextInt(mine.size())).start());
                m = r.edit(peers.get(p), x -> x.size()).reportFree(r.entry(i).token(), rnd.nextLong(r.rangeAt(i).size() + 1))
                        .commit();
            } else if (dice < 6 && !mine.isEmpty()) {
                // Give a random piece of one of our ranges to someone else.
                Range from = mine.get(rnd.nextInt(mine.size()));
                long s = from.start() + rnd.nextLong(from.size());
                long e = s + 1 + rnd.nextLong(from.end() - s);
                int to = rnd.nextInt(n);
                if (to != p) {
                    m = r.edit(peers.get(p), x -> x.size()).give(new Range(s, e), peers.get(to)).commit();
                }
            } else if (dice == 6 && rnd.nextInt(4) == 0) {
                // Declare a random other peer dead and take it over.
                int victim = rnd.nextInt(n);
                if (victim != p && !dead[victim]) {
                    dead[victim] = true;
                    m = r.edit(peers.get(p), x -> x.size()).takeOver(peers.get(victim)).commit();
                }
            } else if (dice < 9 && !inFlight.isEmpty()) {
                // A delta arrives, in any order, maybe twice.
                RingPiece d = inFlight.get(rnd.nextInt(inFlight.size()));
                try {
                    rings[p] = r.merge(d).ring();
                } catch (RingMismatchException e) {
                    throw new AssertionError(e);
                }
            } else {
                rings[p] = join(r, rings[rnd.nextInt(n)]);
            }
            if (m != null) {
                rings[p] = m.ring();
                inFlight.add(m.ring().delta(m.changedTokens()));
                assertThat(m.ring().shapeViolations()).as("after an owner's change, seed %d", seed).isEmpty();
            }
            assertThat(rings[p].shapeViolations()).as("seed %d step %d", seed, step).isEmpty();
            seen.add(rings[p]);
        }
        if (finals != null) {
            // Everyone hears everyone, twice over: all rings must be the same and whole.
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        rings[i] = join(rings[i], rings[j]);
                    }
                }
            }
            finals.addAll(List.of(rings));
        }
        return seen;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void joinIsCommutativeAssociativeAndIdempotent(long seed) {
        List<Ring> seen = history(seed, null);
        Entropy rnd = new Entropy(~seed);
        for (int k = 0; k < 40; k++) {
            Ring a = seen.get(rnd.nextInt(seen.size()));
            Ring b = seen.get(rnd.nextInt(seen.size()));
            Ring c = seen.get(rnd.nextInt(seen.size()));
            assertThat(join(a, b)).as("commutative, seed %d", seed).isEqualTo(join(b, a));
            assertThat(join(join(a, b), c)).as("associative, seed %d", seed).isEqualTo(join(a, join(b, c)));
            assertThat(join(a, a)).as("idempotent, seed %d", seed).isEqualTo(a);
            assertThat(join(join(a, b), b)).as("absorbs, seed %d", seed).isEqualTo(join(a, b));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyoneWhoHeardEverythingHasTheSameWholeRing(long seed) {
        List<Ring> finals = new ArrayList<>();
        history(seed, finals);
        for (Ring r : finals) {
            assertThat(r).isEqualTo(finals.get(0));
            assertThat(r.shapeViolations()).isEmpty();
        }
        Ring r = finals.get(0);
        assertThat(r.invariantViolations()).as("seed %d", seed).isEmpty();
        // Every address has exactly one owner, or is in a conflict that no one allocates from.
        List<Range> covered = new ArrayList<>();
        for (PeerId owner : r.owners()) {
            covered.addAll(r.rangesOwnedBy(owner));
        }
        for (int i = 0; i < r.size(); i++) {
            if (r.ownerAt(i) == null) {
                covered.add(r.rangeAt(i));
            }
        }
        covered.sort(null);
        long next = UNIVERSE.start();
        for (Range c : covered) {
            assertThat(c.start()).as("seed %d: no overlap, no hole at %d", seed, next).isEqualTo(next);
            next = c.end();
        }
        assertThat(next).isEqualTo(UNIVERSE.end());
    }
}
