package dev.weft.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.peer.PeerId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an operator's removal answers about when the taken space comes back, in both naming modes, and that
 * the peer then does what it said: without unique names a new install under the removed one's name that
 * connects ends the wait; with unique names it does not (pods outlive a data folder), only a succession does.
 */
class RemovalAnswerTest {
    final PeerTest h = new PeerTest();
    /** node-b's next install, after its data folder was lost. */
    static final PeerId NEXT = new PeerId(PeerTest.OTHER.name(), 8);

    Peer pair(boolean uniqueNames) {
        Peer p = Peer.fresh(CoreConfig.defaults(PeerTest.UNIVERSE, new Bootstrap.Seeds(List.of("node-a", "node-b")))
                .withUniqueNames(uniqueNames), PeerTest.SELF, 1);
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.Digest(null, 0)));
        h.step(p, new Input.PeerDown(PeerTest.OTHER));
        return p;
    }

    String remove(Peer p) {
        Result r = h.ask(p, id -> new Input.RemovePeer(id, PeerTest.OTHER.name(), false));
        return ((Result.Done) r).message();
    }

    /** Whether the range taken from node-b is in use again, once a new install under its name has connected. */
    boolean backAfterANewInstallConnects(Peer p, Range taken) {
        h.step(p, new Input.PeerUp(NEXT));
        h.step(p, new Input.Receive(NEXT, new Message.Gossip(p.ring().whole(), p.ring().digest(), false)));
        h.now += p.config().takeoverCooldown() + 1;
        h.step(p, new Input.Tick());
        return p.space().freeIn(taken, h.now) > 0;
    }

    /** Removes node-b (not forced): the answer says {@code says}, never {@code neverSays}, and does what it says. */
    void answersAndDoes(boolean uniqueNames, String says, String neverSays, boolean backOnceConnected) {
        Peer p = pair(uniqueNames);
        Range taken = p.ring().rangesOwnedBy(PeerTest.OTHER).get(0);
        assertThat(remove(p)).startsWith("took over 1 ranges").contains("once " + PeerTest.OTHER + " has handed over")
                .contains(says).doesNotContain(neverSays);
        assertThat(backAfterANewInstallConnects(p, taken)).isEqualTo(backOnceConnected);
    }

    @Test
    void withoutUniqueNamesANewInstallUnderTheNameEndsTheWait() {
        answersAndDoes(false, "or a new install under the name node-b connects to this peer", "succeeded", true);
    }

    @Test
    void withUniqueNamesOnlyTheSuccessorsWordEndsTheWait() {
        // A new install alone is not the successor's word: pods outlive a data folder.
        answersAndDoes(true, "or a new install on node-b has succeeded it and said which of its pods still run",
                "connects to this peer", false);
    }

    @Test
    void aForcedRemovalWaitsForNoWord() {
        Peer p = pair(true);
        Result r = h.ask(p, id -> new Input.RemovePeer(id, PeerTest.OTHER.name(), true));
        assertThat(((Result.Done) r).message()).startsWith("took over 1 ranges").doesNotContain("once")
                .endsWith("and only when other space runs out");
    }
}
