package dev.weft.core.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.peer.PeerId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Paxos rules that keep one founding ring, each at its edge: a proposer that hears several accepted
 * values adopts the one with the highest ballot (whatever order the promises came in), an acceptor takes an
 * accept for exactly the ballot it promised, and every ballot an acceptor has seen pushes its own next one
 * above it. Mutation testing (docs/mutation-testing.md) showed these edges were not pinned.
 */
class PaxosSafetyTest {
    static final PeerId A = new PeerId("a", 1);
    static final PeerId B = new PeerId("b", 2);
    static final PeerId C = new PeerId("c", 3);
    static final PeerId D = new PeerId("d", 4);

    @Test
    void theValueAcceptedAtTheHighestBallotBindsWhicheverPromiseArrivesFirst() {
        Ballot older = new Ballot(1, B);
        Ballot newer = new Ballot(3, C);
        List<PeerId> olderValue = List.of(A, B);
        List<PeerId> newerValue = List.of(C, D);
        for (boolean newerFirst : new boolean[] {true, false}) {
            Paxos p = new Paxos(A, 3);
            Ballot mine = p.start(List.of(A));
            assertThat(p.promise(A, mine, null, null)).isNull();
            if (newerFirst) {
                assertThat(p.promise(C, mine, newer, newerValue)).isNull();
                assertThat(p.promise(B, mine, older, olderValue)).containsExactlyElementsOf(newerValue);
            } else {
                assertThat(p.promise(B, mine, older, olderValue)).isNull();
                assertThat(p.promise(C, mine, newer, newerValue)).containsExactlyElementsOf(newerValue);
            }
        }
    }

    @Test
    void withNoValueAcceptedTheProposerProposesItsOwn() {
        Paxos p = new Paxos(A, 2);
        Ballot mine = p.start(List.of(A, B, C));
        assertThat(p.promise(B, mine, null, null)).isNull();
        assertThat(p.promise(C, mine, null, null)).containsExactly(A, B, C);
        assertThat(p.promise(D, mine, null, null)).as("one proposal per ballot").isNull();
    }

    @Test
    void anAcceptForThePromisedBallotItselfIsTaken() {
        Paxos acceptor = new Paxos(C, 2);
        Ballot b = new Ballot(4, A);
        assertThat(acceptor.prepare(b)).isTrue();
        assertThat(acceptor.accept(b, List.of(A, C))).isTrue();
        assertThat(acceptor.promised()).isEqualTo(b);
    }

    @Test
    void everyBallotSeenLiftsTheAcceptorsOwnNextBallot() {
        Paxos byAccept = new Paxos(C, 2);
        byAccept.accept(new Ballot(7, A), List.of(A));
        assertThat(byAccept.start(List.of(C)).round()).isEqualTo(8);

        Paxos byRefusedPrepare = new Paxos(C, 2);
        byRefusedPrepare.prepare(new Ballot(5, A));
        byRefusedPrepare.prepare(new Ballot(3, B));
        assertThat(byRefusedPrepare.start(List.of(C)).round()).isEqualTo(6);

        Paxos byRestore = new Paxos(C, 2);
        byRestore.restore(new Ballot(9, A), null, null);
        assertThat(byRestore.start(List.of(C)).round()).isEqualTo(10);

        Paxos byAbandon = new Paxos(C, 2);
        byAbandon.start(List.of(C));
        byAbandon.abandon(null);
        assertThat(byAbandon.proposing()).isFalse();
        assertThat(byAbandon.start(List.of(C)).round()).isEqualTo(2);
    }

    @Test
    void acceptsForAnotherBallotOrBeforeAProposalCountForNothing() {
        Paxos p = new Paxos(A, 1);
        Ballot mine = p.start(List.of(A));
        assertThat(p.accepted(B, mine)).as("nothing proposed yet").isNull();
        assertThat(p.promise(B, new Ballot(mine.round(), B), null, null)).as("someone else's ballot").isNull();
        assertThat(p.promise(B, mine, null, null)).containsExactly(A);
        assertThat(p.accepted(B, mine)).containsExactly(A);
        assertThat(p.ballot()).isEqualTo(mine);
    }

    @Test
    void promisesAndAcceptsForAnEarlierBallotDoNotCountForTheNext() {
        Paxos p = new Paxos(A, 2);
        Ballot first = p.start(List.of(A));
        assertThat(p.promise(B, first, new Ballot(1, C), List.of(C))).isNull();
        p.abandon(null);
        Ballot second = p.start(List.of(A));
        assertThat(p.promise(D, second, null, null)).as("B's promise was for the first ballot only").isNull();
        assertThat(p.promise(C, second, null, null)).as("no value accepted among this ballot's promisers")
                .containsExactly(A);
        assertThat(p.accepted(C, second)).isNull();
        p.abandon(null);
        Ballot third = p.start(List.of(A));
        p.promise(B, third, null, null);
        p.promise(C, third, null, null);
        assertThat(p.accepted(D, third)).as("C accepted the second ballot, not this one").isNull();
        assertThat(p.accepted(B, third)).containsExactly(A);
    }
}
