package dev.weft.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
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
 * A removal without force waits for the removed install: its ranges are used only once it handed over what
 * its pods hold (they are then kept held for it until it says they are released), or once a new install
 * runs under its name. Force is the operator saying its host is gone with its pods.
 */
class HandOverTest {
    final PeerTest h = new PeerTest();
    static final Attachment ITS_POD = new Attachment("its-pod", "eth0");

    /** SELF and OTHER formed; OTHER is cut off and removed through SELF without force. */
    Peer removedOther() {
        return removedOther(CoreConfig.defaults(PeerTest.UNIVERSE, new Bootstrap.Seeds(List.of("node-a", "node-b"))));
    }

    /** As {@link #removedOther()}, with {@code config} (two seeds, node-a and node-b). */
    Peer removedOther(CoreConfig config) {
        Peer p = Peer.fresh(config, PeerTest.SELF, 1);
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.Digest(null, 0)));
        h.step(p, new Input.PeerDown(PeerTest.OTHER));
        assertThat(h.ask(p, id -> new Input.RemovePeer(id, PeerTest.OTHER.toString(), false))).isInstanceOf(Result.Done.class);
        return p;
    }

    static Range taken(Peer p) {
        for (Range r : p.space().ranges()) {
            if (p.space().usableFrom(r.start()) > 0) {
                return r;
            }
        }
        throw new AssertionError("nothing taken over");
    }

    /**
     * Soak seed 1545: a removed install hands over the address of a pod that this node holds as its own (a
     * successor imported it from the node's live pods). When that install stops listing it, the pod still
     * runs here: its address stays held until this node's own DEL or GC.
     */
    @Test
    void aHandOverNeverFreesAPodThatIsThisNodesOwn() {
        Peer p = removedOther();
        long a = h.assigned(h.ask(p, id -> new Input.Allocate(id, PeerTest.POD, null)));
        Hold own = new Hold(PeerTest.POD, a);
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.HandOver(List.of(own), List.of())));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.HandOver(List.of(), List.of())));
        assertThat(p.space().addressOf(PeerTest.POD)).as("still held for the pod that runs here").isEqualTo(a);
    }

    /**
     * Soak seed 3097: the operator removed OTHER with force (its host is gone with its pods), and later this
     * peer learned an entry OTHER had made before it died. Retaking it waited for OTHER's hand-over, which
     * never comes: the range rested for ever. A forced removal is remembered (also across a restart), and
     * what is retaken of the install then waits, as the forced takeover did, only for time and equal rings.
     */
    @Test
    void whatIsRetakenOfAnInstallRemovedWithForceWaitsForNoHandOver() throws CorruptStateException {
        CoreConfig config = CoreConfig.defaults(PeerTest.UNIVERSE, new Bootstrap.Seeds(List.of("node-a", "node-b")));
        Peer p = Peer.fresh(config, PeerTest.SELF, 1);
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.Digest(null, 0)));
        h.step(p, new Input.PeerDown(PeerTest.OTHER));
        assertThat(h.ask(p, id -> new Input.RemovePeer(id, PeerTest.OTHER.toString(), true))).isInstanceOf(Result.Done.class);
        Range r = taken(p);
        // A restart in between: the removal's force must be read back from the store.
        p = Peer.recover(config, new ArrayList<>(h.store.values()), 2);
        h.step(p, new Input.Tick());
        // OTHER's own change there, made before it died and heard only now: a higher version than the takeover.
        Entry late = Entry.of(r.start(), p.ring().entryFor(r.start()).version() + 1, PeerTest.OTHER, r.size(), r.end());
        Ring ring = p.ring();
        h.step(p, new Input.Receive(new PeerId("node-c", 9), new Message.Gossip(new RingPiece(ring.cluster(),
                ring.universe(), List.of(late), new TreeSet<>(ring.tombstones()), false), 0, false)));
        assertThat(p.ring().ownerOf(r.start())).as("retaken").isEqualTo(PeerTest.SELF);
        h.now += config.takeoverCooldown() + 1;
        h.step(p, new Input.Tick());
        assertThat(p.space().freeIn(r, h.now)).as("usable once its time is up: no hand-over awaited").isPositive();
    }

    @Test
    void takenRangesWaitForTheHandOverWhateverTheTime() {
        Peer p = removedOther();
        Range r = taken(p);
        h.now += 10 * p.config().takeoverCooldown();
        h.step(p, new Input.Tick());
        assertThat(p.space().freeIn(r, h.now)).as("not usable: the install may be alive").isZero();
        Result claim = h.ask(p, id -> new Input.Claim(id, new Attachment("c1", "eth0"), r.start() + 3));
        assertThat(((Result.TryLater) claim).reason()).contains("handed over");
    }

    @Test
    void aHandOverIsKeptHeldUntilTheRemovedInstallReleasesIt() throws Exception {
        Peer p = removedOther();
        Range r = taken(p);
        long its = r.start() + 5;
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.HandOver(List.of(new Hold(ITS_POD, its)), List.of())));
        assertThat(p.space().addressOf(ITS_POD)).isEqualTo(its);
        h.now += p.config().takeoverCooldown() + 1;
        h.step(p, new Input.Tick());
        assertThat(p.space().freeIn(r, h.now)).as("usable now").isPositive();
        // This node's own GC does not speak for the removed install's pods.
        h.ask(p, id -> new Input.Gc(id, Set.of()));
        assertThat(p.space().addressOf(ITS_POD)).isEqualTo(its);
        for (int i = 0; i < 300; i++) {
            int n = i;
            for (Reply rep : h.step(p, new Input.Allocate(h.ids++, new Attachment("new" + n, "eth0"), null)).replies()) {
                if (rep.result() instanceof Result.Assigned as) {
                    assertThat(as.address()).isNotEqualTo(its);
                }
            }
        }
        Peer back = Peer.recover(p.config(), new ArrayList<>(h.store.values()), 2);
        h.step(back, new Input.PeerUp(PeerTest.OTHER));
        assertThat(back.space().addressOf(ITS_POD)).as("kept across a restart").isEqualTo(its);
        h.step(back, new Input.Receive(PeerTest.OTHER, new Message.HandOver(List.of(), List.of())));
        assertThat(back.space().addressOf(ITS_POD)).as("released there, so released here").isEqualTo(-1);
        assertThat(h.store.keySet()).noneMatch(k -> k.startsWith("kept/"));
    }

    /**
     * Soak seed 9732: the operator removes again with force an install removed while it ran, its host now gone
     * with its pods, and what was kept for them is free. A hand-over it sent before it died, held up by a cut and
     * delivered after, must not make this peer keep those pods' addresses again: no one would ever release them.
     */
    @Test
    void aHandOverArrivingAfterARemovalWithForceKeepsNothing() throws Exception {
        Peer p = removedOther();
        long its = taken(p).start() + 5;
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.HandOver(List.of(new Hold(ITS_POD, its)), List.of())));
        assertThat(p.space().addressOf(ITS_POD)).isEqualTo(its);
        assertThat(h.ask(p, id -> new Input.RemovePeer(id, PeerTest.OTHER.toString(), true))).isInstanceOf(Result.Done.class);
        assertThat(p.space().addressOf(ITS_POD)).as("free once its host is said gone").isEqualTo(-1);
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.HandOver(List.of(new Hold(ITS_POD, its)), List.of())));
        assertThat(p.space().addressOf(ITS_POD)).as("a late hand-over keeps nothing").isEqualTo(-1);
        Peer back = Peer.recover(p.config(), new ArrayList<>(h.store.values()), 2);
        h.step(back, new Input.Receive(PeerTest.OTHER, new Message.HandOver(List.of(new Hold(ITS_POD, its)), List.of())));
        assertThat(back.space().addressOf(ITS_POD)).as("nor after a restart").isEqualTo(-1);
    }

    @Test
    void aPeerKeepingAnotherNodesPodsCannotLeaveEvenForced() {
        Peer p = removedOther();
        Range r = taken(p);
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.HandOver(List.of(new Hold(ITS_POD, r.start() + 5)),
                List.of())));
        h.step(p, new Input.PeerUp(new PeerId("node-c", 5)));
        synced(p, new PeerId("node-c", 5));
        h.now += p.config().takeoverCooldown() + 1;
        h.step(p, new Input.Tick());
        Result r1 = h.ask(p, id -> new Input.Leave(id, true));
        assertThat(((Result.Refused) r1).why()).isEqualTo(Result.Why.UNSAFE);
        assertThat(((Result.Refused) r1).message()).contains("running pods of removed installs");
        assertThat(p.space().addressOf(ITS_POD)).isEqualTo(r.start() + 5);
    }

    @Test
    void aNewInstallUnderItsNameEndsTheWait() {
        Peer p = removedOther();
        Range r = taken(p);
        h.step(p, new Input.PeerUp(new PeerId(PeerTest.OTHER.name(), 99)));
        synced(p, new PeerId(PeerTest.OTHER.name(), 99));
        h.now += p.config().takeoverCooldown() + 1;
        h.step(p, new Input.Tick());
        assertThat(p.space().freeIn(r, h.now)).isPositive();
    }

    @Test
    void theRemovedInstallFencesAndHandsOverWhatItsPodsHold() {
        Peer p = Peer.fresh(CoreConfig.defaults(PeerTest.UNIVERSE, new Bootstrap.Seeds(List.of("node-a", "node-b"))),
                PeerTest.SELF, 1);
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.Digest(null, 0)));
        long a = h.assigned(h.ask(p, id -> new Input.Allocate(id, PeerTest.POD, null)));
        Ring taken = p.ring().edit(PeerTest.OTHER, x -> x.size()).takeOver(PeerTest.SELF).commit().ring();
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.Gossip(taken.whole(), taken.digest(), false)));
        h.now += 10_000;
        Output o = h.step(p, new Input.Tick());
        assertThat(o.send()).anySatisfy(e -> {
            assertThat(e.to()).isEqualTo(PeerTest.OTHER);
            assertThat(((Message.HandOver) e.message()).holds()).containsExactly(new Hold(PeerTest.POD, a));
        });
    }

    /**
     * Soak seed 4566. SELF removed OTHER (alive, cut off) and keeps OTHER's pod; then SELF, itself alive and
     * cut off, is removed through a third peer: it fences, the kept pod moves to its fenced holds, and its
     * hand-over tells the new owner of that address to keep it. OTHER's host then dies with its pods and the
     * operator removes it again with force through every peer. SELF, fenced, refused that, so it handed the
     * dead pod over for ever and the new owner never freed the address.
     */
    @Test
    void aFencedPeerReleasesWhatItKeptForAnInstallForcedGone() {
        Peer p = removedOther();
        long its = taken(p).start() + 5;
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.HandOver(List.of(new Hold(ITS_POD, its)), List.of())));
        assertThat(p.space().addressOf(ITS_POD)).isEqualTo(its);

        PeerId third = new PeerId("node-c", 5);
        h.step(p, new Input.PeerUp(third));
        Ring taken = p.ring().edit(third, x -> x.size()).takeOver(PeerTest.SELF).commit().ring();
        h.step(p, new Input.Receive(third, new Message.Gossip(taken.whole(), taken.digest(), false)));
        assertThat(p.status().phase()).isEqualTo(Status.Phase.REMOVED);
        assertThat(p.status().fenced()).containsExactly(new Hold(ITS_POD, its));
        assertThat(handedOver(p)).containsExactly(new Hold(ITS_POD, its));

        Result notForced = h.ask(p, id -> new Input.RemovePeer(id, PeerTest.OTHER.toString(), false));
        assertThat(((Result.Refused) notForced).why()).as("fenced: nothing else").isEqualTo(Result.Why.FENCED);
        Result forced = h.ask(p, id -> new Input.RemovePeer(id, PeerTest.OTHER.toString(), true));
        assertThat(forced).isInstanceOf(Result.Done.class);
        assertThat(p.status().fenced()).isEmpty();
        assertThat(h.store.keySet()).noneMatch(k -> k.startsWith("kept/") || k.startsWith("hold/"));
        assertThat(handedOver(p)).as("the new owner hears it is released").isEmpty();
        Result again = h.ask(p, id -> new Input.RemovePeer(id, PeerTest.OTHER.toString(), true));
        assertThat(((Result.Refused) again).why()).as("nothing left to release").isEqualTo(Result.Why.FENCED);
    }

    /**
     * A pod's address can be handed over by two removed installs: its own node, and a fenced peer that had
     * kept it (see the test above). When one of them stops listing it, the other may still: it stays held.
     */
    @Test
    void aPodKeptForTwoRemovedInstallsStaysHeldWhileEitherListsIt() {
        Peer p = removedOther();
        long its = taken(p).start() + 5;
        PeerId third = new PeerId("node-c", 5);
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.PeerUp(third));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.HandOver(List.of(new Hold(ITS_POD, its)), List.of())));
        h.step(p, new Input.Receive(third, new Message.HandOver(List.of(new Hold(ITS_POD, its)), List.of())));
        h.step(p, new Input.Receive(third, new Message.HandOver(List.of(), List.of())));
        assertThat(p.space().addressOf(ITS_POD)).as("OTHER still lists it").isEqualTo(its);
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.HandOver(List.of(), List.of())));
        assertThat(p.space().addressOf(ITS_POD)).as("listed by neither").isEqualTo(-1);
        assertThat(h.store.keySet()).noneMatch(k -> k.startsWith("kept/") || k.startsWith("hold/"));
    }

    /**
     * Soak seed 10762 of operator changes as deltas. SELF, live and never removed, lost a range in which its pod
     * held an address (there to p03, when another install's removal outranked its claim): the hold was fenced and
     * handed over, and the new owner OTHER kept it for SELF. OTHER then went down; the pod was released and SELF's
     * last, empty word went once, to the peers up then. SELF owes nothing more, so it never spoke again, and OTHER
     * kept the released address for ever (LEAK). Now OTHER hears that word once it is back, and only after SELF
     * compared rings with it since then: had OTHER removed SELF meanwhile, SELF would know, and owe its whole word.
     */
    @Test
    void aKeeperThatWasDownHearsTheLastEmptyWordWhenItIsBack() {
        Peer p = ownerLostTo(PeerTest.OTHER);
        PeerId third = new PeerId("node-c", 5);
        h.step(p, new Input.PeerUp(third));
        assertThat(handOversTo(p, 1)).as("fenced: handed over to everyone").containsKeys(PeerTest.OTHER, third);

        h.step(p, new Input.PeerDown(PeerTest.OTHER));
        assertThat(h.ask(p, id -> new Input.Release(id, PeerTest.POD))).isInstanceOf(Result.Released.class);
        assertThat(handOversTo(p, 1)).as("its last word, to the peers up now").containsOnlyKeys(third)
                .containsEntry(third, List.of());
        assertThat(handOversTo(p, 8)).as("owes nothing more: silent").isEmpty();

        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        assertThat(handOversTo(p, 8)).as("not before it compared rings with OTHER since OTHER came back").isEmpty();
        synced(p, PeerTest.OTHER);
        assertThat(handOversTo(p, 8)).as("once, when it is back").containsOnlyKeys(PeerTest.OTHER)
                .containsEntry(PeerTest.OTHER, List.of());
        assertThat(handOversTo(p, 8)).isEmpty();
    }

    /**
     * A restart forgets whom it told, and a peer rebuilt from its folder takes nothing back on the strength of
     * that folder: it may be an older copy that misses a pod handed over since (review of the 10762 fix). The
     * keeper keeps the address: a leak, never a live pod's address freed.
     */
    @Test
    void aPeerRebuiltFromItsFolderTakesNothingBackOnItsFolderAlone() throws CorruptStateException {
        Peer p = ownerLostTo(PeerTest.OTHER);
        assertThat(handOversTo(p, 1)).containsKey(PeerTest.OTHER);
        h.step(p, new Input.PeerDown(PeerTest.OTHER));
        assertThat(h.ask(p, id -> new Input.Release(id, PeerTest.POD))).isInstanceOf(Result.Released.class);
        assertThat(handOversTo(p, 2)).isEmpty();

        Peer back = Peer.recover(p.config(), new ArrayList<>(h.store.values()), 2);
        h.step(back, new Input.PeerUp(PeerTest.OTHER));
        assertThat(handOversTo(back, 8)).isEmpty();
        synced(back, PeerTest.OTHER);
        assertThat(handOversTo(back, 8)).as("no empty word from a folder that may be older than what it said").isEmpty();
    }

    /** The keeper's side: the empty word of a live install releases what was kept for it, and writes nothing else. */
    @Test
    void anEmptyWordReleasesWhatIsKeptForALiveInstallAndIsSkippedWhereNothingIs() {
        Peer p = removedOther();
        long its = taken(p).start() + 5;
        PeerId third = new PeerId("node-c", 5);
        h.step(p, new Input.PeerUp(third));
        h.step(p, new Input.Receive(third, new Message.HandOver(List.of(new Hold(ITS_POD, its)), List.of())));
        assertThat(p.space().addressOf(ITS_POD)).isEqualTo(its);
        Output skipped = h.step(p, new Input.Receive(new PeerId("node-d", 6), new Message.HandOver(List.of(), List.of())));
        assertThat(skipped.persist()).as("nothing kept for it, nothing waits for it").isEmpty();
        h.step(p, new Input.Receive(third, new Message.HandOver(List.of(), List.of())));
        assertThat(p.space().addressOf(ITS_POD)).isEqualTo(-1);
        assertThat(h.store.keySet()).noneMatch(k -> k.startsWith("kept/") || k.startsWith("hold/"));
    }

    /**
     * SELF and OTHER formed; SELF holds POD in its own range, which {@code winner} then takes one version up (as
     * p03 lost its range to p10's takeover in seed 10762): POD's hold is fenced on SELF, which is not removed.
     */
    Peer ownerLostTo(PeerId winner) {
        Peer p = Peer.fresh(CoreConfig.defaults(PeerTest.UNIVERSE, new Bootstrap.Seeds(List.of("node-a", "node-b"))),
                PeerTest.SELF, 1);
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.Digest(null, 0)));
        long a = h.assigned(h.ask(p, id -> new Input.Allocate(id, PeerTest.POD, null)));
        Entry e = p.ring().entryFor(a);
        hear(p, Entry.ofClaims(e.token(), e.version() + 1, List.of(new Claim(winner, 0, e.end(), true))), Set.of());
        assertThat(p.status().fenced()).containsExactly(new Hold(PeerTest.POD, a));
        assertThat(p.status().phase()).isEqualTo(Status.Phase.READY);
        return p;
    }

    /** The hand-overs {@code p} sends, by receiver, over its next {@code rounds} gossip rounds. */
    java.util.Map<PeerId, List<Hold>> handOversTo(Peer p, int rounds) {
        java.util.Map<PeerId, List<Hold>> out = new java.util.TreeMap<>();
        for (int i = 0; i < rounds; i++) {
            h.now += 2 * p.config().gossipInterval(); // a round is due within 1.5 intervals
            for (Envelope e : h.step(p, new Input.Tick()).send()) {
                if (e.message() instanceof Message.HandOver ho) {
                    out.put(e.to(), ho.holds());
                }
            }
        }
        return out;
    }

    /** The holds in what {@code p} hands over at its next gossip round. */
    List<Hold> handedOver(Peer p) {
        h.now += 10 * p.config().gossipInterval();
        for (Envelope e : h.step(p, new Input.Tick()).send()) {
            if (e.message() instanceof Message.HandOver ho) {
                return ho.holds();
            }
        }
        throw new AssertionError("no hand-over sent");
    }

    static final PeerId FIRST = new PeerId("node-c", 5);
    static final PeerId RIVAL = new PeerId("node-d", 6);

    /**
     * Soak seeds 3085 and 2141. FIRST, alive but cut off, was removed through OTHER and through RIVAL: its
     * range became a conflict of their two takeovers. OTHER is then removed through SELF. What SELF takes
     * there is FIRST's (its pods, its unheard allocations), so OTHER's hand-over must not free it: the rest
     * chains to FIRST. It used to count as OTHER's own range, because the claim that counts at a conflict is
     * none (3085), or RIVAL's once OTHER is tombstoned (2141), so OTHER's takeover went unseen.
     */
    @Test
    void aRangeTakenFromOneSideOfAConflictWaitsForTheInstallBothRemoved() {
        Peer p = Peer.fresh(CoreConfig.defaults(PeerTest.UNIVERSE, new Bootstrap.Seeds(List.of("node-a", "node-b"))),
                PeerTest.SELF, 1);
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.Digest(null, 0)));
        long half = PeerTest.UNIVERSE.base() + 128;
        long end = PeerTest.UNIVERSE.base() + 256;
        long v = p.ring().entryFor(half).version();
        // OTHER gave its half to FIRST; then FIRST was removed through OTHER and through RIVAL at once.
        hear(p, Entry.of(half, v + 1, FIRST, 128, end), Set.of());
        hear(p, Entry.ofClaims(half, v + 2, List.of(new Claim(PeerTest.OTHER, 128, end, true),
                new Claim(RIVAL, 128, end, true))), Set.of(FIRST));
        assertThat(p.ring().ownerOf(half)).as("rival takeovers: the lowest install's counts")
                .isEqualTo(PeerTest.OTHER.compareTo(RIVAL) < 0 ? PeerTest.OTHER : RIVAL);

        h.step(p, new Input.PeerDown(PeerTest.OTHER));
        assertThat(h.ask(p, id -> new Input.RemovePeer(id, PeerTest.OTHER.toString(), false)))
                .isInstanceOf(Result.Done.class);
        assertThat(p.ring().ownerOf(half)).isEqualTo(PeerTest.SELF);

        // OTHER fences and hands over: its pods hold nothing there, and it still waited for FIRST.
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.HandOver(List.of(), List.of(FIRST))));
        h.now += 10 * p.config().takeoverCooldown();
        h.step(p, new Input.Tick());
        Range taken = new Range(half, end);
        assertThat(p.space().freeIn(taken, h.now)).as("FIRST may still run and allocate there").isZero();

        // FIRST itself hears of its removal and hands over: only now is the range SELF's to use.
        h.step(p, new Input.PeerUp(FIRST));
        h.step(p, new Input.Receive(FIRST, new Message.HandOver(List.of(new Hold(ITS_POD, half + 9)), List.of())));
        synced(p, FIRST);
        synced(p, RIVAL);
        h.now += p.config().takeoverCooldown() + 1;
        h.step(p, new Input.Tick());
        assertThat(p.space().freeIn(taken, h.now)).isPositive();
        assertThat(p.space().addressOf(ITS_POD)).as("FIRST's pod keeps its address").isEqualTo(half + 9);
    }

    /**
     * Soak seed 7111: RIVAL, cut off from SELF, may have removed OTHER too and taken the same range. OTHER's
     * hand-over reaches both, so it cannot end the rest alone: SELF waits until it has compared rings with
     * most of the cluster since its takeover (then one of two such removers has seen the other's claim).
     */
    @Test
    void aHandOverEndsTheRestOnlyOnceTheRemoverComparedRingsWithMost() {
        Peer p = removedOther();
        Range r = taken(p);
        h.step(p, new Input.PeerUp(RIVAL));
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.HandOver(List.of(), List.of())));
        h.now += 10 * p.config().takeoverCooldown();
        h.step(p, new Input.Tick());
        assertThat(p.space().freeIn(r, h.now)).as("RIVAL may own it too, unheard").isZero();
        synced(p, RIVAL);
        h.step(p, new Input.Tick());
        assertThat(p.space().freeIn(r, h.now)).isPositive();
    }

    /** {@code peer} tells {@code p} its ring equals p's: they compared rings now. */
    void synced(Peer p, PeerId peer) {
        h.step(p, new Input.Receive(peer, new Message.Digest(p.ring().cluster(), p.ring().digest())));
    }

    /** Gossip from OTHER carrying {@code e} and the tombstones {@code stones}. */
    void hear(Peer p, Entry e, Set<PeerId> stones) {
        Ring r = p.ring();
        RingPiece piece = new RingPiece(r.cluster(), r.universe(), List.of(e), new TreeSet<>(stones), false);
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.Gossip(piece, 0, false)));
    }
}
