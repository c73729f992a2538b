package dev.weft.core.node;

import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * When this peer last compared its ring with each other peer (equal digests, or a whole ring that merged into
 * exactly ours, so the other had our claims and we had all of its): what
 * tells whether its view may be stale, which removals must know (simulator seed 251). Memory only: after a
 * restart nothing counts until the peer has compared again.
 */
final class RingSync {
    private final Map<PeerId, Long> syncedAt = new HashMap<>();
    /** When each peer last came up, as this peer saw it. */
    private final Map<PeerId, Long> upSince = new HashMap<>();
    private boolean caughtUp;

    /** The ring was found equal to {@code peer}'s, or {@code peer}'s whole ring merged into exactly ours, at {@code now}. */
    void compared(PeerId peer, long now) {
        caughtUp = true;
        syncedAt.put(peer, now);
    }

    /** {@code peer} came up (again) at {@code now}: what it did while apart is known only after a new comparison. */
    void cameUp(PeerId peer, long now) {
        upSince.put(peer, now);
    }

    /** Whether the ring was compared with {@code peer} since it last came up. */
    boolean comparedSinceUp(PeerId peer) {
        return withAllSince(List.of(peer), upSince.getOrDefault(peer, Long.MIN_VALUE));
    }

    /**
     * The ring was made here, adopted whole, or another's whole ring merged into it without making them equal:
     * not stale, though compared with no one (that other may not have had our claims).
     */
    void madeOrAdopted() {
        caughtUp = true;
    }

    /** Whether the ring was compared with another peer (or made here) since this peer started. */
    boolean caughtUp() {
        return caughtUp;
    }

    /**
     * The installs a comparison "with every one" must cover: the reachable peers and the live owners in
     * {@code ring}, not {@code self}, not tombstoned ones (seeds 3457, 3158: a majority misses the one with the
     * news).
     */
    static Set<PeerId> known(Ring ring, Set<PeerId> up, PeerId self) {
        Set<PeerId> known = new TreeSet<>(up);
        known.addAll(ring.owners());
        known.remove(self);
        known.removeAll(ring.tombstones());
        return known;
    }

    /** Whether every one of {@code known} was compared with at or after {@code since} (true if none). */
    boolean withAllSince(Collection<PeerId> known, long since) {
        return notSince(known, since).isEmpty();
    }

    /** Those of {@code known} not compared with at or after {@code since}. */
    List<PeerId> notSince(Collection<PeerId> known, long since) {
        List<PeerId> out = new ArrayList<>();
        for (PeerId p : known) {
            Long at = syncedAt.get(p);
            if (at == null || at < since) {
                out.add(p);
            }
        }
        return out;
    }
}
