package dev.weft.core.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A peer's name comes from the operator (the node name) and travels in every message and record: printable
 * ASCII without spaces, 1 to 253 characters (a DNS name's limit). Two installs are told apart by their uid,
 * and every replica orders them the same way, unsigned uids included (tombstone sets and rival claims are
 * sorted by it).
 */
class PeerIdTest {

    @Test
    void aNameOfOneTo253PrintableCharactersIsAccepted() {
        assertThat(new PeerId("a", 1).name()).isEqualTo("a");
        assertThat(new PeerId("x".repeat(253), 1).name()).hasSize(253);
        assertThat(new PeerId("!node~", 1).name()).as("the first and last printable characters").isEqualTo("!node~");
    }

    @Test
    void namesOutsideTheLimitsAreRefusedWithWhatToUse() {
        assertThatThrownBy(() -> new PeerId("x".repeat(254), 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 253");
        assertThatThrownBy(() -> new PeerId("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerId(null, 1)).isInstanceOf(IllegalArgumentException.class);
        for (String bad : new String[] {"node a", "node\u007f", "n\u00e9", "node\t", "\u0000"}) {
            assertThatThrownBy(() -> new PeerId(bad, 1)).as("'%s'", bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("node name");
        }
    }

    @Test
    void installsOfOneNameAreToldApartByUidAndOrderedUnsigned() {
        PeerId low = new PeerId("n", 1);
        PeerId high = new PeerId("n", -1); // 2^64 - 1 unsigned
        assertThat(low).isNotEqualTo(high);
        assertThat(new PeerId("n", 1)).isEqualTo(low).hasSameHashCodeAs(low);
        assertThat(low.compareTo(high)).isNegative();
        assertThat(high.compareTo(low)).isPositive();
        assertThat(new PeerId("m", -1).compareTo(low)).as("the name first").isNegative();
        assertThat(low.stableHash()).isNotEqualTo(high.stableHash());
        assertThat(new PeerId("m", 1)).isNotEqualTo(low);
        assertThat(low.toString()).isEqualTo("n#1");
    }
}
