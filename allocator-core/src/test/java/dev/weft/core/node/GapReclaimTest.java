package dev.weft.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.Gap;
import dev.weft.core.ring.Ring;
import dev.weft.core.ring.RingEditor;
import dev.weft.core.ring.RingPiece;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * An operator's reclaim of a gap, on one peer: it asks every known install, takes the gap only once all said
 * they own nothing there, refuses with what to do otherwise, and what it takes outranks the lost split should
 * that ever reappear.
 */
class GapReclaimTest {
    final PeerTest h = new PeerTest();
    /** The gap OTHER's lost split left: OTHER owns [128, 192) and nobody knows [192, 256). */
    static final Range GAP = new Range(PeerTest.UNIVERSE.base() + 192, PeerTest.UNIVERSE.base() + 256);

    /** Two seeds, node-a (SELF) and node-b (OTHER); OTHER cut its half at 192, and that token was lost. */
    Peer withGap() {
        Peer p = Peer.fresh(CoreConfig.defaults(PeerTest.UNIVERSE, new Bootstrap.Seeds(List.of("node-a", "node-b"))),
                PeerTest.SELF, 1);
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.Digest(null, 0)));
        hear(p, Entry.of(GAP.start() - 64, 2, PeerTest.OTHER, 64, GAP.start()));
        assertThat(Gap.in(p.ring())).containsExactly(new Gap(GAP));
        return p;
    }

    void hear(Peer p, Entry e) {
        Ring r = p.ring();
        RingPiece piece = new RingPiece(r.cluster(), r.universe(), List.of(e), new TreeSet<>(r.tombstones()), false);
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.Gossip(piece, 0, false)));
    }

    long ask(Peer p, Output o) {
        assertThat(o.replies()).as("no answer before every install has answered").isEmpty();
        return o.send().stream().filter(e -> e.to().equals(PeerTest.OTHER) && e.message() instanceof Message.GapQuery)
                .map(e -> ((Message.GapQuery) e.message()).nonce()).findFirst().orElseThrow();
    }

    Result answer(Peer p, long nonce, boolean ownsNothing) {
        Output o = h.step(p, new Input.Receive(PeerTest.OTHER, new Message.GapAnswer(nonce, ownsNothing)));
        assertThat(o.replies()).hasSize(1);
        return o.replies().get(0).result();
    }

    @Test
    void takesTheGapOnceEveryKnownInstallSaidItOwnsNothingThereAndRestsItLikeATakeover() {
        Peer p = withGap();
        long nonce = ask(p, h.step(p, new Input.ReclaimGap(h.ids++, GAP)));
        assertThat(p.ring().ownerOf(GAP.start())).as("nothing taken before the answers").isNull();

        Result r = answer(p, nonce, true);
        assertThat(r).isInstanceOf(Result.Done.class);
        assertThat(((Result.Done) r).message()).contains("took over the gap", PeerTest.OTHER.toString());
        Claim c = p.ring().claimAt(p.ring().indexOf(GAP.start()));
        assertThat(c.owner()).isEqualTo(PeerTest.SELF);
        assertThat(c.takeover()).as("it rests and is used last").isTrue();
        assertThat(p.ring().rangeAt(p.ring().indexOf(GAP.start()))).isEqualTo(GAP);
        assertThat(Gap.in(p.ring())).isEmpty();
        assertThat(p.space().freeIn(GAP, h.now)).as("resting").isZero();
        assertThat(p.space().freeIn(GAP)).as("all but the reserved broadcast address").isEqualTo(GAP.size() - 1);
        assertThat(h.store.values()).anyMatch(x -> x instanceof Record.Cooldown cd && cd.range().equals(GAP));
    }

    @Test
    void theLostSplitReappearingLosesToTheReclaim() {
        Peer p = withGap();
        answer(p, ask(p, h.step(p, new Input.ReclaimGap(h.ids++, GAP))), true);
        long version = p.ring().entryFor(GAP.start()).version();
        assertThat(version).isGreaterThan(RingEditor.GAP_LEAP);
        // A restored data folder brings back OTHER's token at 192, changed many times since its split.
        hear(p, Entry.of(GAP.start(), 100_000, PeerTest.OTHER, 10, GAP.end()));
        assertThat(p.ring().ownerOf(GAP.start())).isEqualTo(PeerTest.SELF);
        assertThat(p.ring().entryFor(GAP.start()).version()).isEqualTo(version);
    }

    @Test
    void anInstallThatOwnsSomethingThereRefusesIt() {
        Peer p = withGap();
        long nonce = ask(p, h.step(p, new Input.ReclaimGap(h.ids++, GAP)));
        Result r = answer(p, nonce, false);
        assertThat(r).isInstanceOf(Result.Refused.class);
        assertThat(((Result.Refused) r).why()).isEqualTo(Result.Why.UNSAFE);
        assertThat(((Result.Refused) r).message()).contains(PeerTest.OTHER.toString(), "owns addresses");
        assertThat(Gap.in(p.ring())).containsExactly(new Gap(GAP));
    }

    @Test
    void anInstallThatCannotAnswerMustBeRemovedFirst() {
        Peer p = withGap();
        h.step(p, new Input.PeerDown(PeerTest.OTHER));
        Output asked = h.step(p, new Input.ReclaimGap(h.ids++, GAP));
        assertThat(asked.replies()).isEmpty();
        assertThat(asked.send()).noneMatch(e -> e.message() instanceof Message.GapQuery);
        h.now += p.config().requestDeadline();
        Output o = h.step(p, new Input.Tick());
        assertThat(o.replies()).singleElement().satisfies(reply -> {
            Result.Refused f = (Result.Refused) reply.result();
            assertThat(f.why()).isEqualTo(Result.Why.UNSAFE);
            assertThat(f.message()).contains(PeerTest.OTHER.toString(), "did not answer", "rmpeer");
        });
        assertThat(Gap.in(p.ring())).containsExactly(new Gap(GAP));
        // A late answer to a question that was refused changes nothing.
        assertThat(h.step(p, new Input.Receive(PeerTest.OTHER, new Message.GapAnswer(1, true))).replies()).isEmpty();
    }

    @Test
    void aQuestionIsAskedAgainWhileTheInstallIsSilent() {
        Peer p = withGap();
        long nonce = ask(p, h.step(p, new Input.ReclaimGap(h.ids++, GAP)));
        h.now += GapReclaim.RESEND;
        Output again = h.step(p, new Input.Tick());
        assertThat(again.send()).anyMatch(e -> e.message().equals(new Message.GapQuery(nonce, GAP)));
    }

    @Test
    void anythingButExactlyAGapIsRefusedWithTheGapsToName() {
        Peer p = withGap();
        Result part = h.ask(p, id -> new Input.ReclaimGap(id, new Range(GAP.start(), GAP.start() + 8)));
        assertThat(((Result.Refused) part).why()).isEqualTo(Result.Why.BAD_REQUEST);
        assertThat(((Result.Refused) part).message()).contains("not a gap", GAP.toString());
        Result owned = h.ask(p, id -> new Input.ReclaimGap(id, new Range(PeerTest.UNIVERSE.base(), PeerTest.UNIVERSE.base() + 4)));
        assertThat(((Result.Refused) owned).why()).isEqualTo(Result.Why.BAD_REQUEST);
        assertThatThrownBy(() -> new Input.ReclaimGap(1, null)).hasMessageContaining("gaps query");
        assertThatThrownBy(() -> p.ring().edit(PeerTest.SELF, x -> 0).claimGap(new Range(GAP.start(), GAP.end() - 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPeerWithoutARingIsToldToTryLater() {
        Peer forming = Peer.fresh(CoreConfig.defaults(PeerTest.UNIVERSE, new Bootstrap.Observer()), PeerTest.SELF, 1);
        assertThat(h.ask(forming, id -> new Input.ReclaimGap(id, GAP))).isInstanceOf(Result.TryLater.class);
    }

    @Test
    void everyPeerAnswersFromItsOwnRing() {
        Peer p = withGap();
        Output mine = h.step(p, new Input.Receive(PeerTest.OTHER, new Message.GapQuery(5,
                new Range(PeerTest.UNIVERSE.base() + 100, PeerTest.UNIVERSE.base() + 200))));
        assertThat(mine.send()).contains(new Envelope(PeerTest.OTHER, new Message.GapAnswer(5, false)));
        Output none = h.step(p, new Input.Receive(PeerTest.OTHER, new Message.GapQuery(6, GAP)));
        assertThat(none.send()).contains(new Envelope(PeerTest.OTHER, new Message.GapAnswer(6, true)));
        PeerId stranger = new PeerId("node-x", 3);
        assertThat(GapReclaim.ownsNothing(p.ring(), stranger, GAP, Set.of())).isTrue();
        assertThat(GapReclaim.ownsNothing(p.ring(), stranger, GAP, Set.of(GAP.start() + 3)))
                .as("a pod's fenced address there").isFalse();
    }

    /**
     * Soak seed 5624, the core's half: the peer whose pod keeps a fenced address in a gap (a successor that
     * imported it) reclaims the gap itself; the pod's address is held again in what it takes, never free.
     */
    @Test
    void thePeerWhosePodKeepsAnAddressInTheGapReclaimsItAndHoldsItAgain() throws Exception {
        Peer p = withGap();
        dev.weft.core.space.Attachment pod = new dev.weft.core.space.Attachment("kept", "eth0");
        Record.Held held = new Record.Held(new dev.weft.core.space.Hold(pod, GAP.start() + 3));
        h.store.put(held.key(), held);
        Peer back = Peer.recover(p.config(), new java.util.ArrayList<>(h.store.values()), 2);
        assertThat(back.status().fenced()).extracting(x -> x.address()).containsExactly(GAP.start() + 3);
        h.step(back, new Input.PeerUp(PeerTest.OTHER));
        h.step(back, new Input.Receive(PeerTest.OTHER, new Message.Digest(back.ring().cluster(), back.ring().digest())));
        assertThat(GapReclaim.ownsNothing(back.ring(), PeerTest.SELF, GAP, List.of(GAP.start() + 3)))
                .as("asked by another peer, it refuses").isFalse();

        Result r = answer(back, ask(back, h.step(back, new Input.ReclaimGap(h.ids++, GAP))), true);
        assertThat(r).isInstanceOf(Result.Done.class);
        assertThat(back.space().addressOf(pod)).as("held again, not free").isEqualTo(GAP.start() + 3);
        assertThat(back.status().fenced()).isEmpty();
    }
}
