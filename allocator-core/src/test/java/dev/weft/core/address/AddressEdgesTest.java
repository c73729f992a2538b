package dev.weft.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The edges of the address arithmetic that mutation testing (docs/mutation-testing.md) showed no other test
 * pinned: where one range ends and the next begins, the last address of the universe, and the first of two
 * equal candidates.
 */
class AddressEdgesTest {

    @Test
    void rangesThatOnlyTouchDoNotOverlap() {
        Range low = new Range(0, 5);
        Range high = new Range(5, 10);
        assertThat(low.overlaps(high)).isFalse();
        assertThat(high.overlaps(low)).isFalse();
        assertThat(low.overlaps(new Range(4, 6))).isTrue();
    }

    @Test
    void rangesSortByStartFirstThenByEnd() {
        List<Range> ranges = new ArrayList<>(List.of(new Range(5, 6), new Range(0, 10), new Range(0, 3)));
        Collections.sort(ranges);
        assertThat(ranges).containsExactly(new Range(0, 3), new Range(0, 10), new Range(5, 6));
        assertThat(new Range(0, 10).compareTo(new Range(5, 6))).isNegative();
        assertThat(new Range(5, 6).compareTo(new Range(0, 10))).isPositive();
    }

    @Test
    void theLargestAlignedBlockIsTheLowestOfEqualCandidates() {
        // [1, 7) holds two aligned blocks of two: [2, 4) and [4, 6). The lower one is the answer, so carving
        // is deterministic and grants keep to the low end.
        assertThat(new Range(1, 7).largestAlignedBlock()).isEqualTo(new Range(2, 4));
    }

    @Test
    void aShareBeyondTheLastIsRefusedNotCarvedOutsideTheRange() {
        Range r = new Range(100, 110);
        assertThat(r.share(1, 2)).isEqualTo(new Range(105, 110));
        assertThatThrownBy(() -> r.share(2, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.share(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.share(-1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theOffsetJustPastTheUniverseIsNoAddress() {
        assertThat(IPv4.format(IPv4.SIZE - 1)).isEqualTo("255.255.255.255");
        assertThatThrownBy(() -> IPv4.format(IPv4.SIZE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Cidr(IPv4.SIZE, 32)).isInstanceOf(BadAddressException.class);
        assertThat(new Cidr(IPv4.SIZE - 1, 32).hosts()).isEqualTo(new Range(IPv4.SIZE - 1, IPv4.SIZE));
    }

    @Test
    void anOctetOfFourDigitsIsRefusedEvenWithLeadingZeros() {
        assertThat(IPv4.parse("010.032.000.001")).isEqualTo(IPv4.parse("10.32.0.1"));
        assertThatThrownBy(() -> IPv4.parse("0010.32.0.1")).isInstanceOf(BadAddressException.class);
    }

    @Test
    void aCidrWithHostBitsSuggestsItsNetwork() {
        assertThatThrownBy(() -> Cidr.parse("10.33.0.0/12")).isInstanceOf(BadAddressException.class)
                .hasMessageContaining("did you mean 10.32.0.0/12?");
    }

    @Test
    void anAlignedRangeIsItsCidrAndNothingElseIs() {
        assertThat(Cidr.of(new Range(IPv4.parse("10.32.0.0"), IPv4.parse("10.48.0.0"))))
                .isEqualTo(Cidr.parse("10.32.0.0/12"));
        assertThatThrownBy(() -> Cidr.of(new Range(1, 3))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Range.of(3, 9)).isEqualTo(new Range(3, 9));
    }
}
