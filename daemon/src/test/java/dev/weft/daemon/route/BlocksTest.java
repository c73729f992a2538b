package dev.weft.daemon.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.address.Range;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlocksTest {

    @Test
    void aThirdOfASlash12IsTheFewestAlignedBlocks() {
        long start = IPv4.parse("10.32.0.0");
        Range third = new Range(start, start + (1L << 20) / 3);
        assertThat(Blocks.of(third)).map(Cidr::toString).containsExactly("10.32.0.0/14", "10.36.0.0/16",
                "10.37.0.0/18", "10.37.64.0/20", "10.37.80.0/22", "10.37.84.0/24", "10.37.85.0/26", "10.37.85.64/28",
                "10.37.85.80/30", "10.37.85.84/32");
        assertThat(Blocks.of(Cidr.parse("10.36.0.0/14").range())).map(Cidr::toString).containsExactly("10.36.0.0/14");
        assertThat(Blocks.of(new Range(0, IPv4.SIZE))).map(Cidr::toString).containsExactly("0.0.0.0/0");
        assertThat(Blocks.of(new Range(start + 5, start + 6))).map(Cidr::toString).containsExactly("10.32.0.5/32");
        assertThat(Blocks.of(new Range(start, start))).isEmpty();
    }

    /** Seeded: the blocks tile the range exactly, in order, and no two neighbours could be one block. */
    @Test
    void blocksTileEveryRangeExactlyAndCannotBeJoined() {
        SplittableRandom random = new SplittableRandom(11);
        for (int run = 0; run < 2_000; run++) {
            long a = random.nextLong(IPv4.SIZE);
            long b = Math.min(IPv4.SIZE, a + 1 + random.nextLong(1L << random.nextInt(1, 33)));
            List<Cidr> blocks = Blocks.of(new Range(a, b));
            long at = a;
            for (int i = 0; i < blocks.size(); i++) {
                Range r = blocks.get(i).range();
                assertThat(r.start()).as("run %d block %d of [%d,%d)", run, i, a, b).isEqualTo(at);
                at = r.end();
                if (i > 0) {
                    Range prev = blocks.get(i - 1).range();
                    assertThat(new Range(prev.start(), r.end()).isAligned() && prev.size() == r.size())
                            .as("%s and %s could be one block", blocks.get(i - 1), blocks.get(i)).isFalse();
                }
            }
            assertThat(at).isEqualTo(b);
            assertThat(blocks.size()).as("at most two blocks per bit of size").isLessThanOrEqualTo(64);
        }
    }
}
