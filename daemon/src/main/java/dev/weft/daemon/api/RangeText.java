package dev.weft.daemon.api;

import dev.weft.core.address.BadAddressException;
import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.address.Range;
import dev.weft.daemon.route.Blocks;
import java.util.List;

/**
 * Ranges as operators read and type them: a CIDR when the range is one aligned block, else first-last (both
 * inclusive), the same text the core prints; and any range cut into the aligned CIDR blocks that make it up.
 */
final class RangeText {
    private RangeText() {}

    /** Parses {@code a.b.c.d/n} or {@code first-last}; anything else is an IllegalArgumentException. */
    static Range parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("name the range as listed: a CIDR (10.32.0.0/24) or first-last"
                    + " (10.32.0.0-10.32.0.99)");
        }
        String t = text.trim();
        int dash = t.indexOf('-');
        if (dash < 0) {
            try {
                return Cidr.parse(t).range();
            } catch (BadAddressException e) {
                // Say both forms: a gap or conflict that is not one aligned block is listed as first-last.
                throw new IllegalArgumentException("range '" + t + "' is neither a CIDR (10.32.0.0/24) nor first-last"
                        + " (10.32.0.0-10.32.0.99): " + e.getMessage(), e);
            }
        }
        try {
            long first = IPv4.parse(t.substring(0, dash).trim());
            long last = IPv4.parse(t.substring(dash + 1).trim());
            if (last < first) {
                throw new IllegalArgumentException("range '" + t + "' ends before it starts: write first-last");
            }
            return new Range(first, last + 1);
        } catch (BadAddressException e) {
            throw new IllegalArgumentException("range '" + t + "' is not first-last: " + e.getMessage(), e);
        }
    }

    /** The aligned CIDR blocks that make up {@code r}, in address order (one block when r is aligned). */
    static List<String> cidrs(Range r) {
        return Blocks.of(r).stream().map(Cidr::toString).toList();
    }
}
