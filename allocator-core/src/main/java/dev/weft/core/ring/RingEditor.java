package dev.weft.core.ring;

import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * One change to the ring by one peer (the actor). It enforces the ownership rule: the actor may split,
 * give away and report free counts only for entries it owns without dispute; the single exception is an
 * operator's {@link #takeOver} of a removed peer. Every entry touched gets its version raised by exactly
 * one, however many times this edit touches it. {@link #commit} joins the new entries into the base ring,
 * so an edit is just a merge whose entries happen to be newer.
 */
public final class RingEditor {
    private final Ring base;
    private final PeerId actor;
    private final ToLongFunction<Range> freeCounter;
    private final TreeMap<Long, Entry> changed = new TreeMap<>();
    private final Map<Long, Long> versionBefore = new HashMap<>();
    private final Set<PeerId> newTombstones = new TreeSet<>();

    RingEditor(Ring base, PeerId actor, ToLongFunction<Range> freeCounter) {
        this.base = base;
        this.actor = actor;
        this.freeCounter = freeCounter;
    }

    /** The entry that currently covers {@code address}, this edit's changes included. */
    private Entry current(long address) {
        Map.Entry<Long, Entry> mine = changed.floorEntry(address);
        Entry theirs = base.entryFor(address);
        return mine != null && mine.getKey() >= theirs.token() ? mine.getValue() : theirs;
    }

    private long nextToken(long token) {
        long[] tokens = base.tokens();
        int i = Arrays.binarySearch(tokens, token + 1);
        int idx = i >= 0 ? i : -i - 1;
        long fromBase = idx < tokens.length ? tokens[idx] : base.universe().end();
        Long fromEdit = changed.higherKey(token);
        return fromEdit == null ? fromBase : Math.min(fromBase, fromEdit);
    }

    private Range rangeOf(long token) {
        return new Range(token, Math.min(nextToken(token), current(token).end()));
    }

    private NavigableSet<Long> tokensIn(Range r) {
        TreeSet<Long> out = new TreeSet<>(changed.subMap(r.start(), true, r.end(), false).keySet());
        long[] tokens = base.tokens();
        int i = Arrays.binarySearch(tokens, r.start());
        for (int idx = i >= 0 ? i : -i - 1; idx < tokens.length && tokens[idx] < r.end(); idx++) {
            out.add(tokens[idx]);
        }
        return out;
    }

    private void requireOwned(Entry e, String what) {
        Claim c = e.effective(base.tombstones());
        if (c == null || !c.owner().equals(actor)) {
            throw new IllegalStateException(actor + " cannot " + what + " at " + e.token() + ": it is "
                    + (c == null ? "in conflict " + e.claims() : "owned by " + c.owner()));
        }
    }

    private void put(long token, long version, PeerId owner, long free, long end) {
        changed.put(token, Entry.of(token, version, owner, free, end));
    }

    private long newVersion(Entry e) {
        return versionBefore.computeIfAbsent(e.token(), t -> e.version()) + 1;
    }

    /** Makes {@code at} a token, cutting the actor's entry that covers it in two. */
    public RingEditor split(long at) {
        if (at == base.universe().end()) {
            return this;
        }
        Entry covering = current(at);
        if (covering.token() == at) {
            return this;
        }
        requireOwned(covering, "split");
        Range r = rangeOf(covering.token());
        if (at == r.end()) {
            return this;
        }
        if (!r.contains(at)) {
            throw new IllegalStateException(actor + " cannot split at " + at + ": its entry " + covering.token()
                    + " ends at " + r.end());
        }
        // The new token starts from the version of the entry it was cut from, so it is newer than anything
        // a stale replica might remember at this address.
        long end = rangeOf(covering.token()).end();
        versionBefore.put(at, covering.version());
        put(at, covering.version() + 1, actor, 0, end);
        put(covering.token(), newVersion(covering), actor, 0, at);
        refreshFree(covering.token());
        refreshFree(at);
        return this;
    }

    private void refreshFree(long token) {
        Entry e = changed.get(token);
        put(token, e.version(), e.owner(), freeCounter.applyAsLong(rangeOf(token)), e.end());
    }

    /** Hands {@code range} to {@code to}: all of it must be the actor's and, by the caller's check, free. */
    public RingEditor give(Range range, PeerId to) {
        if (range.isEmpty() || !base.universe().contains(range)) {
            throw new IllegalArgumentException("cannot give " + range + " of universe " + base.universe());
        }
        for (long t : tokensIn(new Range(current(range.start()).token(), range.end()))) {
            requireOwned(current(t), "give " + range);
        }
        split(range.start());
        split(range.end());
        for (long t : tokensIn(range)) {
            Entry e = current(t);
            Range r = rangeOf(t);
            put(t, newVersion(e), to, r.size(), r.end());
        }
        return this;
    }

    /** Records the actor's true free count for its entry at {@code token}, if it differs. */
    public RingEditor reportFree(long token, long free) {
        Entry e = current(token);
        if (e.token() != token) {
            throw new IllegalArgumentException("no token " + token + " in the ring");
        }
        requireOwned(e, "report free");
        if (e.effective(base.tombstones()).free() != free || e.conflicted()) {
            put(token, newVersion(e), actor, free, rangeOf(token).end());
        }
        return this;
    }

    /**
     * The operator's removal of a dead peer: every entry it claims (as winner or rival) becomes the actor's
     * at one version higher, and its install is tombstoned so it can never rejoin as itself. If the peer
     * was in fact alive and changed an entry meanwhile, the two changes meet at the same version and surface
     * as a conflict rather than passing silently.
     */
    public RingEditor takeOver(PeerId dead) {
        if (dead.equals(actor)) {
            throw new IllegalArgumentException("a peer cannot remove itself: use leave");
        }
        for (int i = 0; i < base.size(); i++) {
            Entry e = current(base.entry(i).token());
            if (e.claimedBy(dead) && !ownedOverTakeoverOf(e, dead)) {
                Range r = rangeOf(e.token());
                changed.put(e.token(), Entry.ofClaims(e.token(), newVersion(e), List.of(new Claim(actor, r.size(), r.end(), true))));
            }
        }
        newTombstones.add(dead);
        return this;
    }

    /**
     * Whether {@code dead} only lost here: its claims are all takeover claims, and the claim that counts is a
     * live install's ordinary one (a change {@code dead} had not heard of when it took the entry, or a
     * settlement). That install owns the entry and {@code dead} never used it, so a takeover of {@code dead}
     * leaves it alone; raising it would take a live owner's range, pods and all (soak seed 6825 of the segment
     * exchange: a retake of entries learned late). Where {@code dead} may have used the entry (an ordinary
     * claim of its own, a conflict, or its takeover counting), it is taken as before.
     */
    private boolean ownedOverTakeoverOf(Entry e, PeerId dead) {
        for (Claim c : e.claims()) {
            if (c.owner().equals(dead) && !c.takeover()) {
                return false;
            }
        }
        Claim counts = e.effective(base.tombstones());
        return counts != null && !counts.takeover() && !counts.owner().equals(dead)
                && !base.isTombstoned(counts.owner());
    }

    /**
     * An operator's settlement of the entry at {@code token}, claimed by several installs at one version: one
     * version up, an ordinary claim for {@code owner}, and for every other claimant a takeover claim with
     * nothing free. Every peer reads the same owner from that (an ordinary claim beats takeover claims,
     * {@link Entry#effective}), and each other live claimant reads that it lost, so it yields and hands over
     * what it holds there before the owner uses the range. A removed claimant keeps its takeover claim too,
     * though nobody waits for it: the owner alone at a version it never wrote would read as its own write,
     * forgotten in a restored folder (soak seed 11094: the owner had never heard of the removed install's rival
     * claim, and fenced itself for nothing). Two operators settling one entry differently at once write two
     * ordinary claims at one version: a conflict again, settled once more one version up.
     */
    public RingEditor settle(long token, PeerId owner) {
        Entry e = current(token);
        if (e.token() != token || !e.conflicted()) {
            throw new IllegalArgumentException("no entry starts at " + token + " with several claims to settle");
        }
        if (!e.claimedBy(owner) || base.isTombstoned(owner)) {
            throw new IllegalArgumentException(owner + " is not a live claimant of the entry at " + token);
        }
        Range r = rangeOf(token);
        long free = r.size();
        List<Claim> claims = new ArrayList<>();
        for (Claim c : e.claims()) {
            if (c.owner().equals(owner)) {
                free = Math.min(free, c.free());
            } else {
                claims.add(new Claim(c.owner(), 0, r.end(), true));
            }
        }
        claims.add(new Claim(owner, free, r.end()));
        changed.put(token, Entry.ofClaims(token, newVersion(e), claims));
        return this;
    }

    /**
     * How far above every version in the ring an operator's reclaim of a gap writes. The gap began at a token
     * whose every copy was lost; its version is unknown, but it was at most the highest version of the entry
     * it was cut from (which survives, or was outranked by a surviving one) plus one per change its owner made
     * since. No install makes 2^32 changes to one entry (one free report a second for 136 years), so a lost
     * token that reappears (a restored data folder) loses to the reclaim: its owner reads RANGE_LOST and fences
     * what it held there, rather than two owners handing out the same addresses.
     */
    public static final long GAP_LEAP = 1L << 32;

    /**
     * An operator's reclaim of {@code gap}, exactly one of {@link Gap#in} of the base ring, once every known
     * install said it owns nothing there: a new token at its start, {@link #GAP_LEAP} above the ring's highest
     * version, with a takeover claim of the actor's, so it rests and is used last like a removal's takeover,
     * and two operators reclaiming one gap through two peers resolve as rival takeovers (lowest install wins).
     */
    public RingEditor claimGap(Range gap) {
        if (!changed.isEmpty() || !Gap.in(base).contains(new Gap(gap))) {
            throw new IllegalArgumentException(gap + " is not a gap of this ring: its gaps are " + Gap.in(base));
        }
        long highest = 0;
        for (int i = 0; i < base.size(); i++) {
            highest = Math.max(highest, base.entry(i).version());
        }
        changed.put(gap.start(), Entry.ofClaims(gap.start(), highest + GAP_LEAP,
                List.of(new Claim(actor, gap.size(), gap.end(), true))));
        return this;
    }

    /** The edited ring and the tokens that changed, to persist and then to gossip. */
    public Merge commit() {
        List<Entry> entries = new ArrayList<>(changed.values());
        TreeSet<PeerId> stones = new TreeSet<>(base.tombstones());
        stones.addAll(newTombstones);
        RingPiece piece = new RingPiece(base.cluster(), base.universe(), entries, stones, false);
        try {
            return base.merge(piece);
        } catch (RingMismatchException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
