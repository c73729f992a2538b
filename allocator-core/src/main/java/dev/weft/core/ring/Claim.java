package dev.weft.core.ring;

import dev.weft.core.peer.Mix;
import dev.weft.core.peer.PeerId;

/** What one peer says about a range at some version: that it owns it, and how many addresses are free. */
public record Claim(PeerId owner, long free) implements Comparable<Claim> {

    public Claim {
        if (owner == null) {
            throw new IllegalArgumentException("a claim needs an owner");
        }
        if (free < 0) {
            throw new IllegalArgumentException("free count " + free + " is negative");
        }
    }

    long stableHash() {
        return Mix.mix(owner.stableHash() + 31 * free);
    }

    /** A fixed total order, so that every replica picks the same winner among rival claims. */
    @Override
    public int compareTo(Claim o) {
        int c = owner.compareTo(o.owner);
        return c != 0 ? c : Long.compare(free, o.free);
    }
}
