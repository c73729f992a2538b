package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.Ring;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The two sides of an entry whose claims at one version were resolved (rival takeovers: the lowest install
 * wins) or settled by an operator, read from the ring (see {@link Entry#effective}).
 *
 * <p>The loser may have used the range before it heard of the winner (its rest ended first). So the winner
 * does not use a range it gains, or still rests, while a live loser has not yielded it: said in a hand-over
 * that carries every address the loser's pods hold ({@link Message.Yield}). A range already in use when a
 * rival shows up is not held back: its owner's rest ended after it compared equal rings with every install it
 * knew, and so did the loser's, so the loser knew of the winner before its own rest ended and never used it.
 *
 * <p>Nothing here is stored: the claims are in the ring, a loser yields again every gossip round while its
 * losing claim stands, and the winner, once it uses the range, restates its claim alone one version up,
 * which ends the rivalry everywhere.
 */
final class Rivals {
    /** Yields heard, per install: token to the highest version it yielded at. */
    private final Map<PeerId, Map<Long, Long>> yielded = new HashMap<>();
    /** Tokens of ranges held back here for a loser's yield. */
    private final Set<Long> heldBack = new HashSet<>();

    /** What {@code self} owes: every entry where its claim loses to another install's. */
    static List<Message.Yield> owed(Ring ring, PeerId self) {
        List<Message.Yield> out = new ArrayList<>();
        for (int i = 0; i < ring.size(); i++) {
            Entry e = ring.entry(i);
            if (e.conflicted() && e.claimedBy(self) && !self.equals(ring.ownerAt(i)) && ring.ownerAt(i) != null) {
                out.add(new Message.Yield(e.token(), e.version()));
            }
        }
        return out;
    }

    /** Who must hear what {@code self} owes: the owners it lost to. */
    static Set<PeerId> winners(Ring ring, List<Message.Yield> owed) {
        Set<PeerId> out = new TreeSet<>();
        for (Message.Yield y : owed) {
            out.add(ring.entryFor(y.token()).effective(ring.tombstones()).owner());
        }
        return out;
    }

    void heard(PeerId from, List<Message.Yield> yields) {
        for (Message.Yield y : yields) {
            yielded.computeIfAbsent(from, k -> new HashMap<>()).merge(y.token(), y.version(), Math::max);
        }
    }

    private boolean hasYielded(PeerId loser, Entry e) {
        return yielded.getOrDefault(loser, Map.of()).getOrDefault(e.token(), 0L) >= e.version();
    }

    /**
     * Brings the ranges held back in line with the ring: an owned range starts being held back when it rests
     * now or was just gained (per {@code resting}) and a live loser has not yielded it; it is released (to
     * {@code release}, which re-times it as its rest says) once every loser has. {@code holdBack} rests it for
     * ever meanwhile.
     */
    void sync(Ring ring, PeerId self, java.util.function.Predicate<Range> resting,
            java.util.function.Consumer<Range> holdBack, java.util.function.Consumer<Range> release) {
        Set<Long> still = new HashSet<>();
        for (int i = 0; i < ring.size(); i++) {
            Entry e = ring.entry(i);
            if (!e.conflicted() || !self.equals(ring.ownerAt(i))) {
                continue;
            }
            boolean waiting = false;
            for (PeerId loser : e.losers(ring.tombstones())) {
                waiting |= !hasYielded(loser, e);
            }
            Range r = ring.rangeAt(i);
            if (waiting && (heldBack.contains(e.token()) || resting.test(r))) {
                still.add(e.token());
                holdBack.accept(r);
            }
        }
        for (long t : heldBack) {
            if (!still.contains(t)) {
                int i = ring.indexOf(t);
                if (ring.entry(i).token() == t && self.equals(ring.ownerAt(i))) {
                    release.accept(ring.rangeAt(i));
                }
            }
        }
        heldBack.clear();
        heldBack.addAll(still);
    }

    /** Whether some owned range is held back for a loser (then its rest must not be reported or used). */
    boolean holdingBack() {
        return !heldBack.isEmpty();
    }
}
