package dev.weft.core.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Founding;
import dev.weft.core.peer.Entropy;
import dev.weft.core.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded property tests of the read rules for several claims at one version: rival takeovers of one removed
 * install resolve to the lowest live install, and an operator's settlement to the install it names, the same
 * on every replica whatever order the claims arrived in; the other live claimants are the losers.
 */
class RivalClaimsTest {
    static final Range UNIVERSE = Cidr.parse("10.32.0.0/22").range();

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 200);
    }

    /** A ring of {@code peers}, then each of {@code removers} takes over {@code dead} from that same ring. */
    static List<Ring> rivalTakeovers(List<PeerId> peers, PeerId dead, List<PeerId> removers) {
        Ring base = Founding.ring(UNIVERSE, peers);
        List<Ring> out = new ArrayList<>();
        for (PeerId r : removers) {
            out.add(base.edit(r, x -> x.size()).takeOver(dead).commit().ring());
        }
        return out;
    }

    static Range deadsRange(List<PeerId> peers, PeerId dead) {
        return Founding.ring(UNIVERSE, peers).rangesOwnedBy(dead).get(0);
    }

    static Ring joinAll(List<Ring> rings, Entropy rnd) {
        List<Ring> order = new ArrayList<>(rings);
        rnd.shuffle(order);
        Ring acc = order.get(0);
        for (Ring r : order.subList(1, order.size())) {
            acc = RingLawsTest.join(acc, r);
        }
        return acc;
    }

    static List<PeerId> peers(Entropy rnd) {
        int n = 4 + rnd.nextInt(5);
        List<PeerId> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            peers.add(new PeerId("p" + rnd.nextInt(3 * n), rnd.nextLong()));
        }
        return new ArrayList<>(new TreeSet<>(peers));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void rivalTakeoversResolveToTheLowestLiveInstallOnEveryReplica(long seed) {
        Entropy rnd = new Entropy(seed);
        List<PeerId> peers = peers(rnd);
        PeerId dead = peers.get(rnd.nextInt(peers.size()));
        List<PeerId> others = new ArrayList<>(peers);
        others.remove(dead);
        rnd.shuffle(others);
        List<PeerId> removers = others.subList(0, 2 + rnd.nextInt(others.size() - 1));
        List<Ring> rings = rivalTakeovers(peers, dead, removers);
        PeerId lowest = new TreeSet<>(removers).first();
        Range taken = deadsRange(peers, dead);
        for (int replica = 0; replica < 4; replica++) {
            Ring joined = joinAll(rings, rnd);
            int i = joined.indexOf(taken.start());
            assertThat(joined.ownerAt(i)).as("seed %d: every replica reads the same owner", seed).isEqualTo(lowest);
            Set<PeerId> losers = new TreeSet<>(removers);
            losers.remove(lowest);
            assertThat(joined.entry(i).losers(joined.tombstones())).isEqualTo(losers);
            assertThat(joined.conflicts()).as("nothing left for an operator").isEmpty();
            assertThat(Conflict.in(joined)).singleElement().satisfies(c -> {
                assertThat(c.owner()).isEqualTo(lowest);
                assertThat(c.unresolved()).isFalse();
            });
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aSettlementGivesTheChosenClaimantTheRangeEverywhere(long seed) {
        Entropy rnd = new Entropy(seed);
        List<PeerId> peers = peers(rnd);
        PeerId dead = peers.get(0);
        List<PeerId> removers = new ArrayList<>(peers.subList(1, peers.size()));
        rnd.shuffle(removers);
        removers = removers.subList(0, 2 + rnd.nextInt(removers.size() - 1));
        List<Ring> rings = rivalTakeovers(peers, dead, removers);
        Ring joined = joinAll(rings, rnd);
        Range taken = deadsRange(peers, dead);
        PeerId chosen = removers.get(rnd.nextInt(removers.size()));
        PeerId actor = peers.get(rnd.nextInt(peers.size()));
        Ring settled = joined.edit(actor, x -> x.size()).settle(taken.start(), chosen).commit().ring();
        // Every replica: the settlement joined with any subset of what it knew before reads the same.
        for (Ring r : rings) {
            Ring seen = RingLawsTest.join(r, settled);
            int i = seen.indexOf(taken.start());
            assertThat(seen.ownerAt(i)).as("seed %d", seed).isEqualTo(chosen);
            Set<PeerId> losers = new TreeSet<>(removers);
            losers.remove(chosen);
            assertThat(seen.entry(i).losers(seen.tombstones())).isEqualTo(losers);
        }
        // Two operators settling differently at once: a conflict again, which a further settlement ends.
        PeerId other = removers.get((removers.indexOf(chosen) + 1) % removers.size());
        Ring rival = joined.edit(actor, x -> x.size()).settle(taken.start(), other).commit().ring();
        Ring both = RingLawsTest.join(settled, rival);
        int i = both.indexOf(taken.start());
        assertThat(both.ownerAt(i)).isNull();
        assertThat(Conflict.in(both)).singleElement().satisfies(c -> assertThat(c.unresolved()).isTrue());
        Ring again = both.edit(actor, x -> x.size()).settle(taken.start(), other).commit().ring();
        assertThat(again.ownerAt(i)).isEqualTo(other);
        assertThat(RingLawsTest.join(again, settled).ownerAt(i)).as("the later settlement outranks both").isEqualTo(other);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aTombstonedRivalIsSetAsideAndNotWaitedFor(long seed) {
        Entropy rnd = new Entropy(seed);
        List<PeerId> peers = peers(rnd);
        PeerId dead = peers.get(0);
        PeerId a = peers.get(1);
        PeerId b = peers.get(2);
        Ring joined = joinAll(rivalTakeovers(peers, dead, List.of(a, b)), rnd);
        Range taken = deadsRange(peers, dead);
        // The lower one, a, is then removed through a third peer: its claims go to that peer, one version up.
        PeerId third = peers.get(3);
        Ring after = joined.edit(third, x -> x.size()).takeOver(a).commit().ring();
        int i = after.indexOf(taken.start());
        assertThat(after.ownerAt(i)).isEqualTo(third);
        assertThat(after.entry(i).losers(after.tombstones())).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void onlyAConflictCanBeSettledAndOnlyOnALiveClaimant(long seed) {
        Entropy rnd = new Entropy(seed);
        List<PeerId> peers = peers(rnd);
        Ring ring = Founding.ring(UNIVERSE, peers);
        PeerId owner = peers.get(rnd.nextInt(peers.size()));
        long token = ring.rangesOwnedBy(owner).get(0).start();
        assertThatThrownBy(() -> ring.edit(owner, x -> x.size()).settle(token, owner))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no entry");
        Ring joined = joinAll(rivalTakeovers(peers, owner, List.of(peers.get((peers.indexOf(owner) + 1) % peers.size()),
                peers.get((peers.indexOf(owner) + 2) % peers.size()))), rnd);
        assertThatThrownBy(() -> joined.edit(owner, x -> x.size()).settle(token, owner))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a live claimant");
    }
}
