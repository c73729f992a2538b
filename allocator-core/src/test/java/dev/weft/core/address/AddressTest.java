package dev.weft.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {

    @Test
    void parsesAndPrintsDottedQuads() {
        assertThat(IPv4.parse("10.32.0.1")).isEqualTo(0x0A200001L);
        assertThat(IPv4.parse("255.255.255.255")).isEqualTo(0xFFFFFFFFL);
        assertThat(IPv4.parse("0.0.0.0")).isZero();
        assertThat(IPv4.format(0x0A200001L)).isEqualTo("10.32.0.1");
        assertThat(IPv4.format(IPv4.parse("192.168.7.250"))).isEqualTo("192.168.7.250");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.32.0", "10.32.0.1.2", "10.32.0.256", "10..0.1", "a.b.c.d", "10.32.0.1 ", "-1.0.0.0",
            "1000.0.0.1", "10.32.0."})
    void rejectsWhatIsNotAnAddressAndSaysHowToWriteIt(String text) {
        assertThatThrownBy(() -> IPv4.parse(text)).isInstanceOf(BadAddressException.class).hasMessageContaining("10.32.0.1");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> IPv4.parse(null)).isInstanceOf(BadAddressException.class);
    }

    @Test
    void parsesCidrs() {
        Cidr c = Cidr.parse("10.32.0.0/12");
        assertThat(c.base()).isEqualTo(0x0A200000L);
        assertThat(c.prefix()).isEqualTo(12);
        assertThat(c.size()).isEqualTo(1L << 20);
        assertThat(c.range()).isEqualTo(new Range(0x0A200000L, 0x0A300000L));
        assertThat(c.hosts()).isEqualTo(new Range(0x0A200001L, 0x0A2FFFFFL));
        assertThat(c).hasToString("10.32.0.0/12");
        assertThat(Cidr.parse("0.0.0.0/0").size()).isEqualTo(1L << 32);
        assertThat(Cidr.parse("10.0.0.4/31").hosts().size()).isEqualTo(2);
        assertThat(Cidr.parse("10.0.0.4/32").hosts().size()).isEqualTo(1);
    }

    @Test
    void aCidrWithHostBitsSetIsATypoAndTheErrorSuggestsTheNetwork() {
        assertThatThrownBy(() -> Cidr.parse("10.32.0.1/12")).isInstanceOf(BadAddressException.class)
                .hasMessageContaining("host bits").hasMessageContaining("10.32.0.0/12");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.32.0.0/33", "10.32.0.0/-1", "10.32.0.0/", "10.32.0.0", "10.32.0.0/1a", "garbage",
            "10.32.0.0/012", " /12"})
    void rejectsBadCidrs(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(BadAddressException.class);
    }

    @Test
    void rangesCountContainOverlapAndIntersect() {
        Range r = new Range(10, 20);
        assertThat(r.size()).isEqualTo(10);
        assertThat(r.contains(10)).isTrue();
        assertThat(r.contains(20)).isFalse();
        assertThat(r.contains(new Range(12, 20))).isTrue();
        assertThat(r.overlaps(new Range(19, 30))).isTrue();
        assertThat(r.overlaps(new Range(20, 30))).isFalse();
        assertThat(r.intersect(new Range(15, 30))).isEqualTo(new Range(15, 20));
        assertThat(r.intersect(new Range(25, 30)).isEmpty()).isTrue();
        assertThatThrownBy(() -> new Range(5, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void halvesAndAlignment() {
        assertThat(new Range(0, 7).halves()).containsExactly(new Range(0, 4), new Range(4, 7));
        assertThat(new Range(16, 32).isAligned()).isTrue();
        assertThat(new Range(16, 48).isAligned()).isFalse();
        assertThat(new Range(8, 24).isAligned()).isFalse();
        // [5, 30): the aligned blocks are 5/32, 6/31, 8/29, 16/29 (16..24), 24/30 ... the largest is 8 long.
        assertThat(new Range(5, 30).largestAlignedBlock().size()).isEqualTo(8);
        assertThat(new Range(5, 30).largestAlignedBlock().isAligned()).isTrue();
        assertThat(new Range(0, 1L << 20).largestAlignedBlock()).isEqualTo(new Range(0, 1L << 20));
        assertThat(new Range(7, 8).largestAlignedBlock()).isEqualTo(new Range(7, 8));
    }

    @Test
    void sharesDifferByAtMostOneAddressAndTileTheRange() {
        Range universe = Cidr.parse("10.32.0.0/12").range();
        for (int n : new int[] {1, 2, 3, 7, 1000, 1023}) {
            long min = Long.MAX_VALUE;
            long max = 0;
            long next = universe.start();
            for (int i = 0; i < n; i++) {
                Range s = universe.share(i, n);
                assertThat(s.start()).isEqualTo(next);
                next = s.end();
                min = Math.min(min, s.size());
                max = Math.max(max, s.size());
            }
            assertThat(next).isEqualTo(universe.end());
            assertThat(max - min).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void printsAlignedRangesAsCidrAndOthersAsSpans() {
        assertThat(new Range(IPv4.parse("10.32.0.0"), IPv4.parse("10.32.1.0"))).hasToString("10.32.0.0/24");
        assertThat(new Range(IPv4.parse("10.32.0.3"), IPv4.parse("10.32.0.9"))).hasToString("10.32.0.3-10.32.0.8");
    }

    @Test
    void rangeSetArithmetic() {
        List<Range> a = List.of(new Range(0, 10), new Range(20, 30));
        List<Range> b = List.of(new Range(5, 25));
        assertThat(RangeSets.subtract(a, b)).containsExactly(new Range(0, 5), new Range(25, 30));
        assertThat(RangeSets.intersect(a, b)).containsExactly(new Range(5, 10), new Range(20, 25));
        assertThat(RangeSets.subtract(a, List.of())).isEqualTo(a);
        assertThat(RangeSets.subtract(a, a)).isEmpty();
        assertThat(RangeSets.size(a)).isEqualTo(20);
    }
}
