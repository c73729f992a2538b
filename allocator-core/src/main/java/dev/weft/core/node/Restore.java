package dev.weft.core.node;

import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.Ring;
import dev.weft.core.ring.RingPiece;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A data folder restored from an older backup of this same install (same uid, older state), and the gate
 * every peer rebuilt from a data folder passes before it hands out anything new.
 *
 * <p>Nothing in a folder tells a restored copy from the latest one: whatever "highest version written" it
 * records is restored with it. What tells them apart lives on the other peers: entries of this install at
 * versions it never wrote as far as its folder knows. So a recovered peer first compares equal rings with
 * every install it knows of ({@link #gated}), which brings it every newer version of its own entries that
 * any of them has, and {@link #heard} reads those for proof of a restore: then the peer fences itself
 * ({@link #fenced}). Every install, not most: the newest word on a range it gave away after the backup may
 * sit on the one install it gave it to (a grant is heard first by its receiver). Pods acknowledged after the
 * backup are held again by the driver's {@link Input.Readmit}, which the daemon sends at every start (it
 * cannot tell a restore either).
 */
final class Restore {
    static final String WAITING = "this peer restarted from its data folder and hands out nothing new until it has"
            + " compared its ring with every install it knows of (its folder may be older than what the cluster knows"
            + " of it); try again in a few seconds, or remove an install that is gone for good";

    private boolean recovered;
    private boolean synced;
    private String proof;

    /**
     * This peer was rebuilt from a data folder (not a new install); {@code proven} is the proof of a restore it
     * recorded before (it stays fenced: the folder now carries the versions that proved it), or null.
     */
    void recovered(Record.Restored proven) {
        recovered = true;
        proof = proven == null ? null : proven.proof();
    }

    /** The record that keeps this peer fenced across restarts, or null while no restore is proven. */
    Record.Restored record() {
        return proof == null ? null : new Record.Restored(proof);
    }

    /**
     * Whether a recovered peer must still wait before it allocates, grants, reports or edits anything: until
     * it compared equal rings with every install it knows of since it started ({@link #peers}). Once passed, it
     * stays passed. An install that never answers keeps it waiting until it is removed or a newer install runs
     * under its name: that is the availability cost of a rule that cannot miss the one peer with the news.
     */
    boolean gated(BooleanSupplier syncedWithAll) {
        if (recovered && !synced) {
            synced = syncedWithAll.getAsBoolean();
        }
        return recovered && !synced;
    }

    /**
     * Whom a recovered peer must have compared rings with, every one: the installs it knows of (reachable, or
     * owning something in its ring), but not tombstoned ones, nor an install whose name a newer install now
     * reachable runs under (it lost its folder and can never answer), so that installs gone for good do not
     * keep it waiting for ever once the operator removed them or their nodes came back as new installs.
     */
    static Set<PeerId> peers(Ring ring, Set<PeerId> up, PeerId self) {
        Set<String> running = new HashSet<>();
        up.forEach(p -> running.add(p.name()));
        Set<PeerId> known = RingSync.known(ring, up, self);
        known.removeIf(p -> !up.contains(p) && running.contains(p.name()));
        return known;
    }

    /** Why this peer allocates nothing (its folder was found restored from an older backup), or null. */
    String fenced(PeerId self) {
        return proof == null ? null : "the data folder of " + self + " is older than what the cluster knows of this"
                + " install (" + proof + "): it was restored from a backup, and what it did since is lost here. It"
                + " allocates nothing. Move the data folder aside and restart the node so that it joins as a new"
                + " install (with unique node names its pods are carried over by succession); else drain it first";
    }

    boolean detected() {
        return proof != null;
    }

    /**
     * Whether RESTORED_FROM_BACKUP is to be raised: {@code piece} (null at a tick) proves a restore now, or one
     * was proven before. Asked at every tick too, so that after a restart the alarm comes at once: a peer whose
     * digests equal everyone's is sent no piece at all (soak seed 642: the alarm came only once the operator's
     * clean-up changed the ring, too late for the operator to replace the install before it).
     */
    boolean alarming(Ring local, RingPiece piece, PeerId self, Consumer<Record> persist) {
        return piece != null && heard(local, piece, self, persist) != null || detected();
    }

    /**
     * Reads a piece heard from a peer, before it is merged into {@code local}; returns the proof of a restore
     * the first time there is one, else null. Only this install writes these, so a version of them above the
     * local one was written by this install and forgotten:
     * <ul>
     *   <li>a takeover claim of its own (its removal of another install, a succession, or a gap it reclaimed)
     *       in an entry of takeover claims only: alone, or joined with another remover's of the same install
     *       at the same version (soak seed 466 of branch join: restored p00 heard its removal of j0 as one side
     *       of such a conflict, was not fenced, and granted away the address of j0's pod, which its forgotten
     *       rest would have waited for). Takeover claims are written by their owners, but for an operator's
     *       settlement, which writes them for the losers beside an ordinary claim for the owner it chose;</li>
     *   <li>its own sole ordinary entry at a higher version, still its own alone (a free report, a split) or
     *       someone else's by ordinary claims of live installs only (a grant, a leave): others take a live
     *       install's range only
     *       by takeover, and an operator's settlement keeps every other claimant beside the owner's claim, so
     *       it never reads as the owner's sole entry (soak seed 11094: the settler knew a rival claim of a
     *       removed install that the owner never heard of; dropping it made the settlement read as the owner's
     *       own forgotten write).</li>
     * </ul>
     * A removed install (tombstoned) is not asked: its remover's changes explain anything. The proof is handed
     * to {@code persist} in the same step: merged, the piece makes the folder look current (soak seed 1552: a
     * restored p00 heard its own takeover, stored it, crashed, and came back unfenced and without the rest or
     * the kept pod of that takeover, and handed the pod's address out again).
     */
    String heard(Ring local, RingPiece piece, PeerId self, Consumer<Record> persist) {
        if (proof != null || local.isTombstoned(self) || piece.tombstones().contains(self)) {
            return null;
        }
        for (Entry e : piece.entries()) {
            int i = local.indexOf(e.token());
            Entry mine = local.entry(i).token() == e.token() ? local.entry(i) : null;
            long known = mine == null ? -1 : mine.version();
            if (e.version() <= known) {
                continue;
            }
            if (ownTakeover(e, self) || mine != null && soleOrdinary(mine, self)
                    && (givenAway(e, self, local, piece) || soleOrdinary(e, self))) {
                proof = "the ring has its entry at token " + e.token() + " at version " + e.version() + " ("
                        + e.claims() + "), its folder only version " + known;
                persist.accept(record());
                return proof;
            }
        }
        return null;
    }

    /** Takeover claims only, one of them this install's: only this install wrote that claim (see above). */
    private static boolean ownTakeover(Entry e, PeerId self) {
        boolean own = false;
        for (Claim c : e.claims()) {
            if (!c.takeover()) {
                return false;
            }
            own |= c.owner().equals(self);
        }
        return own;
    }

    private static boolean soleOrdinary(Entry e, PeerId self) {
        return e.claims().size() == 1 && !e.claims().get(0).takeover() && e.claims().get(0).owner().equals(self);
    }

    /**
     * Someone else's by ordinary claims of live installs only. A removed install's claims prove nothing: cut
     * off before it heard of its removal, it goes on changing the entries it had, which its remover may have
     * taken and made its own since (soak seed 1: p05 took p03's range, reported it, and then heard p03's own
     * later changes of it).
     */
    private static boolean givenAway(Entry e, PeerId self, Ring local, RingPiece piece) {
        for (Claim c : e.claims()) {
            if (c.takeover() || c.owner().equals(self) || local.isTombstoned(c.owner())
                    || piece.tombstones().contains(c.owner())) {
                return false;
            }
        }
        return true;
    }

    static String describe(int released, Succession.Imported in) {
        return released + " holds released (not listed at that address), " + in.held() + " live pods held again ("
                + in.already() + " already held), " + in.handedOver() + " in ranges others own, handed over to them, "
                + in.ignored() + " ignored (outside the address space or reserved)" + (in.clashes().isEmpty() ? ""
                : "; " + in.clashes().size() + " clash with other pods: " + in.clashes().subList(0,
                Math.min(5, in.clashes().size())));
    }
}
