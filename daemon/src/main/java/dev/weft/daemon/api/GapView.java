package dev.weft.daemon.api;

import dev.weft.core.address.Range;
import dev.weft.core.ring.Gap;
import dev.weft.core.ring.Ring;
import dev.weft.daemon.api.v1.GapsReply;

/**
 * The ring's gaps for the operator, read on the loop thread from {@link Gap#in}, the core's own query, so the
 * API lists exactly the ranges the core would reclaim.
 */
final class GapView {
    private GapView() {}

    /** Every gap of this peer's ring, or null while the ring is forming. */
    static GapsReply gaps(Ring ring) {
        if (ring == null) {
            return null;
        }
        GapsReply.Builder b = GapsReply.newBuilder();
        for (Gap g : Gap.in(ring)) {
            Range r = g.range();
            int before = ring.indexOf(r.start() - 1);
            b.addGaps(dev.weft.daemon.api.v1.Gap.newBuilder().setRange(r.toString())
                    .setStart(Wire.address(r.start())).setEnd(Wire.address(r.end()))
                    .addAllCidrs(RangeText.cidrs(r)).setSize(r.size())
                    .setAfter(ring.entry(before).owner().toString()));
        }
        return b.build();
    }
}
