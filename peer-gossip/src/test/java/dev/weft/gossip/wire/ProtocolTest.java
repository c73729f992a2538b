package dev.weft.gossip.wire;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(Protocol.CURRENT).isEqualTo(2);
        assertThat(Protocol.refusal(2, 2)).isNull();
        assertThat(Protocol.refusal(2, 1)).contains("wire protocol 1").contains("speaks 2 only")
                .contains("upgrade that peer");
        assertThat(Protocol.refusal(3, 2)).isNull();
    }
}
