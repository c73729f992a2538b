package dev.weft.core.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Founding;
import dev.weft.core.peer.PeerId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RingTest {
    static final Range UNIVERSE = Cidr.parse("10.32.0.0/12").range();
    static final PeerId A = new PeerId("a", 1);
    static final PeerId B = new PeerId("b", 2);
    static final PeerId C = new PeerId("c", 3);

    static Ring three() {
        return Founding.ring(UNIVERSE, List.of(C, A, B));
    }

    static Ring merged(Ring r, RingPiece p) {
        try {
            return r.merge(p).ring();
        } catch (RingMismatchException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theFirstSplitGivesEqualSharesInMemberOrder() {
        Ring r = three();
        assertThat(r.size()).isEqualTo(3);
        assertThat(r.ownerAt(0)).isEqualTo(A);
        assertThat(r.ownerAt(1)).isEqualTo(B);
        assertThat(r.ownerAt(2)).isEqualTo(C);
        long[] sizes = {r.rangeAt(0).size(), r.rangeAt(1).size(), r.rangeAt(2).size()};
        assertThat(sizes[0] + sizes[1] + sizes[2]).isEqualTo(UNIVERSE.size());
        assertThat(Math.max(sizes[0], Math.max(sizes[1], sizes[2])) - Math.min(sizes[0], Math.min(sizes[1], sizes[2])))
                .isLessThanOrEqualTo(1);
        assertThat(r.invariantViolations()).isEmpty();
        assertThat(three()).isEqualTo(r);
        assertThat(three().digest()).isEqualTo(r.digest());
    }

    @Test
    void differentMembersGiveDifferentClusters() {
        assertThat(Founding.clusterId(UNIVERSE, List.of(A, B))).isNotEqualTo(Founding.clusterId(UNIVERSE, List.of(A, C)));
        assertThat(Founding.clusterId(UNIVERSE, List.of(A, B))).isEqualTo(Founding.clusterId(UNIVERSE, List.of(B, A)));
    }

    @Test
    void onlyTheOwnerChangesAnEntry() {
        Ring r = three();
        Range bs = r.rangeAt(1);
        assertThatThrownBy(() -> r.edit(A, x -> x.size()).give(bs, C)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("owned by " + B);
        assertThatThrownBy(() -> r.edit(A, x -> x.size()).reportFree(bs.start(), 5)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void givingPartOfARangeSplitsItAndRaisesVersionsByOne() {
        Ring r = three();
        Range as = r.rangeAt(0);
        Range part = new Range(as.start() + 1024, as.start() + 2048);
        Merge m = r.edit(A, x -> x.size()).give(part, B).commit();
        Ring after = m.ring();
        assertThat(after.invariantViolations()).isEmpty();
        assertThat(after.ownerOf(part.start())).isEqualTo(B);
        assertThat(after.ownerOf(part.end() - 1)).isEqualTo(B);
        assertThat(after.ownerOf(part.start() - 1)).isEqualTo(A);
        assertThat(after.ownerOf(part.end())).isEqualTo(A);
        assertThat(after.entryFor(as.start()).version()).isEqualTo(2);
        assertThat(m.changedTokens()).containsExactly(as.start(), part.start(), part.end());
        assertThat(after.rangesOwnedBy(B)).contains(part);
    }

    @Test
    void mergeTakesTheHigherVersionAndIsIdempotent() throws Exception {
        Ring base = three();
        Ring newer = base.edit(A, x -> 7).reportFree(base.rangeAt(0).start(), 7).commit().ring();
        assertThat(merged(base, newer.whole())).isEqualTo(newer);
        assertThat(merged(newer, base.whole())).isEqualTo(newer);
        Merge again = newer.merge(newer.whole());
        assertThat(again.changed()).isFalse();
        assertThat(again.ring()).isSameAs(newer);
    }

    @Test
    void theSameVersionWithDifferentContentIsAConflictAndTheRestStillMerges() throws Exception {
        Ring base = three();
        long tokenA = base.rangeAt(0).start();
        long tokenC = base.rangeAt(2).start();
        // Two installs changed A's entry at the same version: a restored backup, say.
        Ring one = base.edit(A, x -> 1).reportFree(tokenA, 1).commit().ring();
        Ring two = base.edit(A, x -> 2).reportFree(tokenA, 2).commit().ring()
                .edit(C, x -> 9).reportFree(tokenC, 9).commit().ring();
        Ring joined = merged(one, two.whole());
        assertThat(joined.conflicts()).hasSize(1);
        assertThat(joined.conflicts().get(0).token()).isEqualTo(tokenA);
        assertThat(joined.conflicts().get(0).claims()).extracting(Claim::free).containsExactlyInAnyOrder(1L, 2L);
        assertThat(joined.ownerOf(tokenA)).isNull();
        assertThat(joined.rangesOwnedBy(A)).isEmpty();
        assertThat(joined.claimAt(2).free()).isEqualTo(9);
        assertThat(merged(two, one.whole())).isEqualTo(joined);
    }

    @Test
    void ringsOfAnotherClusterOrUniverseAreRefusedWithAClearError() {
        Ring ours = three();
        Ring theirs = Founding.ring(UNIVERSE, List.of(A, B));
        assertThatThrownBy(() -> ours.merge(theirs.whole())).isInstanceOf(RingMismatchException.class)
                .hasMessageContaining("bootstrapped separately").hasMessageContaining("wipe the data folder");
        RingPiece otherUniverse = new RingPiece(ours.cluster(), Cidr.parse("10.32.0.0/16").range(), List.of(),
                new TreeSet<>(), false);
        assertThatThrownBy(() -> ours.merge(otherUniverse)).isInstanceOf(RingMismatchException.class)
                .hasMessageContaining("same address space");
    }

    @Test
    void takeOverMovesTheDeadPeersEntriesAndTombstonesIt() {
        Ring r = three();
        Merge m = r.edit(A, x -> x.size()).takeOver(B).commit();
        Ring after = m.ring();
        assertThat(after.isTombstoned(B)).isTrue();
        assertThat(m.newTombstones()).containsExactly(B);
        assertThat(after.ownerAt(1)).isEqualTo(A);
        assertThat(after.entry(1).version()).isEqualTo(2);
        assertThat(after.rangesOwnedBy(B)).isEmpty();
        assertThatThrownBy(() -> r.edit(A, x -> 0).takeOver(A)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTakeOverThatMeetsTheDeadPeersLastChangeGoesToTheLiveClaimant() {
        // Found by simulation seed 12.
        Ring r = three();
        long tokenB = r.rangeAt(1).start();
        // B reported a count the remover never heard of, then died; the remover raised the same version.
        Ring bLast = r.edit(B, x -> 5).reportFree(tokenB, 5).commit().ring();
        Ring removal = r.edit(A, x -> x.size()).takeOver(B).commit().ring();
        Ring joined = merged(removal, bLast.whole());
        assertThat(joined.entry(1).conflicted()).isTrue();
        assertThat(joined.conflicts()).isEmpty();
        assertThat(joined.ownerAt(1)).isEqualTo(A);
    }

    @Test
    void aGrantTheDeadOwnerMadeBeforeDyingBeatsAStaleTakeover() {
        // Found by simulation seed 652: B gave part of its range to C and died; A, not having heard of the
        // grant, removed B and raised the same entry to the same version.
        Ring r = three();
        Range bs = r.rangeAt(1);
        Ring grant = r.edit(B, x -> x.size()).give(new Range(bs.start(), bs.start() + 64), C).commit().ring();
        Ring staleRemoval = r.edit(A, x -> x.size()).takeOver(B).commit().ring();
        Ring joined = merged(staleRemoval, grant.whole());
        assertThat(joined.entry(1).conflicted()).isTrue();
        assertThat(joined.conflicts()).isEmpty();
        assertThat(joined.ownerOf(bs.start())).isEqualTo(C);
        // The rest of B's range sits under a token the remover had not heard of: still B's, tombstoned, which
        // the remover takes over as soon as it learns of it (Peer's late-entry rule).
        assertThat(joined.ownerOf(bs.start() + 64)).isEqualTo(B);
        assertThat(joined.isTombstoned(B)).isTrue();
        assertThat(merged(grant, staleRemoval.whole())).isEqualTo(joined);
    }

    @Test
    void twoLiveRemoversOfOnePeerResolveToTheLowerAndTheOtherMustYield() {
        Ring r = three();
        Ring byA = r.edit(A, x -> x.size()).takeOver(B).commit().ring();
        Ring byC = r.edit(C, x -> x.size()).takeOver(B).commit().ring();
        Ring joined = merged(byA, byC.whole());
        assertThat(joined.conflicts()).as("nothing for an operator to settle").isEmpty();
        assertThat(joined.ownerAt(1)).isEqualTo(A);
        assertThat(joined.entry(1).losers(joined.tombstones())).containsExactly(C);
        assertThat(merged(byC, byA.whole()).ownerAt(1)).as("in either order").isEqualTo(A);
    }

    @Test
    void aDeltaCarriesTheEntryAfterEachChange() {
        Ring r = three();
        Range as = r.rangeAt(0);
        Merge m = r.edit(A, x -> x.size()).give(new Range(as.start(), as.start() + 16), C).commit();
        RingPiece delta = m.ring().delta(m.changedTokens());
        assertThat(delta.complete()).isFalse();
        assertThat(delta.entries()).extracting(Entry::token).containsExactly(as.start(), as.start() + 16, r.rangeAt(1).start());
        assertThat(merged(r, delta)).isEqualTo(m.ring());
    }

    @Test
    void anEntryLearnedWithoutTheTokenThatEndsItNeverClaimsMore() throws Exception {
        // A gives C [s+8, s+16) (tokens s+8 for C, s+16 kept by A), then gives B [s, s+8). The second
        // delta carries C's entry only as the successor of the change, without the token s+16 that ends it.
        // Found by simulation seed 384: a replica that missed the first delta thought C owned up to the
        // next token it knew, all of A's range.
        Ring r = three();
        long s = r.rangeAt(0).start();
        Ring first = r.edit(A, x -> x.size()).give(new Range(s + 8, s + 16), C).commit().ring();
        Merge second = first.edit(A, x -> x.size()).give(new Range(s, s + 8), B).commit();
        RingPiece onlySecond = second.ring().delta(second.changedTokens());
        assertThat(onlySecond.entries()).extracting(Entry::token).containsExactly(s, s + 8);
        Ring stale = r.merge(onlySecond).ring();
        assertThat(stale.ownerOf(s + 8)).isEqualTo(C);
        assertThat(stale.rangesOwnedBy(C)).containsExactly(new Range(s + 8, s + 16), r.rangeAt(2));
        assertThat(stale.ownerOf(s + 16)).isNull(); // a gap here: neither C's nor, yet, A's
        assertThat(stale.shapeViolations()).isEmpty();
        assertThat(stale.invariantViolations()).anyMatch(v -> v.startsWith("gap"));
        assertThat(merged(stale, second.ring().whole())).isEqualTo(second.ring());
        assertThat(second.ring().invariantViolations()).isEmpty();
    }

    @Test
    void badPiecesAreRejectedWhole() {
        Ring r = three();
        Entry e1 = r.entry(1);
        Entry e0 = r.entry(0);
        assertThatThrownBy(() -> new RingPiece(r.cluster(), UNIVERSE, List.of(e1, e0), new TreeSet<>(), false))
                .isInstanceOf(BadRingException.class).hasMessageContaining("increasing");
        assertThatThrownBy(() -> new RingPiece(r.cluster(), UNIVERSE, List.of(e1), new TreeSet<>(), true))
                .isInstanceOf(BadRingException.class).hasMessageContaining("complete");
        Entry outside = Entry.of(UNIVERSE.end() + 5, 1, A, 1, UNIVERSE.end() + 6);
        assertThatThrownBy(() -> new RingPiece(r.cluster(), UNIVERSE, List.of(outside), new TreeSet<>(), false))
                .isInstanceOf(BadRingException.class).hasMessageContaining("outside");
        Entry pastEnd = Entry.of(UNIVERSE.start(), 1, A, 1, UNIVERSE.end() + 6);
        assertThatThrownBy(() -> new RingPiece(r.cluster(), UNIVERSE, List.of(pastEnd), new TreeSet<>(), false))
                .isInstanceOf(BadRingException.class).hasMessageContaining("past the universe");
        assertThatThrownBy(() -> Entry.of(10, 0, A, 1, 11)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Entry.of(10, 1, A, 1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ring.of(r.delta(new long[] {r.rangeAt(1).start()}))).isInstanceOf(BadRingException.class);
    }

    @Test
    void freeCountsPerOwner() {
        Ring r = three();
        assertThat(r.freeByOwner()).containsOnlyKeys(A, B, C);
        assertThat(r.freeByOwner().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(UNIVERSE.size());
        Range firstHalfOfB = new Range(r.rangeAt(1).start(), r.rangeAt(1).start() + 100);
        assertThat(r.freeByOwnerWithin(firstHalfOfB)).containsExactly(java.util.Map.entry(B, 100L));
        assertThat(r.owners()).isEqualTo(Set.of(A, B, C));
    }

    @Test
    void aFreeCountAboveWhatItsClaimSpansIsAViolationTheOracleSees() {
        // The simulator's oracle reads invariantViolations: a ring that reports more free addresses than an
        // entry spans (a count taken from the wrong range, say) must show up there.
        Ring r = three();
        Entry e = r.entry(1);
        Ring over = RingDigestTest.with(r, 1, Entry.of(e.token(), e.version() + 1, B, r.rangeAt(1).size() + 1, e.end()));
        assertThat(over.shapeViolations()).isEmpty();
        assertThat(over.invariantViolations()).singleElement().asString().contains("reports " + (r.rangeAt(1).size() + 1));
        Ring exact = RingDigestTest.with(r, 1, Entry.of(e.token(), e.version() + 1, B, r.rangeAt(1).size(), e.end()));
        assertThat(exact.invariantViolations()).isEmpty();
    }

    @Test
    void asManyMembersAsAddressesShareThemOneEachButNoMore() {
        Range four = Cidr.parse("10.32.0.0/30").range();
        PeerId d = new PeerId("d", 4);
        Ring r = Ring.initial(new ClusterId("c"), four, List.of(A, B, C, d));
        assertThat(r.size()).isEqualTo(4);
        assertThat(r.invariantViolations()).isEmpty();
        assertThatThrownBy(() -> Ring.initial(new ClusterId("c"), four, List.of(A, B, C, d, new PeerId("e", 5))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot share");
    }
}
