package dev.weft.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Ballot;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.Ring;
import dev.weft.core.ring.RingPiece;
import dev.weft.core.space.Attachment;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The places review found suspect (issue 6), each pinned by a test that fails without its fix. */
class ReviewFixesTest {
    final PeerTest h = new PeerTest();

    /** Two seeds formed: SELF owns the first half of the universe, OTHER the second, and OTHER is reachable. */
    Peer pair() {
        Peer p = Peer.fresh(CoreConfig.defaults(PeerTest.UNIVERSE, new Bootstrap.Seeds(List.of("node-a", "node-b"))),
                PeerTest.SELF, 1);
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.Digest(null, 0)));
        assertThat(p.ring()).isNotNull();
        return p;
    }

    /** A ring change as another peer would send it: the entry at {@code token} at {@code version}, owned by {@code owner}. */
    Message.Gossip change(Peer p, long token, long version, PeerId owner) {
        Ring r = p.ring();
        int i = r.indexOf(token);
        Range range = r.rangeAt(i);
        Entry e = Entry.of(token, version, owner, range.size(), range.end());
        RingPiece piece = new RingPiece(r.cluster(), r.universe(), List.of(e), new TreeSet<>(), false);
        return new Message.Gossip(piece, 0, false);
    }

    @Test
    void aRangeThatComesBackHoldsWhatFencedPodsStillHoldInIt() {
        Peer p = pair();
        long a = h.assigned(h.ask(p, id -> new Input.Allocate(id, PeerTest.POD, null)));
        long token = p.ring().entryFor(a).token();
        long v = p.ring().entryFor(a).version();
        h.step(p, new Input.Receive(PeerTest.OTHER, change(p, token, v + 1, PeerTest.OTHER)));
        assertThat(p.status().fenced()).extracting(x -> x.address()).containsExactly(a);
        h.step(p, new Input.Receive(PeerTest.OTHER, change(p, token, v + 2, PeerTest.SELF)));
        assertThat(p.space().owns(a)).as("the range came back").isTrue();
        assertThat(p.space().addressOf(PeerTest.POD)).as("held again, not free").isEqualTo(a);
        assertThat(p.status().fenced()).isEmpty();
        for (int i = 0; i < 200; i++) {
            int n = i;
            for (Reply r : h.step(p, new Input.Allocate(h.ids++, new Attachment("other" + n, "eth0"), null)).replies()) {
                if (r.result() instanceof Result.Assigned as) {
                    assertThat(as.address()).as("never handed out again while its pod runs").isNotEqualTo(a);
                }
            }
        }
    }

    @Test
    void aRemovedPeerAnswersWhatWaitsForSpaceFencedAndStopsAsking() {
        Peer p = pair();
        // Fill SELF's half, so the next allocation waits for space from OTHER.
        for (int i = 0; ; i++) {
            int n = i;
            Output o = h.step(p, new Input.Allocate(h.ids++, new Attachment("c" + n, "eth0"), null));
            if (o.replies().isEmpty()) {
                assertThat(o.send()).anyMatch(e -> e.message() instanceof Message.SpaceRequest);
                break;
            }
        }
        long waiting = h.ids - 1;
        Ring taken = p.ring().edit(PeerTest.OTHER, r -> r.size()).takeOver(PeerTest.SELF).commit().ring();
        Output o = h.step(p, new Input.Receive(PeerTest.OTHER, new Message.Gossip(taken.whole(), taken.digest(), false)));
        assertThat(o.replies()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(waiting);
            assertThat(((Result.Refused) r.result()).why()).isEqualTo(Result.Why.FENCED);
        });
        h.now += 60_000;
        Output later = h.step(p, new Input.Tick());
        assertThat(later.send()).noneMatch(e -> e.message() instanceof Message.SpaceRequest);
    }

    @Test
    void aRemovedPeerCannotLeave() {
        Peer p = pair();
        Ring taken = p.ring().edit(PeerTest.OTHER, r -> r.size()).takeOver(PeerTest.SELF).commit().ring();
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.Gossip(taken.whole(), taken.digest(), false)));
        Result r = h.ask(p, id -> new Input.Leave(id, true));
        assertThat(((Result.Refused) r).why()).isEqualTo(Result.Why.FENCED);
    }

    @Test
    void aLeaveWaitsUntilRangesTakenOverHaveRested() {
        Peer p = pair();
        h.step(p, new Input.PeerDown(PeerTest.OTHER));
        h.ask(p, id -> new Input.RemovePeer(id, PeerTest.OTHER.toString(), true));
        PeerId heir = new PeerId("node-c", 9);
        h.step(p, new Input.PeerUp(heir));
        Result early = h.ask(p, id -> new Input.Leave(id, true));
        assertThat(early).isInstanceOf(Result.TryLater.class);
        assertThat(((Result.TryLater) early).reason()).contains("rest");
        h.now += p.config().takeoverCooldown() + 1;
        h.step(p, new Input.Tick());
        assertThat(h.ask(p, id -> new Input.Leave(id, true))).as("rested, but not yet compared rings with the heir")
                .isInstanceOf(Result.TryLater.class);
        h.step(p, new Input.Receive(heir, new Message.Digest(p.ring().cluster(), p.ring().digest())));
        h.step(p, new Input.Tick());
        assertThat(h.ask(p, id -> new Input.Leave(id, true))).isInstanceOf(Result.Done.class);
    }

    @Test
    void aDonorThatRestartedGivesTheSameBlockForTheSameAskNotASecond() throws Exception {
        Peer p = pair();
        PeerId asker = PeerTest.OTHER;
        Range half = p.ring().rangesOwnedBy(PeerTest.SELF).get(0);
        Output first = h.step(p, new Input.Receive(asker, new Message.SpaceRequest(77, PeerTest.UNIVERSE.range(), false)));
        Message.SpaceGrant g1 = (Message.SpaceGrant) first.send().stream().filter(e -> e.message() instanceof Message.SpaceGrant)
                .findFirst().orElseThrow().message();
        long freeAfterOne = p.space().freeIn(half);
        Peer back = Peer.recover(p.config(), new ArrayList<>(h.store.values()), 2);
        h.step(back, new Input.PeerUp(asker));
        Output again = h.step(back, new Input.Receive(asker, new Message.SpaceRequest(77, PeerTest.UNIVERSE.range(), false)));
        Message.SpaceGrant g2 = (Message.SpaceGrant) again.send().stream().filter(e -> e.message() instanceof Message.SpaceGrant)
                .findFirst().orElseThrow().message();
        assertThat(back.space().freeIn(half)).as("nothing more given").isEqualTo(freeAfterOne);
        assertThat(given(g2, asker)).isEqualTo(given(g1, asker));
    }

    static long given(Message.SpaceGrant g, PeerId to) {
        return g.change().entries().stream().filter(e -> e.owner().equals(to)).findFirst().orElseThrow().token();
    }

    @Test
    void anAcceptorsPromiseIsPersistedInTheStepThatSendsItAndKeptAcrossARestart() throws Exception {
        Peer p = Peer.fresh(CoreConfig.defaults(PeerTest.UNIVERSE, new Bootstrap.Consensus(3)), PeerTest.SELF, 1);
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        Ballot b = new Ballot(5, PeerTest.OTHER);
        Output o = h.step(p, new Input.Receive(PeerTest.OTHER, new Message.Prepare(b)));
        assertThat(o.send()).anyMatch(e -> e.message() instanceof Message.Promise pr && pr.ballot().equals(b));
        assertThat(o.persist()).contains(new Record.Acceptor(b, null, null));
        Peer back = Peer.recover(p.config(), new ArrayList<>(h.store.values()), 2);
        h.step(back, new Input.PeerUp(PeerTest.OTHER));
        Ballot lower = new Ballot(4, new PeerId("node-c", 3));
        Output after = h.step(back, new Input.Receive(lower.proposer(), new Message.Prepare(lower)));
        assertThat(after.send()).noneMatch(e -> e.message() instanceof Message.Promise);
        assertThat(after.send()).anyMatch(e -> e.message() instanceof Message.Nack);
    }
}
