package dev.weft.core.ring;

import dev.weft.core.peer.Mix;
import dev.weft.core.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One token of the ring and what is known of it at its highest version: normally a single claim; when two
 * peers made different changes at the same version (a wrongly removed peer, a restored backup, a bug), all
 * of them. The join keeps the highest version and, at equal versions, the union of claims, so it is
 * commutative, associative and idempotent. Which claim counts is read from it ({@link #effective}); an
 * entry in real conflict is allocated from by nobody until an operator settles it.
 */
public final class Entry {
    private final long token;
    private final long version;
    private final Claim winner;
    private final List<Claim> rivals;
    private final long hash;
    /** See {@link #end}: kept, because every decode, piece check and merge reads it for every entry. */
    private final long end;

    private Entry(long token, long version, Claim winner, List<Claim> rivals) {
        if (version < 1) {
            throw new IllegalArgumentException("entry " + token + " has version " + version + ": versions start at 1");
        }
        this.token = token;
        this.version = version;
        this.winner = winner;
        this.rivals = rivals;
        long h = Mix.mix(token * 0x9E3779B97F4A7C15L + version) ^ winner.stableHash();
        for (Claim r : rivals) {
            h = Mix.mix(h + r.stableHash());
        }
        this.hash = h;
        long e = winner.end();
        for (Claim r : rivals) {
            e = Math.min(e, r.end());
        }
        this.end = e;
    }

    public static Entry of(long token, long version, PeerId owner, long free, long end) {
        if (end <= token) {
            throw new IllegalArgumentException("entry " + token + " ends at " + end + ", not after its token");
        }
        return new Entry(token, version, new Claim(owner, free, end), List.of());
    }

    /** Rebuilds an entry from all its claims at one version (from the wire or from disk). */
    public static Entry ofClaims(long token, long version, List<Claim> claims) {
        if (claims.isEmpty()) {
            throw new IllegalArgumentException("entry " + token + " has no claim");
        }
        for (Claim c : claims) {
            if (c.end() <= token) {
                throw new IllegalArgumentException("entry " + token + " ends at " + c.end() + ", not after its token");
            }
        }
        TreeSet<Claim> sorted = new TreeSet<>(claims);
        Claim winner = sorted.pollLast();
        return new Entry(token, version, winner, List.copyOf(sorted));
    }

    /** The lattice join of two states of the same token. */
    public static Entry join(Entry a, Entry b) {
        if (a == b) {
            return a;
        }
        if (a.token != b.token) {
            throw new IllegalArgumentException("joining entries of different tokens " + a.token + " and " + b.token);
        }
        if (a.version != b.version) {
            return a.version > b.version ? a : b;
        }
        if (a.hash == b.hash && a.sameClaims(b)) {
            return a;
        }
        List<Claim> all = new ArrayList<>(a.claims());
        all.addAll(b.claims());
        Entry joined = ofClaims(a.token, a.version, all);
        // Keep an existing instance when the union adds nothing, so callers can tell "changed" by identity.
        if (joined.sameClaims(a)) {
            return a;
        }
        return joined.sameClaims(b) ? b : joined;
    }

    private boolean sameClaims(Entry o) {
        // The hot path of every merge of a ring we mostly know already: cheap fields first.
        return same(winner, o.winner) && (rivals.isEmpty() ? o.rivals.isEmpty() : rivals.equals(o.rivals));
    }

    private static boolean same(Claim a, Claim b) {
        return a == b || a.end() == b.end() && a.free() == b.free() && a.takeover() == b.takeover()
                && a.owner().equals(b.owner());
    }

    public long token() {
        return token;
    }

    public long version() {
        return version;
    }

    public PeerId owner() {
        return winner.owner();
    }

    public long free() {
        return winner.free();
    }

    /**
     * Where this entry's range stops, as far as any claim at this version says: the smallest end, so that
     * whatever one claimant knew of a split is not forgotten.
     */
    public long end() {
        return end;
    }

    public boolean conflicted() {
        return !rivals.isEmpty();
    }

    /** One ordinary claim: what {@link #of} builds (no rival, no takeover). */
    public boolean plain() {
        return rivals.isEmpty() && !winner.takeover();
    }

    /** Every claim at this version, winner last. */
    public List<Claim> claims() {
        if (rivals.isEmpty()) {
            return List.of(winner);
        }
        List<Claim> all = new ArrayList<>(rivals);
        all.add(winner);
        return all;
    }

    /**
     * The claim that counts, given the tombstoned installs; null when the entry is in real conflict. This
     * is a reading of the joined state, not part of the join, so the join stays a lattice, and every peer
     * that knows the same claims and tombstones reads the same owner. Among the claims at this version:
     * <ol>
     *   <li>claims whose owner is tombstoned are set aside: that install is dead, or fences itself as soon
     *       as it hears of its tombstone;</li>
     *   <li>takeover claims yield to ordinary ones: an ordinary claim at the version a remover raised to
     *       can only be a change the dead owner made before it died (a grant the remover had not heard
     *       of), or an operator's settlement, and the remover, which does not use a taken range before its
     *       rest ends, just lets go;</li>
     *   <li>one ordinary claim left is the owner; two or more (two live installs writing one version) is a
     *       conflict nobody allocates from until an operator settles it ({@code RingEditor#settle});</li>
     *   <li>with takeover claims only (one install removed through two peers), the lowest install wins.
     *       The losers yield: they never use the range, and hand what they hold there to the winner, which
     *       does not use it before that (see {@link #losers}).</li>
     * </ol>
     */
    public Claim effective(java.util.Set<PeerId> tombstones) {
        if (rivals.isEmpty()) {
            return winner;
        }
        Claim ordinary = null;
        int ordinaryCount = 0;
        Claim taken = null;
        for (Claim c : claims()) {
            if (tombstones.contains(c.owner())) {
                continue;
            }
            if (!c.takeover()) {
                ordinary = c;
                ordinaryCount++;
            } else if (taken == null) {
                taken = c; // claims() is sorted by owner first: the first is the lowest install's
            }
        }
        if (ordinaryCount > 0) {
            return ordinaryCount == 1 ? ordinary : null;
        }
        return taken != null ? taken : winner;
    }

    /**
     * Live installs whose claims here lose to the one that counts: each must yield before the owner uses
     * the range. Tombstoned ones are not waited for: whoever removed them takes what they claim.
     */
    public java.util.Set<PeerId> losers(java.util.Set<PeerId> tombstones) {
        java.util.Set<PeerId> out = new TreeSet<>();
        Claim counts = effective(tombstones);
        if (counts == null) {
            return out;
        }
        for (Claim c : claims()) {
            if (!c.owner().equals(counts.owner()) && !tombstones.contains(c.owner())) {
                out.add(c.owner());
            }
        }
        return out;
    }

    /**
     * Whether {@code peer} claims this entry by a takeover, as the winner or as a rival: what it took there
     * was someone else's, whichever claim counts here (a rival set aside for its tombstone, or one side of a
     * conflict, still took it).
     */
    public boolean takenOverBy(PeerId peer) {
        for (Claim c : claims()) {
            if (c.takeover() && c.owner().equals(peer)) {
                return true;
            }
        }
        return false;
    }

    public boolean claimedBy(PeerId peer) {
        if (winner.owner().equals(peer)) {
            return true;
        }
        for (Claim r : rivals) {
            if (r.owner().equals(peer)) {
                return true;
            }
        }
        return false;
    }

    long stableHash() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && e.token == token && e.version == version && e.hash == hash && sameClaims(e);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hash);
    }

    @Override
    public String toString() {
        return token + "@v" + version + ":" + (rivals.isEmpty() ? winner.toString() : "CONFLICT" + claims());
    }
}
