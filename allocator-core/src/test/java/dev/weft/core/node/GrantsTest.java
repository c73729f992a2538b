package dev.weft.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Range;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Space;
import org.junit.jupiter.api.Test;

class GrantsTest {
    static final Range UNIVERSE = new Range(0, 256);

    @Test
    void aShareIsAnAlignedFreeBlockOfAboutHalfTheFreeSpace() {
        Space s = new Space();
        s.add(new Range(0, 128), 0);
        Range g = Grants.share(s, UNIVERSE, 0);
        assertThat(g).isEqualTo(new Range(64, 128));
        s.claim(new Attachment("c1", "eth0"), 70, 0);
        Range h = Grants.share(s, UNIVERSE, 0);
        assertThat(h.isAligned()).isTrue();
        assertThat(s.freeIn(h)).isEqualTo(h.size());
        assertThat(h.size() * 2).isLessThanOrEqualTo(s.freeIn(UNIVERSE));
        assertThat(Grants.share(new Space(), UNIVERSE, 0).isEmpty()).isTrue();
    }

    @Test
    void aClaimTakesAFreeAlignedBlockAroundTheAddressButNothingHeldOrCooling() {
        Space s = new Space();
        s.add(new Range(0, 64), 0);
        s.add(new Range(64, 128), 10_000);
        assertThat(Grants.around(s, UNIVERSE, 5, 0)).as("up to half of 64 free").isEqualTo(new Range(0, 32));
        s.claim(new Attachment("c1", "eth0"), 6, 0);
        assertThat(Grants.around(s, UNIVERSE, 5, 0)).isEqualTo(new Range(4, 6));
        assertThat(Grants.around(s, UNIVERSE, 6, 0).isEmpty()).as("held").isTrue();
        // The block around 63 would reach into the cooling range above it: it stops at the boundary.
        Range g = Grants.around(s, UNIVERSE, 63, 0);
        assertThat(g.end()).isLessThanOrEqualTo(64);
        assertThat(Grants.around(s, UNIVERSE, 70, 0).isEmpty()).as("cooling").isTrue();
        assertThat(Grants.around(s, UNIVERSE, 70, 10_000).contains(70)).isTrue();
    }
}
