package dev.weft.core.ring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The digest is what anti-entropy compares: a peer whose digest equals another's skips the exchange. So two
 * rings that differ in anything a peer reads (an entry's version, owner, free count, end, takeover mark, a
 * rival claim, a tombstone) must have different digests, or that difference never spreads by comparison. And
 * the claims' order, which picks the winner and keeps the rivals, must tell every two different claims apart,
 * or a join drops one of them depending on the order rings arrive in.
 */
class RingDigestTest {
    static final PeerId D = new PeerId("d", 4);

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 25);
    }

    /** {@code base} with entry {@code i} replaced and {@code extra} tombstones added, adopted whole. */
    static Ring with(Ring base, int i, Entry replacement, PeerId... extra) {
        List<Entry> entries = new ArrayList<>();
        for (int k = 0; k < base.size(); k++) {
            entries.add(k == i ? replacement : base.entry(k));
        }
        SortedSet<PeerId> stones = new TreeSet<>(base.tombstones());
        stones.addAll(List.of(extra));
        return Ring.of(new RingPiece(base.cluster(), base.universe(), entries, stones, true));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void equalDigestsOnlyForEqualRings(long seed) {
        List<Ring> seen = RingLawsTest.history(seed, null);
        for (int i = 0; i < seen.size(); i++) {
            for (int j = i + 1; j < seen.size(); j++) {
                Ring a = seen.get(i);
                Ring b = seen.get(j);
                assertThat(a.digest() == b.digest()).as("seed %d: states %d and %d", seed, i, j).isEqualTo(a.equals(b));
            }
        }
    }

    @Test
    void everyPartOfARingAPeerReadsChangesItsDigest() {
        Ring base = RingTest.three();
        Entry e = base.entry(0);
        long t = e.token();
        long end = e.end();
        long free = e.free();
        List<Ring> variants = List.of(
                base,
                with(base, 0, Entry.of(t, e.version() + 1, RingTest.A, free, end)),
                with(base, 0, Entry.of(t, e.version(), RingTest.C, free, end)),
                with(base, 0, Entry.of(t, e.version(), RingTest.A, free - 1, end)),
                with(base, 0, Entry.of(t, e.version(), RingTest.A, free, end + 1)),
                with(base, 0, Entry.ofClaims(t, e.version(), List.of(new Claim(RingTest.A, free, end, true)))),
                with(base, 0, Entry.ofClaims(t, e.version(), List.of(new Claim(RingTest.A, free, end),
                        new Claim(RingTest.A, free - 1, end)))),
                with(base, 0, Entry.ofClaims(t, e.version(), List.of(new Claim(RingTest.A, free, end),
                        new Claim(D, free, end, true)))),
                with(base, 0, e, D));
        for (int i = 0; i < variants.size(); i++) {
            for (int j = i + 1; j < variants.size(); j++) {
                assertThat(variants.get(i)).as("variants %d and %d", i, j).isNotEqualTo(variants.get(j));
                assertThat(variants.get(i).digest()).as("digests of variants %d and %d", i, j)
                        .isNotEqualTo(variants.get(j).digest());
            }
        }
    }

    @Test
    void aTombstoneLearnedAloneChangesTheDigest() throws Exception {
        Ring base = RingTest.three();
        Merge m = base.merge(new RingPiece(base.cluster(), base.universe(), List.of(), new TreeSet<>(List.of(D)), false));
        assertThat(m.newTombstones()).containsExactly(D);
        assertThat(m.ring().digest()).isNotEqualTo(base.digest());
    }

    @Test
    void claimsThatDifferInAnyPartAreNeverOrderedAsEqual() {
        Claim c = new Claim(RingTest.A, 10, 100);
        List<Claim> others = List.of(new Claim(RingTest.B, 10, 100), new Claim(RingTest.A, 11, 100),
                new Claim(RingTest.A, 10, 101), new Claim(RingTest.A, 10, 100, true));
        for (Claim o : others) {
            assertThat(c.compareTo(o)).as("%s against %s", c, o).isNotZero();
            assertThat(Integer.signum(o.compareTo(c))).as("%s against %s", o, c).isEqualTo(-Integer.signum(c.compareTo(o)));
        }
    }

    @Test
    void aGrantToTheRemoverMetByItsOwnTakeoverKeepsBothClaimsInEitherOrder() throws Exception {
        // B gave its range to A, then was removed through A, which had not heard of the grant: at one version
        // A holds an ordinary claim (the grant) and a takeover claim (the removal) of the same addresses. Both
        // must stay, whichever ring arrives first: which one counts decides whether the range rests.
        Ring r = RingTest.three();
        long tokenB = r.rangeAt(1).start();
        Ring grant = r.edit(RingTest.B, x -> x.size()).give(r.rangeAt(1), RingTest.A).commit().ring();
        Ring removal = r.edit(RingTest.A, x -> x.size()).takeOver(RingTest.B).commit().ring();
        Ring one = removal.merge(grant.whole()).ring();
        Ring two = grant.merge(removal.whole()).ring();
        assertThat(one).isEqualTo(two);
        Entry joined = one.entryFor(tokenB);
        assertThat(joined.claims()).extracting(Claim::takeover).containsExactlyInAnyOrder(false, true);
        assertThat(one.claimAt(one.indexOf(tokenB)).takeover()).as("the grant counts: no rest").isFalse();
    }
}
