package dev.weft.core.ring;

import dev.weft.core.address.Range;
import java.util.ArrayList;
import java.util.List;

/**
 * Addresses no entry of a ring covers: past the end an entry states and before the next token (or the end
 * of the universe). They arise when every copy of a split was lost with the data folders that held it; no
 * peer allocates there, and only an operator's reclaim ({@code Input.ReclaimGap}) fills them. Mid-gossip a
 * replica may also list a gap that the next ring comparison closes.
 */
public record Gap(Range range) {

    public Gap {
        if (range == null || range.isEmpty()) {
            throw new IllegalArgumentException("a gap is a non-empty range");
        }
    }

    /** Every gap of {@code ring}, in ring order: a pure query. */
    public static List<Gap> in(Ring ring) {
        List<Gap> out = new ArrayList<>();
        for (int i = 0; i < ring.size(); i++) {
            long next = i + 1 < ring.size() ? ring.entry(i + 1).token() : ring.universe().end();
            long end = ring.rangeAt(i).end();
            if (end < next) {
                out.add(new Gap(new Range(end, next)));
            }
        }
        return out;
    }
}
