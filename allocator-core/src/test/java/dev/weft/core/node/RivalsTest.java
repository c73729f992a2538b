package dev.weft.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.Conflict;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.Ring;
import dev.weft.core.ring.RingPiece;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * One install removed through two peers (rival takeovers at one version) and an operator's settlement, on
 * one peer: the winner does not use the range until the loser yielded with what its pods hold there; the
 * loser yields to the winner every gossip round; a settlement gives the range to the install it names.
 */
class RivalsTest {
    final PeerTest h = new PeerTest();
    final HandOverTest removals = new HandOverTest();
    static final PeerId HIGHER = new PeerId("node-z", 9);
    static final PeerId LOWER = new PeerId("node-0", 3);
    static final Attachment LOSERS_POD = new Attachment("losers-pod", "eth0");

    RivalsTest() {
        removals.h.now = h.now;
    }

    /** SELF removed OTHER; then {@code rival}'s takeover of the same entry at the same version arrives. */
    Peer rivalled(PeerId rival) {
        Peer p = removals.removedOther();
        h.now = removals.h.now;
        Range r = removals.taken(p);
        Entry mine = p.ring().entryFor(r.start());
        Claim theirs = new Claim(rival, r.size(), r.end(), true);
        hear(p, rival, Entry.ofClaims(r.start(), mine.version(), List.of(theirs)), Set.of(PeerTest.OTHER));
        h.step(p, new Input.PeerUp(rival));
        return p;
    }

    void hear(Peer p, PeerId from, Entry e, Set<PeerId> stones) {
        Ring r = p.ring();
        RingPiece piece = new RingPiece(r.cluster(), r.universe(), List.of(e), new TreeSet<>(stones), false);
        h.step(p, new Input.Receive(from, new Message.Gossip(piece, 0, false)));
    }

    /** Everything that would end the rest but the loser's word: OTHER handed over, rings compared, time. */
    void restOtherwiseOver(Peer p, PeerId rival) {
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.HandOver(List.of(), List.of())));
        h.step(p, new Input.Receive(rival, new Message.Digest(p.ring().cluster(), p.ring().digest())));
        h.now += 10 * p.config().takeoverCooldown();
        h.step(p, new Input.Tick());
    }

    @Test
    void theWinnerWaitsForTheLosersYieldAndKeepsWhatItsPodsHold() {
        Peer p = rivalled(HIGHER);
        Range r = removals.taken(p);
        assertThat(p.ring().ownerOf(r.start())).as("the lower install wins").isEqualTo(PeerTest.SELF);
        restOtherwiseOver(p, HIGHER);
        assertThat(p.space().freeIn(r, h.now)).as("HIGHER may have allocated there before it heard of us").isZero();

        Entry e = p.ring().entryFor(r.start());
        // A hand-over that does not yield this entry (sent before HIGHER knew it lost) does not count.
        h.step(p, new Input.Receive(HIGHER, new Message.HandOver(List.of(), List.of())));
        h.step(p, new Input.Tick());
        assertThat(p.space().freeIn(r, h.now)).isZero();

        h.step(p, new Input.Receive(HIGHER, new Message.HandOver(List.of(new Hold(LOSERS_POD, r.start() + 7)),
                List.of(), List.of(new Message.Yield(e.token(), e.version())))));
        h.step(p, new Input.Tick());
        assertThat(p.space().freeIn(r, h.now)).isPositive();
        assertThat(p.space().addressOf(LOSERS_POD)).as("the loser's pod keeps its address").isEqualTo(r.start() + 7);
        assertThat(p.ring().entryFor(r.start()).conflicted()).as("the winner restated its claim alone").isFalse();
    }

    @Test
    void theLoserYieldsToTheWinnerEveryRoundAndNeverUsesTheRange() {
        Peer p = rivalled(LOWER);
        Range r = new Range(p.ring().rangesOwnedBy(LOWER).get(0).start(), p.ring().rangesOwnedBy(LOWER).get(0).end());
        assertThat(p.space().ranges()).noneMatch(x -> x.overlaps(r));
        Entry e = p.ring().entryFor(r.start());
        for (int round = 0; round < 3; round++) {
            h.now += 2 * p.config().gossipInterval();
            Output o = h.step(p, new Input.Tick());
            assertThat(o.send()).as("round %d", round).filteredOn(env -> env.message() instanceof Message.HandOver)
                    .anySatisfy(env -> {
                assertThat(env.to()).isEqualTo(LOWER);
                assertThat(((Message.HandOver) env.message()).yielded())
                        .contains(new Message.Yield(e.token(), e.version()));
            });
        }
    }

    @Test
    void aSettlementGivesTheRangeToTheNamedClaimantWhichWaitsForTheOthers() {
        Peer p = rivalled(LOWER);
        Range r = p.ring().rangesOwnedBy(LOWER).get(0);
        List<Conflict> listed = Conflict.in(p.ring());
        assertThat(listed).singleElement().satisfies(c -> {
            assertThat(c.range()).isEqualTo(r);
            assertThat(c.owner()).isEqualTo(LOWER);
        });
        Result done = h.ask(p, id -> new Input.Settle(id, r, PeerTest.SELF));
        assertThat(done).isInstanceOf(Result.Done.class);
        assertThat(p.ring().ownerOf(r.start())).isEqualTo(PeerTest.SELF);
        restOtherwiseOver(p, LOWER);
        assertThat(p.space().freeIn(r, h.now)).as("LOWER has not yielded yet").isZero();
        Entry e = p.ring().entryFor(r.start());
        h.step(p, new Input.Receive(LOWER, new Message.HandOver(List.of(), List.of(),
                List.of(new Message.Yield(e.token(), e.version())))));
        h.step(p, new Input.Tick());
        assertThat(p.space().freeIn(r, h.now)).isPositive();
    }

    @Test
    void aSettlementMustNameItsRangeAndOwner() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Input.Settle(1, null, PeerTest.SELF))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name the range");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Input.Settle(1, new Range(0, 4), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claimants");
    }

    @Test
    void aSettlementIsRefusedWithWhatToDoWhenItNamesNoConflictOrNoClaimant() {
        Peer p = rivalled(LOWER);
        Range r = p.ring().rangesOwnedBy(LOWER).get(0);
        Result notAConflict = h.ask(p, id -> new Input.Settle(id, new Range(r.start(), r.start() + 1), PeerTest.SELF));
        assertThat(((Result.Refused) notAConflict).message()).contains("not in conflict", "conflicts query");
        Result notAClaimant = h.ask(p, id -> new Input.Settle(id, r, HIGHER));
        assertThat(((Result.Refused) notAClaimant).message()).contains("does not claim", PeerTest.SELF.toString());
        Result removed = h.ask(p, id -> new Input.Settle(id, r, PeerTest.OTHER));
        assertThat(removed).isInstanceOf(Result.Refused.class);
        assertThat(new ArrayList<>(Conflict.in(p.ring()))).hasSize(1);
    }
}
