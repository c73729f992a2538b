package dev.weft.daemon.route;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.address.Range;
import java.util.ArrayList;
import java.util.List;

/**
 * A range as the fewest CIDR blocks that cover exactly it: a kernel route names a prefix, and a ring range
 * (a share of a three-way split, what is left after a grant) seldom is one. The operator API prints ranges
 * the same way.
 */
public final class Blocks {
    private Blocks() {}

    /** Left to right, each block the largest that starts where the last ended and stays inside the range. */
    public static List<Cidr> of(Range range) {
        List<Cidr> out = new ArrayList<>();
        long s = range.start();
        while (s < range.end()) {
            // The largest block aligned at s (address 0 is aligned to everything), then halved until it fits.
            long block = s == 0 ? IPv4.SIZE : Long.lowestOneBit(s);
            while (s + block > range.end()) {
                block >>>= 1;
            }
            out.add(Cidr.of(new Range(s, s + block)));
            s += block;
        }
        return out;
    }
}
