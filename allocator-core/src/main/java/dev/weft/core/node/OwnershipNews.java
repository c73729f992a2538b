package dev.weft.core.node;

import dev.weft.core.address.IPv4;
import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.Ring;
import dev.weft.core.space.Hold;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a change of this peer's ranges tells the operator, read from the ring alone: a range lost to another
 * owner (RANGE_LOST) unless the loss is expected, and an entry this peer claims beside others at one version
 * (CONFLICT). A pure reading; {@link Peer#syncOwnership} moves the holds and raises what this returns.
 */
final class OwnershipNews {
    private OwnershipNews() {}

    /** One alarm, raised once per {@code key}. */
    record News(Alarm.Kind kind, String key, String message) {}

    /**
     * The alarm for losing {@code lost} (its holds {@code evicted}, now fenced), or null when the loss is no news:
     * a takeover that yielded to a change the removed install made before it died (seeds 652, 141: nothing was
     * held and the range was still resting), a range of an install this peer removed, lost while that install
     * was cut off (seed 28; retaken at once, with a succession's holds, seed 270), or a gap: the entry there has
     * not reached this peer yet, and its holds stay fenced till then (seed 6321).
     *
     * @param removedByUs installs this peer removed and takes back from (none once this peer is removed itself)
     */
    static News lost(Ring ring, Range lost, List<Hold> evicted, boolean wasCooling, Set<PeerId> removedByUs) {
        PeerId owner = ring.ownerOf(lost.start());
        if (evicted.isEmpty() && wasCooling || owner != null && removedByUs.contains(owner) || ring.inGap(lost.start())) {
            return null;
        }
        Entry now = ring.entryFor(lost.start());
        return new News(Alarm.Kind.RANGE_LOST, "lost:" + lost + ":" + now.version(), "range " + lost + " now belongs"
                + " to " + (owner == null ? "no one this peer knows of (" + now.claims() + ")" : owner) + " at version "
                + now.version() + "; " + evicted.size() + " addresses held in it are fenced" + (evicted.isEmpty()
                ? "" : " (" + evicted.subList(0, Math.min(5, evicted.size())) + ")"));
    }

    /** A CONFLICT alarm for each entry {@code self} claims beside another claim at one version. */
    static List<News> conflicts(Ring ring, PeerId self) {
        List<News> out = new ArrayList<>();
        for (Entry e : ring.conflicts()) {
            if (e.claimedBy(self)) {
                out.add(new News(Alarm.Kind.CONFLICT, "conflict:" + e.token() + ":" + e.version(), "range at "
                        + IPv4.format(e.token()) + " is claimed at version " + e.version() + " by " + e.claims()
                        + "; no one allocates from it until an operator settles it"));
            }
        }
        return out;
    }
}
