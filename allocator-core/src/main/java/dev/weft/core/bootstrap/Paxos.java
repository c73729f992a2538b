package dev.weft.core.bootstrap;

import dev.weft.core.peer.PeerId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Single-decree Paxos on who founds the cluster, as pure state: the caller moves the messages and persists
 * the acceptor's state (promised, accepted) before anything an acceptor says leaves the peer. Each peer is
 * both an acceptor and, when it sees a quorum of peers without a ring, a proposer. The value is a member
 * list; whatever a quorum accepts first is the only value that can ever be chosen.
 */
public final class Paxos {
    private final PeerId self;
    private final int quorum;

    private Ballot promised;
    private Ballot accepted;
    private List<PeerId> acceptedValue;

    private Ballot ballot;
    private List<PeerId> ownValue;
    private final Map<PeerId, Ballot> promiseAccepted = new HashMap<>();
    private final Map<PeerId, List<PeerId>> promiseValues = new HashMap<>();
    private final Set<PeerId> accepts = new HashSet<>();
    private List<PeerId> proposed;
    private long highestRound;

    public Paxos(PeerId self, int quorum) {
        this.self = self;
        this.quorum = quorum;
    }

    /** Restores what an acceptor had made durable. */
    public void restore(Ballot promised, Ballot accepted, List<PeerId> value) {
        this.promised = promised;
        this.accepted = accepted;
        this.acceptedValue = value;
        if (promised != null) {
            highestRound = Math.max(highestRound, promised.round());
        }
    }

    public int quorum() {
        return quorum;
    }

    public Ballot promised() {
        return promised;
    }

    public Ballot accepted() {
        return accepted;
    }

    public List<PeerId> acceptedValue() {
        return acceptedValue;
    }

    public boolean proposing() {
        return ballot != null;
    }

    // ---- acceptor ----

    /** Phase 1b. Returns true when a promise is given (state changed: persist before answering). */
    public boolean prepare(Ballot b) {
        highestRound = Math.max(highestRound, b.round());
        if (!b.above(promised)) {
            return false;
        }
        promised = b;
        return true;
    }

    /** Phase 2b. Returns true when accepted (state changed: persist before answering). */
    public boolean accept(Ballot b, List<PeerId> value) {
        highestRound = Math.max(highestRound, b.round());
        if (promised != null && b.compareTo(promised) < 0) {
            return false;
        }
        promised = b;
        accepted = b;
        acceptedValue = List.copyOf(value);
        return true;
    }

    // ---- proposer ----

    /** Phase 1a: a new ballot above every round seen, proposing {@code value} unless a prior one binds us. */
    public Ballot start(List<PeerId> value) {
        ballot = new Ballot(++highestRound, self);
        ownValue = List.copyOf(value);
        promiseAccepted.clear();
        promiseValues.clear();
        accepts.clear();
        proposed = null;
        return ballot;
    }

    public void abandon(Ballot higher) {
        if (higher != null) {
            highestRound = Math.max(highestRound, higher.round());
        }
        ballot = null;
    }

    /**
     * Phase 2a, once a quorum promised: the value to send in Accept (the accepted value with the highest
     * ballot among the promises, else our own), or null while short of a quorum.
     */
    public List<PeerId> promise(PeerId from, Ballot b, Ballot acceptedBallot, List<PeerId> value) {
        if (ballot == null || !b.equals(ballot) || proposed != null) {
            return null;
        }
        promiseAccepted.put(from, acceptedBallot);
        if (value != null) {
            promiseValues.put(from, value);
        }
        if (promiseAccepted.size() < quorum) {
            return null;
        }
        Ballot best = null;
        List<PeerId> chosen = ownValue;
        for (Map.Entry<PeerId, Ballot> e : promiseAccepted.entrySet()) {
            if (e.getValue() != null && e.getValue().above(best) && promiseValues.containsKey(e.getKey())) {
                best = e.getValue();
                chosen = promiseValues.get(e.getKey());
            }
        }
        proposed = chosen;
        return chosen;
    }

    /** Phase 2b collected: the chosen value once a quorum accepted, else null. */
    public List<PeerId> accepted(PeerId from, Ballot b) {
        if (ballot == null || !b.equals(ballot) || proposed == null) {
            return null;
        }
        accepts.add(from);
        return accepts.size() >= quorum ? proposed : null;
    }

    public Ballot ballot() {
        return ballot;
    }
}
