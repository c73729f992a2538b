package dev.weft.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Ring;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A peer that joins a cluster (or restarts without its data) gets the ring from one peer, not from every peer
 * it reaches: before, every ring holder answered its hello and each of its forming rounds with a whole ring.
 */
class RingAskTest {
    static final Cidr UNIVERSE = Cidr.parse("10.32.0.0/12");
    static final PeerId ORIGIN = new PeerId("origin", 1);
    static final PeerId JOINER = new PeerId("joiner", 7);
    static final int HOLDERS = 40;

    long now = 1;
    final Map<PeerId, Peer> peers = new LinkedHashMap<>();
    final Deque<Object[]> wire = new ArrayDeque<>();
    /** Whole rings delivered to the joiner, and the peers it asked for one, in order. */
    int wholeRingsToJoiner;
    final List<PeerId> asked = new ArrayList<>();
    /** Peers that receive nothing: messages to them are lost (cut off without being down). */
    final Set<PeerId> deaf = new HashSet<>();

    /** {@code HOLDERS} peers that all hold one ring, every one linked to the others, and a fresh observer. */
    void cluster() {
        List<PeerId> members = new ArrayList<>();
        for (int i = 0; i < HOLDERS; i++) {
            members.add(new PeerId(String.format("p%03d", i), i + 10));
        }
        Ring ring = Ring.initial(new ClusterId("c-join"), UNIVERSE.range(), members);
        for (PeerId m : members) {
            Peer p = Peer.fresh(CoreConfig.defaults(UNIVERSE, new Bootstrap.Observer()), m, m.uid());
            p.handle(now++, new Input.Receive(ORIGIN, new Message.Gossip(ring.whole(), ring.digest(), false)));
            peers.put(m, p);
        }
        for (PeerId a : members) {
            for (PeerId b : members) {
                if (!a.equals(b)) {
                    step(a, new Input.PeerUp(b));
                }
            }
        }
        deliver();
    }

    void addJoiner() {
        peers.put(JOINER, Peer.fresh(CoreConfig.defaults(UNIVERSE, new Bootstrap.Observer()), JOINER, 99));
    }

    /** The joiner and {@code m} link: both sides hear {@code PeerUp}. */
    void link(PeerId m) {
        step(m, new Input.PeerUp(JOINER));
        step(JOINER, new Input.PeerUp(m));
    }

    /** The joiner comes up and links with every holder it has not linked with yet. */
    void join(Set<PeerId> linked) {
        for (PeerId m : new ArrayList<>(peers.keySet())) {
            if (!m.equals(JOINER) && !linked.contains(m)) {
                link(m);
            }
        }
        deliver();
    }

    void step(PeerId at, Input in) {
        for (Envelope e : peers.get(at).handle(now++, in).send()) {
            wire.add(new Object[] {at, e.to(), e.message()});
        }
    }

    /** Carries every message until none is left (each takes a millisecond), losing those to deaf peers. */
    void deliver() {
        while (!wire.isEmpty()) {
            Object[] m = wire.poll();
            PeerId from = (PeerId) m[0];
            PeerId to = (PeerId) m[1];
            Message msg = (Message) m[2];
            if (from.equals(JOINER) && msg instanceof Message.Digest d && d.asksForRing()) {
                asked.add(to);
            }
            if (deaf.contains(to) || !peers.containsKey(to)) {
                continue;
            }
            if (to.equals(JOINER) && msg instanceof Message.Gossip g && g.piece().complete()) {
                wholeRingsToJoiner++;
            }
            step(to, new Input.Receive(from, msg));
        }
    }

    /** Ticks every peer each 100 ms for {@code millis}, carrying messages after each tick. */
    void run(long millis, Predicate<RingAskTest> stopWhen) {
        long end = now + millis;
        while (now < end && !stopWhen.test(this)) {
            for (PeerId p : peers.keySet()) {
                step(p, new Input.Tick());
            }
            deliver();
            now += 100;
        }
    }

    Peer joiner() {
        return peers.get(JOINER);
    }

    @Test
    void aJoinerLinkedWithFortyRingHoldersGetsOneWholeRing() {
        cluster();
        addJoiner();
        join(Set.of());
        run(10_000, t -> false);

        assertThat(joiner().ring()).isEqualTo(peers.get(new PeerId("p000", 10)).ring());
        // Before: every holder answered the joiner's hello with its ring, and its greeting digest too (80 here).
        assertThat(wholeRingsToJoiner).isEqualTo(1);
        assertThat(asked).hasSize(1);
    }

    @Test
    void holdersWhoseGreetingsComeBeforeTheJoinerHearsTheyAreUpStillGiveOneWholeRing() {
        cluster();
        addJoiner();
        // Each side hears PeerUp on its own: here every holder's greeting reaches the joiner first.
        for (PeerId m : new ArrayList<>(peers.keySet())) {
            if (!m.equals(JOINER)) {
                step(m, new Input.PeerUp(JOINER));
            }
        }
        deliver();
        assertThat(asked).as("none of them is reachable yet").isEmpty();
        for (PeerId m : new ArrayList<>(peers.keySet())) {
            if (!m.equals(JOINER)) {
                step(JOINER, new Input.PeerUp(m));
            }
        }
        deliver();
        assertThat(joiner().ring()).as("asked the first holder that came up").isNotNull();
        run(10_000, t -> false);

        // The scale run got 2.3 whole rings per joiner so when an unreachable holder was asked.
        assertThat(asked).hasSize(1);
        assertThat(wholeRingsToJoiner).isEqualTo(1);
    }

    @Test
    void aJoinerWhoseAskIsLostAsksAnotherPeerAfterTheAskTimeout() {
        cluster();
        PeerId first = peers.keySet().iterator().next();
        deaf.add(first); // up, and greets the joiner, but hears nothing
        addJoiner();
        link(first);
        deliver();
        assertThat(asked).containsExactly(first);
        long askedAt = now;
        join(Set.of(first));
        assertThat(asked).as("others' greetings: the ask is out, so no second one yet").hasSize(1);

        run(10_000, t -> t.joiner().ring() != null);

        assertThat(joiner().ring()).isNotNull();
        assertThat(asked).hasSize(2).doesNotHaveDuplicates();
        assertThat(wholeRingsToJoiner).isEqualTo(1);
        long askTimeout = CoreConfig.defaults(UNIVERSE, new Bootstrap.Observer()).askTimeout();
        long interval = CoreConfig.defaults(UNIVERSE, new Bootstrap.Observer()).gossipInterval();
        // Asked again at the first gossip round after the ask timed out (rounds come every 0.5 to 1.5 intervals).
        assertThat(now - askedAt).isBetween(askTimeout, askTimeout + 2 * interval);
    }

    @Test
    void aJoinerWhoseAskedPeerGoesDownAsksAnotherAtOnce() {
        cluster();
        PeerId first = peers.keySet().iterator().next();
        deaf.add(first);
        addJoiner();
        link(first);
        deliver();
        assertThat(asked).containsExactly(first);
        long askedAt = now;
        peers.remove(first);
        step(JOINER, new Input.PeerDown(first));
        join(Set.of(first));

        assertThat(joiner().ring()).as("the next holder's greeting was answered with an ask").isNotNull();
        assertThat(asked).hasSize(2).doesNotHaveDuplicates();
        assertThat(wholeRingsToJoiner).isEqualTo(1);
        assertThat(now - askedAt).isLessThan(CoreConfig.defaults(UNIVERSE, new Bootstrap.Observer()).askTimeout());
    }

    @Test
    void seedsThatMustFoundTogetherStillHearFromEveryRinglessPeer() {
        List<String> names = List.of("s1", "s2", "s3");
        List<PeerId> ids = List.of(new PeerId("s1", 1), new PeerId("s2", 2), new PeerId("s3", 3), JOINER);
        for (PeerId id : ids) {
            Bootstrap b = id.equals(JOINER) ? new Bootstrap.Observer() : new Bootstrap.Seeds(names);
            peers.put(id, Peer.fresh(CoreConfig.defaults(UNIVERSE, b), id, id.uid()));
        }
        for (PeerId a : ids) {
            for (PeerId b : ids) {
                if (!a.equals(b)) {
                    step(a, new Input.PeerUp(b));
                }
            }
        }
        deliver();
        run(10_000, t -> ids.stream().allMatch(id -> t.peers.get(id).ring() != null));

        for (PeerId id : ids) {
            assertThat(peers.get(id).ring()).as(id.name()).isEqualTo(peers.get(ids.get(0)).ring());
        }
        assertThat(wholeRingsToJoiner).isEqualTo(1);
    }
}
