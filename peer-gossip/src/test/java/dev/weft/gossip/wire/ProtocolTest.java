package dev.weft.gossip.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.node.Message;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Segments;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolTest {
    @Test
    void ownVersionAndTheOneBeforeAreSpokenNothingElse() {
        assertThat(Protocol.refusal(5, 5)).isNull();
        assertThat(Protocol.refusal(5, 4)).isNull();
        assertThat(Protocol.refusal(5, 3)).contains("upgrade that peer");
        assertThat(Protocol.refusal(5, 6)).contains("upgrade this peer");
        assertThat(Protocol.refusal(1, 0)).isNotNull();
        assertThat(Protocol.agreed(5, 4)).isEqualTo(4);
        assertThat(Protocol.agreed(4, 5)).isEqualTo(4);
    }

    @Test
    void versionOneIsRefusedItsPeersCannotKeepAHandOver() {
        assertThat(Protocol.OLDEST).isEqualTo(2);
        assertThat(Protocol.refusal(2, 2)).isNull();
        assertThat(Protocol.refusal(2, 1)).contains("wire protocol 1").contains("speaks 2 only")
                .contains("upgrade that peer");
        assertThat(Protocol.refusal(3, 2)).isNull();
    }

    @Test
    void versionThreeSpeaksTwoAndTellsAnOlderPeerNothingItCannotRead() {
        assertThat(Protocol.CURRENT).isEqualTo(3);
        assertThat(Protocol.refusal(Protocol.CURRENT, 2)).isNull();
        assertThat(Protocol.refusal(Protocol.CURRENT, 1)).contains("upgrade that peer");
        List<Long> tops = new ArrayList<>();
        for (int i = 0; i < Segments.TOPS; i++) {
            tops.add((long) i);
        }
        ClusterId c = new ClusterId("c");
        assertThat(MessageEncoder.forPrevious(new Message.SegmentDigests(c, 5, List.of(), tops)))
                .isEqualTo(new Message.Digest(c, 5));
        List<Long> leaves = tops.subList(0, Segments.FANOUT);
        assertThat(MessageEncoder.forPrevious(new Message.SegmentDigests(c, 5, List.of(2), leaves))).isNull();
        Message.Digest d = new Message.Digest(c, 1);
        assertThat(MessageEncoder.forPrevious(d)).isSameAs(d);
    }
}
