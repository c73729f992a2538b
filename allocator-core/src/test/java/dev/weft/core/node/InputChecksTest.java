package dev.weft.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Ballot;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.peer.PeerId;
import dev.weft.core.space.Attachment;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Malformed inputs and messages are refused when built, with words, before they reach a peer. */
class InputChecksTest {
    static final PeerId A = new PeerId("a", 1);
    static final Ballot B = new Ballot(1, A);

    @Test
    void requestsNeedWhatTheyActOn() {
        assertThatThrownBy(() -> new Input.Allocate(1, null, null)).hasMessageContaining("attachment");
        assertThatThrownBy(() -> new Input.Claim(1, null, 5)).hasMessageContaining("attachment");
        assertThatThrownBy(() -> new Input.Release(1, null)).hasMessageContaining("attachment");
        assertThatThrownBy(() -> new Input.ReleaseContainer(1, " ")).hasMessageContaining("container");
        assertThatThrownBy(() -> new Input.Gc(1, null)).hasMessageContaining("valid attachments");
        assertThatThrownBy(() -> new Input.RemovePeer(1, "", false)).hasMessageContaining("name the peer");
        assertThatThrownBy(() -> new Attachment("", "eth0")).hasMessageContaining("container id");
        assertThatThrownBy(() -> new Attachment("c1", null)).hasMessageContaining("interface name");
        assertThatThrownBy(() -> new PeerId("has space", 1)).hasMessageContaining("space");
        Set<Attachment> valid = new java.util.HashSet<>(Set.of(new Attachment("c1", "eth0")));
        Input.Gc gc = new Input.Gc(1, valid);
        valid.clear();
        assertThat(gc.valid()).as("copied, not shared").hasSize(1);
    }

    @Test
    void messagesFromOtherPeersAreCheckedWhole() {
        assertThatThrownBy(() -> new Input.Receive(null, new Message.Prepare(B))).hasMessageContaining("sender");
        assertThatThrownBy(() -> new Input.Receive(A, null)).hasMessageContaining("content");
        assertThatThrownBy(() -> new Message.Gossip(null, 0, false)).hasMessageContaining("piece");
        assertThatThrownBy(() -> new Message.SpaceRequest(1, null, false)).hasMessageContaining("range");
        assertThatThrownBy(() -> new Message.SpaceRequest(1, new Range(0, 2), true)).hasMessageContaining("one address");
        assertThatThrownBy(() -> new Message.SpaceGrant(1, null)).hasMessageContaining("ring change");
        assertThatThrownBy(() -> new Message.Prepare(null)).hasMessageContaining("ballot");
        assertThatThrownBy(() -> new Message.Promise(B, B, null)).hasMessageContaining("together");
        assertThatThrownBy(() -> new Message.Accept(B, List.of())).hasMessageContaining("founding member list");
        assertThatThrownBy(() -> new Message.Accept(B, Collections.nCopies(Checks.MAX_MEMBERS + 1, A)))
                .hasMessageContaining("founding member list");
        assertThat(new Message.SpaceDenied(1, null, false).reason()).isEmpty();
    }

    @Test
    void configurationsThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> CoreConfig.defaults(Cidr.parse("10.0.0.0/31"), new Bootstrap.Observer()))
                .hasMessageContaining("too small");
        assertThatThrownBy(() -> CoreConfig.defaults(Cidr.parse("10.0.0.0/30"),
                new Bootstrap.Seeds(List.of("a", "b", "c", "d", "e")))).hasMessageContaining("fewer seeds");
        assertThatThrownBy(() -> new Bootstrap.Consensus(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new Bootstrap.Seeds(List.of())).hasMessageContaining("at least one");
    }
}
