package dev.weft.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.address.IPv4;
import dev.weft.core.address.Range;
import org.junit.jupiter.api.Test;

/** Ranges as operators type them for settle and reclaim-gap, and what they are told when they mistype one. */
class RangeTextTest {
    @Test
    void aCidrOrFirstLastAsListed() {
        assertThat(RangeText.parse("10.32.7.0/26")).isEqualTo(new Range(IPv4.parse("10.32.7.0"), IPv4.parse("10.32.7.64")));
        assertThat(RangeText.parse(" 10.32.7.0-10.32.7.99 ")).isEqualTo(new Range(IPv4.parse("10.32.7.0"),
                IPv4.parse("10.32.7.100")));
        assertThat(RangeText.parse("10.32.7.0/26")).hasToString("10.32.7.0/26");
    }

    @Test
    void aMistypedRangeIsToldBothForms() {
        assertThatThrownBy(() -> RangeText.parse("garbage")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither a CIDR (10.32.0.0/24) nor first-last (10.32.0.0-10.32.0.99)");
        assertThatThrownBy(() -> RangeText.parse("10.32.7.9")).hasMessageContaining("neither a CIDR");
        assertThatThrownBy(() -> RangeText.parse("10.32.7.99-10.32.7.0")).hasMessageContaining("ends before it starts");
        assertThatThrownBy(() -> RangeText.parse("10.32.7.0-x")).hasMessageContaining("is not first-last");
        assertThatThrownBy(() -> RangeText.parse(" ")).hasMessageContaining("name the range as listed");
    }
}
