package dev.weft.core.ring;

import dev.weft.core.peer.Mix;
import dev.weft.core.peer.PeerId;

/**
 * What one peer says about a range at some version: that it owns it up to {@code end}, and how many
 * addresses are free. Carrying the end makes every entry self-describing: a peer that learns an entry
 * without the token that follows it still knows where the range stops, so it can never believe it owns
 * more than it does. A range only ever shrinks, and every shrink raises the version.
 *
 * <p>{@code takeover} marks a claim made by an operator's removal of a dead install rather than by the
 * range's owner (see {@link Entry#effective}).
 */
public record Claim(PeerId owner, long free, long end, boolean takeover) implements Comparable<Claim> {

    /** An ordinary claim, made by the range's owner (its own entry, or a range it gave away). */
    public Claim(PeerId owner, long free, long end) {
        this(owner, free, end, false);
    }

    public Claim {
        if (owner == null) {
            throw new IllegalArgumentException("a claim needs an owner");
        }
        if (free < 0) {
            throw new IllegalArgumentException("free count " + free + " is negative");
        }
        if (end <= 0) {
            throw new IllegalArgumentException("range end " + end + " is not positive");
        }
    }

    long stableHash() {
        return Mix.mix(owner.stableHash() + 31 * free + 0x632BE59BD9B4E019L * end + (takeover ? 0x5851F42D4C957F2DL : 0));
    }

    /** A fixed total order, so that every replica picks the same winner among rival claims. */
    @Override
    public int compareTo(Claim o) {
        int c = owner.compareTo(o.owner);
        if (c != 0) {
            return c;
        }
        c = Long.compare(free, o.free);
        if (c != 0) {
            return c;
        }
        c = Long.compare(end, o.end);
        return c != 0 ? c : Boolean.compare(takeover, o.takeover);
    }
}
