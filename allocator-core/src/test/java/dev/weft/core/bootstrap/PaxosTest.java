package dev.weft.core.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.peer.PeerId;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaxosTest {
    static final PeerId A = new PeerId("a", 1);
    static final PeerId B = new PeerId("b", 2);
    static final PeerId C = new PeerId("c", 3);

    @Test
    void anAcceptorKeepsItsPromiseAgainstLowerBallots() {
        Paxos acceptor = new Paxos(C, 2);
        Ballot high = new Ballot(2, A);
        Ballot low = new Ballot(1, B);
        assertThat(acceptor.prepare(high)).isTrue();
        assertThat(acceptor.prepare(low)).isFalse();
        assertThat(acceptor.accept(low, List.of(B))).isFalse();
        assertThat(acceptor.accept(high, List.of(A, C))).isTrue();
        assertThat(acceptor.accepted()).isEqualTo(high);
        assertThat(acceptor.acceptedValue()).containsExactly(A, C);
        // Same round, higher proposer id: ballots are totally ordered.
        assertThat(acceptor.prepare(new Ballot(2, B))).isTrue();
    }

    @Test
    void aValueIsChosenByAQuorumOfAcceptsForTheProposersOwnBallot() {
        Paxos proposer = new Paxos(A, 2);
        Ballot b = proposer.start(List.of(A, B, C));
        assertThat(proposer.promise(A, b, null, null)).isNull();
        List<PeerId> value = proposer.promise(B, b, null, null);
        assertThat(value).containsExactly(A, B, C);
        assertThat(proposer.accepted(A, b)).isNull();
        assertThat(proposer.accepted(A, b)).as("the same acceptor twice is one vote").isNull();
        assertThat(proposer.accepted(C, new Ballot(b.round() + 1, C))).as("another ballot").isNull();
        assertThat(proposer.accepted(B, b)).containsExactly(A, B, C);
    }

    @Test
    void aLaterProposerAdoptsAValueAlreadyAcceptedSoOnlyOneCanBeChosen() {
        // A got B to accept [A, B]; then C proposes [B, C] and hears B's acceptance in a promise.
        Paxos b = new Paxos(B, 2);
        Ballot first = new Ballot(1, A);
        assertThat(b.prepare(first)).isTrue();
        assertThat(b.accept(first, List.of(A, B))).isTrue();
        Paxos c = new Paxos(C, 2);
        Ballot second = c.start(List.of(B, C));
        assertThat(second.above(first)).isTrue();
        assertThat(b.prepare(second)).isTrue();
        assertThat(c.promise(C, second, null, null)).isNull();
        List<PeerId> value = c.promise(B, second, b.accepted(), b.acceptedValue());
        assertThat(value).as("the accepted value binds the later proposer").containsExactly(A, B);
    }

    @Test
    void aRestoredAcceptorRemembersWhatItPromisedAndAccepted() {
        Paxos before = new Paxos(C, 2);
        Ballot b = new Ballot(5, A);
        before.prepare(b);
        before.accept(b, List.of(A, C));
        Paxos after = new Paxos(C, 2);
        after.restore(before.promised(), before.accepted(), before.acceptedValue());
        assertThat(after.prepare(new Ballot(4, B))).isFalse();
        assertThat(after.accept(new Ballot(3, B), List.of(B))).isFalse();
        assertThat(after.acceptedValue()).containsExactly(A, C);
        // Its own next ballot is above anything it has seen, so it never reuses one.
        assertThat(after.start(List.of(C)).round()).isGreaterThan(5);
    }

    @Test
    void aNackMakesTheProposerStepBackAndRetryAboveIt() {
        Paxos p = new Paxos(A, 2);
        Ballot mine = p.start(List.of(A, B));
        p.abandon(new Ballot(9, C));
        assertThat(p.proposing()).isFalse();
        assertThat(p.promise(B, mine, null, null)).as("promises for an abandoned ballot count for nothing").isNull();
        assertThat(p.start(List.of(A, B)).round()).isEqualTo(10);
    }
}
