package dev.weft.core.node;

import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.Ring;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import dev.weft.core.space.Space;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Hand-over of live holds from an install removed while it ran, on both sides.
 *
 * <p>The removed install, fenced, sends every address its pods still hold to the peers that took its
 * ranges (owners of takeover claims, and owners of the addresses it holds), every gossip round, so a
 * release reaches them too. A peer that took the ranges keeps those addresses held for it ({@link
 * Record.Kept}) until a later hand-over no longer lists them.
 */
final class HandOvers {
    /** Attachments this peer keeps held for each removed install, as on disk. */
    private final TreeMap<PeerId, Set<Attachment>> kept = new TreeMap<>();

    /** Who the removed install {@code self} tells: whoever may have taken what it held. */
    static Set<PeerId> targets(Ring ring, PeerId self, Collection<Long> heldAddresses, Set<PeerId> up) {
        Set<PeerId> out = new TreeSet<>();
        for (int i = 0; i < ring.size(); i++) {
            Claim c = ring.claimAt(i);
            if (c != null && c.takeover() && up.contains(c.owner())) {
                out.add(c.owner());
            }
        }
        for (long a : heldAddresses) {
            PeerId owner = ring.ownerOf(a);
            if (owner != null && up.contains(owner)) {
                out.add(owner);
            }
        }
        out.remove(self);
        return out;
    }

    /**
     * Holds in {@code space} what a hand-over lists there (persisted through {@code persist}); returns the
     * attachments now held for the sender. An address another attachment holds here goes to {@code clash}. A
     * pod this peer already holds and keeps for no one is this node's own (it came back with a range that had
     * been taken, say): it is not kept for the sender, whose later word must not release it (soak seed 2527:
     * a successor's "none" freed this node's own running pod's address; seed 1545 the same through a
     * successor that had imported the pod).
     */
    List<Attachment> hold(List<Hold> holds, Space space, Consumer<Record> persist, Consumer<Hold> clash) {
        List<Attachment> keep = new ArrayList<>();
        for (Hold hold : holds) {
            if (!space.owns(hold.address())) {
                continue; // in a range another remover took: its business
            }
            Space.ClaimResult r = space.restore(hold.attachment(), hold.address());
            if (r == Space.ClaimResult.TAKEN) {
                persist.accept(new Record.Held(hold));
            }
            if (r == Space.ClaimResult.TAKEN || r == Space.ClaimResult.ALREADY_YOURS && keeps(hold.attachment())) {
                keep.add(hold.attachment());
            } else if (r == Space.ClaimResult.HELD_BY_OTHER) {
                clash.accept(hold);
            }
        }
        return keep;
    }

    /**
     * Whether {@code from}'s hand-over changes nothing here: it lists nothing, and nothing here is kept for it or
     * waits for its word. A peer with nothing to hand over tells each peer so once (see {@link HandOverRounds}),
     * so most receivers skip it without a write.
     */
    boolean moot(PeerId from, Message.HandOver h, boolean awaited) {
        return h.holds().isEmpty() && h.awaited().isEmpty() && h.yielded().isEmpty() && !awaited && !keepsFor(from);
    }

    /** Whether {@code a} is a pod of another node, kept here for a removed install. */
    boolean keeps(Attachment a) {
        for (Set<Attachment> all : kept.values()) {
            if (all.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** Removed installs this peer keeps holds for. */
    List<PeerId> keptFor() {
        return new ArrayList<>(kept.keySet());
    }

    boolean keepsFor(PeerId install) {
        return kept.containsKey(install);
    }

    /**
     * What {@code from} holds now; sets {@code now} as what is kept for it, and returns the attachments kept
     * for it that it no longer lists (released there: release them here too) and no other removed install
     * lists either. A pod's own node and a fenced peer that had kept the pod may both hand it over; only the
     * last to stop listing it frees it.
     */
    List<Attachment> update(PeerId from, Collection<Attachment> now) {
        Set<Attachment> before = kept.getOrDefault(from, Set.of());
        kept.put(from, new HashSet<>(now));
        List<Attachment> released = new ArrayList<>();
        for (Attachment a : before) {
            if (!now.contains(a) && !keeps(a)) {
                released.add(a);
            }
        }
        return released;
    }

    /** The record for what is kept for {@code from}: its list, or its deletion when empty. */
    Record record(PeerId from) {
        Set<Attachment> all = kept.get(from);
        if (all == null || all.isEmpty()) {
            kept.remove(from);
            return new Record.Forget(new Record.Kept(from, List.of()).key());
        }
        return new Record.Kept(from, sorted(all));
    }

    void restore(Record.Kept k) {
        kept.put(k.from(), new HashSet<>(k.attachments()));
    }

    List<Record.Kept> records() {
        List<Record.Kept> out = new ArrayList<>();
        for (Map.Entry<PeerId, Set<Attachment>> e : kept.entrySet()) {
            out.add(new Record.Kept(e.getKey(), sorted(e.getValue())));
        }
        return out;
    }

    private static List<Attachment> sorted(Set<Attachment> all) {
        List<Attachment> out = new ArrayList<>(all);
        out.sort((x, y) -> x.toString().compareTo(y.toString()));
        return out;
    }

    /** The holds of a hand-over, as attachments. */
    static List<Attachment> attachments(List<Hold> holds) {
        List<Attachment> out = new ArrayList<>(holds.size());
        for (Hold h : holds) {
            out.add(h.attachment());
        }
        return out;
    }
}
