package dev.weft.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.bootstrap.Founding;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import dev.weft.core.space.Attachment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One peer driven by hand, its durable store kept as the daemon will keep it. */
class PeerTest {
    static final Cidr UNIVERSE = Cidr.parse("10.32.0.0/24");
    static final PeerId SELF = new PeerId("node-a", 42);
    static final PeerId OTHER = new PeerId("node-b", 7);
    static final Attachment POD = new Attachment("c1", "eth0");

    final Map<String, Record> store = new LinkedHashMap<>();
    long now = 1;
    long ids = 1;

    Output step(Peer p, Input in) {
        Output o = p.handle(now++, in);
        for (Record r : o.persist()) {
            if (r.deletes()) {
                store.remove(r.key());
            } else {
                store.put(r.key(), r);
            }
        }
        return o;
    }

    Result ask(Peer p, java.util.function.LongFunction<Input.Request> make) {
        long id = ids++;
        Output o = step(p, make.apply(id));
        assertThat(o.replies()).hasSize(1);
        assertThat(o.replies().get(0).id()).isEqualTo(id);
        return o.replies().get(0).result();
    }

    /** A peer that forms a one-seed cluster of its own on its first tick. */
    Peer solo() {
        Peer p = Peer.fresh(CoreConfig.defaults(UNIVERSE, new Bootstrap.Seeds(List.of(SELF.name()))), SELF, 1);
        step(p, new Input.Tick());
        assertThat(p.ring()).isNotNull();
        return p;
    }

    long assigned(Result r) {
        assertThat(r).isInstanceOf(Result.Assigned.class);
        return ((Result.Assigned) r).address();
    }

    @Test
    void theIdentityIsWrittenInTheVeryFirstStep() {
        Peer p = Peer.fresh(CoreConfig.defaults(UNIVERSE, new Bootstrap.Observer()), SELF, 1);
        Output first = step(p, new Input.Tick());
        assertThat(first.persist()).first().isEqualTo(new Record.Identity(SELF));
        assertThat(step(p, new Input.Tick()).persist()).doesNotContain(new Record.Identity(SELF));
    }

    @Test
    void whileTheRingFormsRequestsAreToldToTryAgainWithWhy() {
        Peer seeds = Peer.fresh(CoreConfig.defaults(UNIVERSE, new Bootstrap.Seeds(List.of("node-a", "node-b"))), SELF, 1);
        Result r = ask(seeds, id -> new Input.Allocate(id, POD, null));
        assertThat(r).isInstanceOf(Result.TryLater.class);
        assertThat(((Result.TryLater) r).reason()).contains("forming").contains("node-b");
        assertThat(seeds.status().phase()).isEqualTo(Status.Phase.FORMING);

        Peer consensus = Peer.fresh(CoreConfig.defaults(UNIVERSE, new Bootstrap.Consensus(3)), SELF, 1);
        assertThat(((Result.TryLater) ask(consensus, id -> new Input.Allocate(id, POD, null))).reason())
                .contains("consensus needs 3 of 3");
        Peer observer = Peer.fresh(CoreConfig.defaults(UNIVERSE, new Bootstrap.Observer()), SELF, 1);
        assertThat(((Result.TryLater) ask(observer, id -> new Input.Allocate(id, POD, null))).reason())
                .contains("not received a ring");
    }

    @Test
    void allocateIsIdempotentAndPersistedBeforeTheReply() {
        Peer p = solo();
        Output o = step(p, new Input.Allocate(ids++, POD, null));
        long a = assigned(o.replies().get(0).result());
        assertThat(o.persist()).anyMatch(r -> r instanceof Record.Held h && h.hold().address() == a);
        assertThat(a).isNotEqualTo(UNIVERSE.base()).isNotEqualTo(UNIVERSE.base() + 255);
        assertThat(assigned(ask(p, id -> new Input.Allocate(id, POD, null)))).isEqualTo(a);
        long b = assigned(ask(p, id -> new Input.Allocate(id, new Attachment("c1", "net1"), null)));
        assertThat(b).isNotEqualTo(a);
    }

    @Test
    void allocatesInsideARequestedSubnetAndRefusesOneOutsideTheSpace() {
        Peer p = solo();
        long a = assigned(ask(p, id -> new Input.Allocate(id, POD, Cidr.parse("10.32.0.64/26"))));
        assertThat(a).isBetween(IPv4.parse("10.32.0.65"), IPv4.parse("10.32.0.126"));
        Result r = ask(p, id -> new Input.Allocate(id, new Attachment("c2", "eth0"), Cidr.parse("10.33.0.0/24")));
        assertThat(r).isInstanceOf(Result.Refused.class);
        assertThat(((Result.Refused) r).why()).isEqualTo(Result.Why.BAD_REQUEST);
        assertThat(((Result.Refused) r).message()).contains("not inside");
    }

    @Test
    void aFullSpaceWithNoPeerToAskIsTryAgainLaterNotAHang() {
        Peer p = solo();
        for (int i = 0; i < 254; i++) {
            int n = i;
            assigned(ask(p, id -> new Input.Allocate(id, new Attachment("c" + n, "eth0"), null)));
        }
        Result r = ask(p, id -> new Input.Allocate(id, new Attachment("late", "eth0"), null));
        assertThat(r).isInstanceOf(Result.TryLater.class);
        assertThat(((Result.TryLater) r).reason()).contains("no reachable peer has free addresses");
        assertThat(p.status().pending()).isZero();
    }

    @Test
    void claimsReleasesAndTheirErrors() {
        Peer p = solo();
        long want = IPv4.parse("10.32.0.77");
        assertThat(assigned(ask(p, id -> new Input.Claim(id, POD, want)))).isEqualTo(want);
        assertThat(assigned(ask(p, id -> new Input.Claim(id, POD, want)))).isEqualTo(want);
        Result taken = ask(p, id -> new Input.Claim(id, new Attachment("c2", "eth0"), want));
        assertThat(((Result.Refused) taken).why()).isEqualTo(Result.Why.IN_USE);
        Result other = ask(p, id -> new Input.Claim(id, POD, want + 1));
        assertThat(((Result.Refused) other).message()).contains("already holds 10.32.0.77");
        Result network = ask(p, id -> new Input.Claim(id, new Attachment("c3", "eth0"), UNIVERSE.base()));
        assertThat(((Result.Refused) network).why()).isEqualTo(Result.Why.BAD_REQUEST);
        Result outside = ask(p, id -> new Input.Claim(id, new Attachment("c3", "eth0"), IPv4.parse("192.168.0.1")));
        assertThat(((Result.Refused) outside).why()).isEqualTo(Result.Why.BAD_REQUEST);

        Result released = ask(p, id -> new Input.Release(id, POD));
        assertThat(((Result.Released) released).freed()).extracting(h -> h.address()).containsExactly(want);
        assertThat(store.keySet()).noneMatch(k -> k.startsWith("hold/weft/2/c1/"));
        Result again = ask(p, id -> new Input.Release(id, POD));
        assertThat(((Result.Released) again).freed()).as("DEL of an unknown attachment succeeds").isEmpty();
    }

    @Test
    void releaseContainerAndGc() {
        Peer p = solo();
        ask(p, id -> new Input.Allocate(id, new Attachment("c1", "eth0"), null));
        ask(p, id -> new Input.Allocate(id, new Attachment("c1", "net1"), null));
        ask(p, id -> new Input.Allocate(id, new Attachment("c2", "eth0"), null));
        ask(p, id -> new Input.Allocate(id, new Attachment("c3", "eth0"), null));
        Result rc = ask(p, id -> new Input.ReleaseContainer(id, "c1"));
        assertThat(((Result.Released) rc).freed()).hasSize(2);
        Result gc = ask(p, id -> new Input.Gc(id, Set.of(new Attachment("c3", "eth0"))));
        assertThat(((Result.Released) gc).freed()).extracting(h -> h.attachment().containerId()).containsExactly("c2");
        assertThat(p.space().heldCount()).isEqualTo(1);
    }

    @Test
    void recoveryFromTheRecordsGivesBackTheSamePeer() throws Exception {
        Peer p = solo();
        List<Long> held = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            held.add(assigned(ask(p, id -> new Input.Allocate(id, new Attachment("c" + n, "eth0"), null))));
        }
        ask(p, id -> new Input.Release(id, new Attachment("c3", "eth0")));
        for (int i = 0; i < 20; i++) {
            step(p, new Input.Tick());
            now += 1_000;
        }
        Peer back = Peer.recover(p.config(), new ArrayList<>(store.values()), 2);
        assertThat(back.self()).isEqualTo(SELF);
        assertThat(back.ring()).isEqualTo(p.ring());
        assertThat(back.space().holds()).isEqualTo(p.space().holds());
        assertThat(back.space().ranges()).isEqualTo(p.space().ranges());
        assertThat(back.space().addressOf(new Attachment("c5", "eth0"))).isEqualTo(held.get(5));
        assertThat(back.space().addressOf(new Attachment("c3", "eth0"))).isEqualTo(-1);
    }

    static java.util.stream.LongStream seeds() {
        return java.util.stream.LongStream.rangeClosed(1, 40);
    }

    /** Any sequence of operations, then a restart from the records: the same peer comes back. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("seeds")
    void recoveryReproducesStateAfterAnyHistory(long seed) throws Exception {
        dev.weft.core.peer.Entropy rnd = new dev.weft.core.peer.Entropy(seed);
        Peer p = Peer.fresh(CoreConfig.defaults(UNIVERSE, new Bootstrap.Seeds(List.of("node-a", "node-b"))), SELF, seed);
        step(p, new Input.PeerUp(OTHER));
        step(p, new Input.Receive(OTHER, new Message.Digest(null, 0)));
        for (int i = 0; i < 300; i++) {
            Attachment a = new Attachment("c" + rnd.nextInt(80), rnd.nextInt(4) == 0 ? "net1" : "eth0");
            switch (rnd.nextInt(8)) {
                case 0, 1, 2 -> step(p, new Input.Allocate(ids++, a, rnd.nextInt(4) == 0 ? Cidr.parse("10.32.0.0/26") : null));
                case 3 -> step(p, new Input.Claim(ids++, a, UNIVERSE.base() + rnd.nextLong(256)));
                case 4 -> step(p, new Input.Release(ids++, a));
                case 5 -> step(p, new Input.ReleaseContainer(ids++, a.containerId()));
                case 6 -> {
                    now += rnd.nextLong(3_000);
                    step(p, new Input.Tick());
                }
                default -> {
                    if (rnd.nextInt(20) == 0 && p.ring().rangesOwnedBy(OTHER).size() > 0) {
                        step(p, new Input.PeerDown(OTHER));
                        step(p, new Input.RemovePeer(ids++, OTHER.toString(), false));
                    }
                }
            }
        }
        Peer back = Peer.recover(p.config(), new ArrayList<>(store.values()), seed + 1);
        assertThat(back.ring()).isEqualTo(p.ring());
        assertThat(back.space().holds()).isEqualTo(p.space().holds());
        // The same addresses, though a rest that is over no longer splits them into pieces.
        assertThat(dev.weft.core.address.RangeSets.coalesce(back.space().ranges()))
                .isEqualTo(dev.weft.core.address.RangeSets.coalesce(p.space().ranges()));
        assertThat(back.status().fenced()).isEqualTo(p.status().fenced());
        // Back from its folder, it waits to compare rings with OTHER while OTHER still owns something.
        boolean waits = p.status().phase() == Status.Phase.READY && !Restore.peers(back.ring(), Set.of(), SELF).isEmpty();
        assertThat(back.status().phase()).isEqualTo(waits ? Status.Phase.RECOVERING : p.status().phase());
        step(back, new Input.Tick());
        for (var r : back.space().ranges()) {
            long was = p.space().usableFrom(r.start());
            long is = back.space().usableFrom(r.start());
            if (was == 0) {
                assertThat(is).as("never taken over").isZero();
            } else if (was > now) {
                // Still resting: the rest left counts again from the first step, never less than before.
                assertThat(is).isGreaterThanOrEqualTo(was);
            }
        }
    }

    @Test
    void recoveryRefusesDamagedOrForeignDataAndSaysWhatToDo() {
        Peer p = solo();
        ask(p, id -> new Input.Allocate(id, POD, null));
        List<Record> records = new ArrayList<>(store.values());
        CoreConfig otherSpace = CoreConfig.defaults(Cidr.parse("10.40.0.0/16"), new Bootstrap.Observer());
        assertThatThrownBy(() -> Peer.recover(otherSpace, records, 1)).isInstanceOf(CorruptStateException.class)
                .hasMessageContaining("10.32.0.0/24").hasMessageContaining("move the data folder aside");
        List<Record> noIdentity = new ArrayList<>(records);
        noIdentity.removeIf(r -> r instanceof Record.Identity);
        assertThatThrownBy(() -> Peer.recover(p.config(), noIdentity, 1)).isInstanceOf(CorruptStateException.class)
                .hasMessageContaining("no peer identity");
        List<Record> noFirstEntry = new ArrayList<>(records);
        noFirstEntry.removeIf(r -> r instanceof Record.RingEntry e && e.entry().token() == UNIVERSE.base());
        assertThatThrownBy(() -> Peer.recover(p.config(), noFirstEntry, 1)).isInstanceOf(CorruptStateException.class)
                .hasMessageContaining("damaged");
        assertThatThrownBy(() -> Peer.recover(p.config(), List.of(), 1)).isInstanceOf(CorruptStateException.class)
                .hasMessageContaining("new install");
    }

    @Test
    void heldAddressesOutsideTheStoredRingComeBackFencedNotLost() throws Exception {
        Peer p = solo();
        long a = assigned(ask(p, id -> new Input.Allocate(id, POD, null)));
        List<Record> records = new ArrayList<>(store.values());
        // The same peer's data, but with a ring in which another install owns everything.
        Ring foreign = Founding.ring(UNIVERSE.range(), List.of(OTHER));
        records.removeIf(r -> r instanceof Record.RingEntry || r instanceof Record.Cluster);
        records.add(new Record.Cluster(foreign.cluster(), foreign.universe()));
        records.add(new Record.RingEntry(foreign.entry(0)));
        Peer back = Peer.recover(p.config(), records, 1);
        assertThat(back.status().fenced()).extracting(h -> h.address()).containsExactly(a);
        assertThat(back.space().heldCount()).isZero();
        Result again = ask(back, id -> new Input.Allocate(id, POD, null));
        assertThat(((Result.Refused) again).why()).isEqualTo(Result.Why.FENCED);
        assertThat(((Result.Released) ask(back, id -> new Input.Release(id, POD))).freed()).hasSize(1);
        assertThat(back.status().fenced()).isEmpty();
    }

    @Test
    void hearingItsOwnTombstoneFencesThePeerAndRaisesAnAlarm() throws Exception {
        Peer p = solo();
        ask(p, id -> new Input.Allocate(id, POD, null));
        // Another install took this peer's ranges over: it was removed while alive.
        Ring taken = p.ring().edit(OTHER, r -> r.size()).takeOver(SELF).commit().ring();
        Output o = step(p, new Input.Receive(OTHER, new Message.Gossip(taken.whole(), taken.digest(), false)));
        assertThat(o.alarms()).extracting(Alarm::kind).contains(Alarm.Kind.REMOVED_WHILE_ALIVE);
        assertThat(p.status().phase()).isEqualTo(Status.Phase.REMOVED);
        assertThat(p.status().fenced()).hasSize(1);
        Result r = ask(p, id -> new Input.Allocate(id, new Attachment("c9", "eth0"), null));
        assertThat(((Result.Refused) r).why()).isEqualTo(Result.Why.FENCED);
        assertThat(((Result.Refused) r).message()).contains("wipe its data folder");
    }

    @Test
    void removingAPeerIsRefusedWhenItIsSelfUnknownOrStillConnected() {
        Peer p = Peer.fresh(CoreConfig.defaults(UNIVERSE, new Bootstrap.Seeds(List.of("node-a", "node-b"))), SELF, 1);
        step(p, new Input.PeerUp(OTHER));
        step(p, new Input.Receive(OTHER, new Message.Digest(null, 0)));
        assertThat(p.ring()).as("both seeds known and without a ring: formed").isNotNull();
        assertThat(((Result.Refused) ask(p, id -> new Input.RemovePeer(id, "node-a", false))).why())
                .isEqualTo(Result.Why.UNSAFE);
        assertThat(((Result.Refused) ask(p, id -> new Input.RemovePeer(id, "nobody", false))).why())
                .isEqualTo(Result.Why.UNKNOWN_PEER);
        Result connected = ask(p, id -> new Input.RemovePeer(id, "node-b", false));
        assertThat(((Result.Refused) connected).message()).contains("connected");
        step(p, new Input.PeerDown(OTHER));
        Result done = ask(p, id -> new Input.RemovePeer(id, "node-b", false));
        assertThat(done).isInstanceOf(Result.Done.class);
        assertThat(p.ring().isTombstoned(OTHER)).isTrue();
        assertThat(p.ring().rangesOwnedBy(SELF)).containsExactly(UNIVERSE.range());
        assertThat(store.keySet()).anyMatch(k -> k.startsWith("cooldown/"));
        assertThat(((Result.Done) ask(p, id -> new Input.RemovePeer(id, OTHER.toString(), false))).message())
                .as("idempotent").contains("already removed");
        assertThat(p.ring().rangesOwnedBy(SELF)).containsExactly(UNIVERSE.range());
    }

    @Test
    void aPlannedLeaveRefusesWhileAddressesAreHeldUnlessForced() {
        Peer p = Peer.fresh(CoreConfig.defaults(UNIVERSE, new Bootstrap.Seeds(List.of("node-a", "node-b"))), SELF, 1);
        step(p, new Input.PeerUp(OTHER));
        step(p, new Input.Receive(OTHER, new Message.Digest(null, 0)));
        ask(p, id -> new Input.Allocate(id, POD, null));
        assertThat(((Result.Refused) ask(p, id -> new Input.Leave(id, false))).message()).contains("Drain the node");
        Output o = step(p, new Input.Leave(ids++, true));
        assertThat(o.replies().get(0).result()).isInstanceOf(Result.Done.class);
        assertThat(o.send()).anyMatch(e -> e.to().equals(OTHER) && e.message() instanceof Message.Gossip);
        assertThat(p.ring().rangesOwnedBy(SELF)).isEmpty();
        assertThat(p.ring().rangesOwnedBy(OTHER)).containsExactly(UNIVERSE.range());
    }

    @Test
    void aClaimWhileTheSameAttachmentWaitsForAnotherAddressIsRefusedNotAnsweredWithTheWrongOne() {
        Peer p = Peer.fresh(CoreConfig.defaults(UNIVERSE, new Bootstrap.Seeds(List.of("node-a", "node-b"))), SELF, 1);
        step(p, new Input.PeerUp(OTHER));
        step(p, new Input.Receive(OTHER, new Message.Digest(null, 0)));
        long mine = p.space().freeIn(UNIVERSE.range());
        for (int i = 0; i < mine; i++) {
            int n = i;
            assigned(ask(p, id -> new Input.Allocate(id, new Attachment("full" + n, "eth0"), null)));
        }
        // Out of space: the allocate waits while the peer asks node-b.
        Output waiting = step(p, new Input.Allocate(ids++, POD, null));
        assertThat(waiting.replies()).isEmpty();
        assertThat(waiting.send()).anyMatch(e -> e.message() instanceof Message.SpaceRequest);
        long other = p.ring().rangesOwnedBy(OTHER).get(0).start() + 5;
        Result r = ask(p, id -> new Input.Claim(id, POD, other));
        assertThat(((Result.Refused) r).why()).isEqualTo(Result.Why.IN_USE);
        assertThat(((Result.Refused) r).message()).contains("already waiting");
        Output again = step(p, new Input.Allocate(ids++, POD, null));
        assertThat(again.replies()).as("a repeated allocate joins the wait").isEmpty();
        assertThat(p.status().pending()).isEqualTo(1);
    }

    @Test
    void aRingFromAnotherClusterIsRefusedWithAnAlarm() {
        Peer p = solo();
        Ring foreign = Founding.ring(UNIVERSE.range(), List.of(OTHER));
        Output o = step(p, new Input.Receive(OTHER, new Message.Gossip(foreign.whole(), foreign.digest(), false)));
        assertThat(o.alarms()).extracting(Alarm::kind).containsExactly(Alarm.Kind.FOREIGN_RING);
        assertThat(o.alarms().get(0).message()).contains("bootstrapped separately");
        assertThat(p.ring().rangesOwnedBy(SELF)).containsExactly(UNIVERSE.range());
    }

    @Test
    void freeCountsReachTheRingOnTicksNotOnEveryAllocation() {
        Peer p = solo();
        Output o = step(p, new Input.Allocate(ids++, POD, null));
        assertThat(o.persist()).noneMatch(r -> r instanceof Record.RingEntry);
        for (int i = 1; i < 30; i++) {
            int n = i;
            ask(p, id -> new Input.Allocate(id, new Attachment("c" + n + "x", "eth0"), null));
        }
        now += 10_000;
        Output tick = step(p, new Input.Tick());
        assertThat(tick.persist()).anyMatch(r -> r instanceof Record.RingEntry);
        assertThat(p.ring().claimAt(0).free()).isEqualTo(254 - 30);
    }
}
