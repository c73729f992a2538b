package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Ballot;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.bootstrap.Founding;
import dev.weft.core.bootstrap.Paxos;
import dev.weft.core.peer.Entropy;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * A peer's bootstrap while it has no ring: who it has heard from, and whether they have a ring; the seed
 * rule; and, in consensus mode, its Paxos roles (acceptor always, proposer when it sees a quorum). It
 * founds a ring only when its mode allows; joining a ring that already exists is the peer's job.
 */
final class Forming {
    private final CoreConfig config;
    private final PeerId self;
    private final Range universe;
    private final Entropy entropy;
    /** The peer's live view of who is reachable (read only here). */
    private final Set<PeerId> up;
    private final Paxos paxos;

    /** Peers that told us they have no ring yet, by name (latest install wins). */
    private final TreeMap<String, PeerId> ringless = new TreeMap<>();
    /** Peers whose digest we have seen since they came up: we know whether they have a ring. */
    private final Set<PeerId> heard = new HashSet<>();
    /**
     * Whether a reachable peer showed it holds a ring this peer would join ({@link RingAsk#knowsRing}): then the
     * ring is joined, never founded again beside it (soak seed 18705).
     */
    private final BooleanSupplier ringReachable;
    private List<PeerId> paxosPeers = List.of();
    private long paxosRetryAt;
    private long quorumSince = -1;

    private Output.Builder out;
    private long now;
    private Ring founded;

    Forming(CoreConfig config, PeerId self, Entropy entropy, Set<PeerId> up, BooleanSupplier ringReachable) {
        this.config = config;
        this.ringReachable = ringReachable;
        this.self = self;
        this.universe = config.universe().range();
        this.entropy = entropy;
        this.up = up;
        this.paxos = config.bootstrap() instanceof Bootstrap.Consensus c ? new Paxos(self, c.quorum()) : null;
    }

    /** A digest from {@code from}: it has a ring, or it has not. */
    void heard(PeerId from, boolean hasRing) {
        heard.add(from);
        if (hasRing) {
            ringless.remove(from.name(), from);
        } else {
            ringless.put(from.name(), from);
        }
    }

    void down(PeerId p) {
        heard.remove(p);
        ringless.remove(p.name(), p);
    }

    /** The peer has a ring now: nothing left to form. */
    void done() {
        ringless.clear();
        paxosPeers = List.of();
    }

    void restore(Record.Acceptor a) {
        if (paxos != null) {
            paxos.restore(a.promised(), a.accepted(), a.value());
        }
    }

    /** The acceptor's durable state, or null when it has promised nothing (or this is no consensus peer). */
    Record.Acceptor acceptorRecord() {
        return paxos == null || paxos.promised() == null ? null
                : new Record.Acceptor(paxos.promised(), paxos.accepted(), paxos.acceptedValue());
    }

    /** What the peer is waiting for, in words, for "try again later" answers and status. */
    String status() {
        if (ringReachable.getAsBoolean()) {
            return "a reachable peer has a ring: this peer is getting it from that peer, to join the cluster";
        }
        Bootstrap b = config.bootstrap();
        if (b instanceof Bootstrap.Seeds s && s.names().contains(self.name())) {
            List<String> missing = new ArrayList<>();
            for (String n : s.names()) {
                if (!n.equals(self.name()) && !reachableRingless(n)) {
                    missing.add(n);
                }
            }
            return "the ring is forming: waiting to hear from seed peers " + missing + " (of " + s.names() + ")";
        }
        if (b instanceof Bootstrap.Consensus c) {
            return "the ring is forming: consensus needs " + c.quorum() + " of " + c.of() + " peers, "
                    + (ringlessUp().size() + 1) + " known without a ring (" + self.name() + ", "
                    + String.join(", ", ringless.keySet()) + ")";
        }
        return "this peer has not received a ring from any peer yet (" + up.size() + " reachable): it joins the"
                + " cluster as soon as one of them answers";
    }

    private boolean reachableRingless(String name) {
        PeerId p = ringless.get(name);
        return p != null && up.contains(p);
    }

    private List<PeerId> ringlessUp() {
        List<PeerId> list = new ArrayList<>();
        for (PeerId p : ringless.values()) {
            if (up.contains(p)) {
                list.add(p);
            }
        }
        return list;
    }

    /** Founds the ring if this peer may now (returned), or moves the consensus on; null if not yet. */
    Ring tryFound(long now, Output.Builder out) {
        begin(now, out);
        Bootstrap b = config.bootstrap();
        if (ringReachable.getAsBoolean()) {
            // A ring exists and a peer that holds it is reachable: it is joined (asked for, see RingAsk), never
            // founded again beside it. Soak seed 18705: both seeds had lost their folders and the observer that
            // held the ring had said so, yet the seed rule (every seed reachable and ring-less, every reachable
            // peer heard) held, and a seed founded a second cluster 5 ms after hearing of the ring.
            return end();
        }
        if (b instanceof Bootstrap.Seeds s && s.names().contains(self.name())) {
            foundFromSeeds(s);
        } else if (b instanceof Bootstrap.Consensus) {
            propose();
        }
        return end();
    }

    /** A Paxos message; returns the ring when a value was chosen, else null. */
    Ring paxos(PeerId from, Message m, long now, Output.Builder out) {
        begin(now, out);
        if (paxos != null) {
            paxosMessage(from, m);
        }
        return end();
    }

    private void begin(long now, Output.Builder out) {
        this.now = now;
        this.out = out;
        this.founded = null;
    }

    private Ring end() {
        Ring r = founded;
        founded = null;
        out = null;
        return r;
    }

    private void foundFromSeeds(Bootstrap.Seeds s) {
        // Only once every reachable peer has said whether it has a ring: a ring anywhere (even on an
        // observer) must be joined, never founded again beside it.
        if (!heard.containsAll(up)) {
            return;
        }
        List<PeerId> members = new ArrayList<>();
        for (String n : s.names()) {
            if (n.equals(self.name())) {
                members.add(self);
            } else if (reachableRingless(n)) {
                members.add(ringless.get(n));
            } else {
                return;
            }
        }
        founded = Founding.ring(universe, members);
    }

    private void propose() {
        if (paxos.proposing() && now < paxosRetryAt) {
            return;
        }
        List<PeerId> candidates = ringlessUp();
        if (candidates.size() + 1 < paxos.quorum()) {
            quorumSince = -1;
            return;
        }
        candidates.add(self);
        candidates.sort(Comparator.naturalOrder());
        if (candidates.size() > universe.size()) {
            // More peers than addresses: the first ones share the space, the rest join as observers.
            candidates = new ArrayList<>(candidates.subList(0, (int) universe.size()));
            if (!candidates.contains(self)) {
                return;
            }
        }
        // Proposers are staggered by rank, so that one of them normally runs unopposed: when all of them
        // propose at once, each new ballot pre-empts the last and no value is ever chosen.
        long stagger = config.paxosRetry() * candidates.indexOf(self);
        if (quorumSince < 0) {
            quorumSince = now;
            paxosRetryAt = now + stagger;
        }
        if (now < paxosRetryAt) {
            return;
        }
        Ballot ballot = paxos.start(candidates);
        paxosPeers = candidates;
        paxosRetryAt = now + 2 * config.paxosRetry() + stagger + entropy.nextLong(config.paxosRetry());
        for (PeerId p : candidates) {
            if (p.equals(self)) {
                acceptorPrepare(self, ballot);
            } else {
                out.send(p, new Message.Prepare(ballot));
            }
        }
    }

    private void persistAcceptor() {
        out.persist(acceptorRecord());
    }

    private void acceptorPrepare(PeerId from, Ballot b) {
        if (paxos.prepare(b)) {
            persistAcceptor();
            deliver(from, new Message.Promise(b, paxos.accepted(), paxos.acceptedValue()));
        } else {
            deliver(from, new Message.Nack(b, paxos.promised()));
        }
    }

    private void acceptorAccept(PeerId from, Ballot b, List<PeerId> value) {
        if (paxos.accept(b, value)) {
            persistAcceptor();
            deliver(from, new Message.Accepted(b));
        } else {
            deliver(from, new Message.Nack(b, paxos.promised()));
        }
    }

    /** Acceptor answers go out as messages, or straight back in when the proposer is this peer. */
    private void deliver(PeerId to, Message m) {
        if (to.equals(self)) {
            paxosMessage(self, m);
        } else {
            out.send(to, m);
        }
    }

    private void paxosMessage(PeerId from, Message m) {
        if (m instanceof Message.Prepare p) {
            acceptorPrepare(from, p.ballot());
        } else if (m instanceof Message.Accept a) {
            acceptorAccept(from, a.ballot(), a.value());
        } else if (m instanceof Message.Promise p) {
            List<PeerId> value = paxos.promise(from, p.ballot(), p.accepted(), p.value());
            if (value != null) {
                for (PeerId q : paxosPeers) {
                    if (q.equals(self)) {
                        acceptorAccept(self, p.ballot(), value);
                    } else {
                        out.send(q, new Message.Accept(p.ballot(), value));
                    }
                }
            }
        } else if (m instanceof Message.Accepted a) {
            List<PeerId> chosen = paxos.accepted(from, a.ballot());
            if (chosen != null && chosen.size() <= universe.size()) {
                founded = Founding.ring(universe, chosen);
            }
        } else if (m instanceof Message.Nack n && n.ballot().equals(paxos.ballot())) {
            // Someone with a higher ballot is at work: step back and let it finish.
            paxos.abandon(n.promised());
            paxosRetryAt = Math.max(paxosRetryAt, now + config.paxosRetry() + entropy.nextLong(config.paxosRetry()));
        }
    }
}
