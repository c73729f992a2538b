package dev.weft.core.ring;

import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import java.util.ArrayList;
import java.util.List;

/**
 * An entry claimed by several installs at one version, as an operator sees it: its range, the version, every
 * claim, and the install whose claim counts ({@code owner}; null while nobody may allocate there until an
 * operator settles it). Rival takeovers resolve by themselves (the lowest install wins) but are listed
 * until the winner, once the losers yielded, restates its claim alone.
 */
public record Conflict(Range range, long version, List<Claim> claims, PeerId owner) {

    public Conflict {
        claims = List.copyOf(claims);
    }

    /** Whether an operator must settle it (nobody's claim counts). */
    public boolean unresolved() {
        return owner == null;
    }

    /** Every entry of {@code ring} with more than one claim at its version, in ring order: a pure query. */
    public static List<Conflict> in(Ring ring) {
        List<Conflict> out = new ArrayList<>();
        for (int i = 0; i < ring.size(); i++) {
            Entry e = ring.entry(i);
            if (e.conflicted()) {
                out.add(new Conflict(ring.rangeAt(i), e.version(), e.claims(), ring.ownerAt(i)));
            }
        }
        return out;
    }
}
