package dev.weft.core.ring;

import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What travels between peers and to disk: some entries of a ring (all of them when {@code complete}), its
 * tombstones, and the cluster identity and universe they belong to. The constructor checks the shape, so
 * a piece decoded from hostile bytes is either well-formed or rejected with {@link BadRingException}.
 *
 * <p>Deltas always carry, with each changed run of entries, the entry that follows it: a range's end is
 * implied by the next token, and a peer that learned "t is now mine" without the token that ends it would
 * think it owns more than it does.
 */
public record RingPiece(ClusterId cluster, Range universe, List<Entry> entries, SortedSet<PeerId> tombstones,
        boolean complete) {

    public RingPiece {
        if (cluster == null || universe == null || entries == null || tombstones == null) {
            throw new BadRingException("a ring piece needs its cluster, universe, entries and tombstones");
        }
        if (universe.isEmpty()) {
            throw new BadRingException("a ring piece has an empty universe");
        }
        entries = List.copyOf(entries);
        tombstones = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(tombstones));
        long previous = -1;
        for (Entry e : entries) {
            if (e.token() <= previous) {
                throw new BadRingException("ring piece tokens are not strictly increasing at " + e.token());
            }
            if (!universe.contains(e.token())) {
                throw new BadRingException("token " + e.token() + " lies outside the universe " + universe);
            }
            // A plain entry's one claim is read through the entry: no list is built for it (this runs for
            // every entry of every ring that arrives). The checks and their messages are the same either way.
            if (e.conflicted()) {
                for (Claim c : e.claims()) {
                    check(e.token(), c.end(), c.free(), universe);
                }
            } else {
                check(e.token(), e.end(), e.free(), universe);
            }
            previous = e.token();
        }
        if (complete && (entries.isEmpty() || entries.get(0).token() != universe.start())) {
            throw new BadRingException("a complete ring must start at the universe's first address " + universe);
        }
    }

    private static void check(long token, long end, long free, Range universe) {
        if (end > universe.end()) {
            throw new BadRingException("token " + token + " ends at " + end + ", past the universe " + universe);
        }
        if (free > universe.size()) {
            throw new BadRingException("token " + token + " claims " + free + " free addresses, more than the universe holds");
        }
    }

    public int size() {
        return entries.size();
    }
}
