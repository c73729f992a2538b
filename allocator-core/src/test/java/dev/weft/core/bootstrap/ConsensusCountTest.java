package dev.weft.core.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A consensus start of one peer is allowed (its own promise is the quorum); of none is refused, clearly. More
 * need every one of the N: with a majority, an amnesiac acceptor and a peer that never learned the ring
 * founded a second cluster (seed 775; design notes, "Bootstrap, and its limits").
 */
class ConsensusCountTest {

    @Test
    void onePeerIsItsOwnQuorumAndMoreNeedEveryPeer() {
        assertThat(new Bootstrap.Consensus(1).quorum()).isEqualTo(1);
        assertThat(new Bootstrap.Consensus(4).quorum()).isEqualTo(4);
        assertThat(new Bootstrap.Consensus(5).quorum()).isEqualTo(5);
        assertThatThrownBy(() -> new Bootstrap.Consensus(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
