package dev.weft.core.ring;

import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * The ring: an immutable, sorted map from token to {@link Entry}, where each entry owns the addresses from
 * its token up to the next token (the last one up to the end of the universe), plus the grow-only set of
 * tombstoned peer installs. Tokens are never deleted, so the ring's shape only ever refines.
 *
 * <p>{@link #merge} is the lattice join: per token the joined entry, tombstones by union. It is
 * commutative, associative and idempotent, so peers can exchange whole rings, digests or deltas in any
 * order, any number of times, and agree. Only the owner of an entry changes it, through {@link #edit}.
 *
 * <p>Entries live in two parallel arrays so that a merge is one linear walk with no lookups: two 1000-peer
 * rings merge in tens of microseconds.
 */
public final class Ring {
    private final ClusterId cluster;
    private final Range universe;
    private final long[] tokens;
    private final Entry[] entries;
    private final SortedSet<PeerId> tombstones;
    private final long digest;
    /** Computed the first time a peer compares segments with this ring (most rings are never asked). */
    private volatile Segments segments;

    /** A ring built from scratch (founded, adopted whole): its digest computed over every entry. */
    private Ring(ClusterId cluster, Range universe, long[] tokens, Entry[] entries, SortedSet<PeerId> tombstones) {
        this(cluster, universe, tokens, entries, tombstones, digestOf(cluster, universe, entries, tombstones), null);
    }

    /**
     * A ring whose digest (and segments, when known) the caller derived: a merge, which XORs out what it
     * replaced and in what it took, so it pays for what changed rather than for the whole ring.
     */
    private Ring(ClusterId cluster, Range universe, long[] tokens, Entry[] entries, SortedSet<PeerId> tombstones,
            long digest, Segments segments) {
        this.cluster = cluster;
        this.universe = universe;
        this.tokens = tokens;
        this.entries = entries;
        this.tombstones = tombstones;
        this.digest = digest;
        this.segments = segments;
    }

    /**
     * The digest from scratch: a seed from the cluster and universe, XOR every entry's hash, XOR every
     * tombstone's. Peers on older code compute exactly this, so a derived digest must always equal it.
     */
    private static long digestOf(ClusterId cluster, Range universe, Entry[] entries, SortedSet<PeerId> tombstones) {
        long d = cluster.value().hashCode() * 31L + universe.start() * 17 + universe.end();
        for (Entry e : entries) {
            d ^= e.stableHash();
        }
        for (PeerId t : tombstones) {
            d ^= tombstoneHash(t);
        }
        return d;
    }

    private static long tombstoneHash(PeerId t) {
        return t.stableHash() * 0x2545F4914F6CDD1DL;
    }

    /**
     * The first ring of a cluster: the universe cut into one share per member, in member order, with sizes
     * that differ by at most one address. Every peer that computes it from the same members gets the same
     * ring.
     */
    public static Ring initial(ClusterId cluster, Range universe, List<PeerId> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a ring needs at least one member");
        }
        List<PeerId> sorted = new ArrayList<>(new TreeSet<>(members));
        if (sorted.size() > universe.size()) {
            throw new IllegalArgumentException(sorted.size() + " members cannot share " + universe.size() + " addresses");
        }
        int n = sorted.size();
        long[] tokens = new long[n];
        Entry[] entries = new Entry[n];
        for (int i = 0; i < n; i++) {
            Range share = universe.share(i, n);
            tokens[i] = share.start();
            entries[i] = Entry.of(share.start(), 1, sorted.get(i), share.size(), share.end());
        }
        return new Ring(cluster, universe, tokens, entries, Collections.emptySortedSet());
    }

    /** Adopts a complete ring received from a peer or read from disk. */
    public static Ring of(RingPiece piece) {
        if (!piece.complete()) {
            throw new BadRingException("only a complete ring can be adopted; this piece has " + piece.size() + " entries");
        }
        int n = piece.size();
        long[] tokens = new long[n];
        Entry[] entries = new Entry[n];
        for (int i = 0; i < n; i++) {
            entries[i] = piece.entries().get(i);
            tokens[i] = entries[i].token();
        }
        return new Ring(piece.cluster(), piece.universe(), tokens, entries, piece.tombstones());
    }

    public ClusterId cluster() {
        return cluster;
    }

    public Range universe() {
        return universe;
    }

    public int size() {
        return tokens.length;
    }

    public Entry entry(int i) {
        return entries[i];
    }

    /**
     * The addresses entry {@code i} owns: from its token to the next token or to the end it carries,
     * whichever comes first. When the entry ends before the next token, this peer has not yet heard of
     * the token in between: the addresses up to it are a gap, owned by no one as far as it knows.
     */
    public Range rangeAt(int i) {
        long next = i + 1 < tokens.length ? tokens[i + 1] : universe.end();
        return new Range(tokens[i], Math.min(next, entries[i].end()));
    }

    /** Index of the entry that owns {@code address}. */
    public int indexOf(long address) {
        if (!universe.contains(address)) {
            throw new IllegalArgumentException("address " + address + " is outside the universe " + universe);
        }
        int i = Arrays.binarySearch(tokens, address);
        return i >= 0 ? i : -i - 2;
    }

    public Entry entryFor(long address) {
        return entries[indexOf(address)];
    }

    /** The claim that counts at entry {@code i} (see {@link Entry#effective}), or null while in conflict. */
    public Claim claimAt(int i) {
        return entries[i].effective(tombstones);
    }

    /** Who owns entry {@code i}, or null while it is in conflict. */
    public PeerId ownerAt(int i) {
        Claim c = claimAt(i);
        return c == null ? null : c.owner();
    }

    /** Who owns {@code address}, or null while its range is in conflict or not yet known here. */
    public PeerId ownerOf(long address) {
        int i = indexOf(address);
        return rangeAt(i).contains(address) ? ownerAt(i) : null;
    }

    public SortedSet<PeerId> tombstones() {
        return tombstones;
    }

    public boolean isTombstoned(PeerId peer) {
        return tombstones.contains(peer);
    }

    /** A 64-bit digest of the whole state: equal rings have equal digests, used for cheap anti-entropy. */
    public long digest() {
        return digest;
    }

    /** Ranges whose undisputed owner is {@code peer}, adjacent ones joined. */
    public List<Range> rangesOwnedBy(PeerId peer) {
        List<Range> out = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if (peer.equals(ownerAt(i))) {
                Range r = rangeAt(i);
                if (!out.isEmpty() && out.get(out.size() - 1).end() == r.start()) {
                    r = new Range(out.remove(out.size() - 1).start(), r.end());
                }
                out.add(r);
            }
        }
        return out;
    }

    /**
     * {@code ranges} cut where an entry starts and where it ends, so that each piece lies within one entry, or
     * within a gap (see {@link #rangeAt}), and can be judged by that entry's owner alone: a successor that learns
     * in one merge what its predecessor gave away before it died and what it kept loses both, and only the kept
     * part is the predecessor's, retaken at once (soak seeds 4493 and 7439 of the segment exchange raised
     * RANGE_LOST for the two joined). Cut at the entry's end too: a delta that brings, as the entry after a
     * change, a range given away without the entry after that leaves a gap behind it, which is not the
     * receiver's of the given range (soak seed 6321 of operator changes as deltas).
     */
    public List<Range> cutAtTokens(List<Range> ranges) {
        List<Range> out = new ArrayList<>();
        for (Range r : ranges) {
            long start = r.start();
            while (start < r.end()) {
                int i = indexOf(start);
                long next = i + 1 < tokens.length ? tokens[i + 1] : universe.end();
                long end = Math.min(i >= 0 && start < entries[i].end() ? Math.min(next, entries[i].end()) : next,
                        r.end());
                out.add(new Range(start, end));
                start = end;
            }
        }
        return out;
    }

    /**
     * Whether {@code address} lies in a gap of this ring: after an entry's end and before the next token, where
     * this peer has not yet heard of the entry that owns it (see {@link #rangeAt}). Not a conflict: no one is
     * known to own it.
     */
    public boolean inGap(long address) {
        int i = indexOf(address);
        return i < 0 || !rangeAt(i).contains(address);
    }

    /** Free addresses per owner as reported in the ring; conflicted entries count for nobody. */
    public Map<PeerId, Long> freeByOwner() {
        Map<PeerId, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < tokens.length; i++) {
            Claim c = claimAt(i);
            if (c != null) {
                out.merge(c.owner(), Math.min(c.free(), rangeAt(i).size()), Long::sum);
            }
        }
        return out;
    }

    /** Free addresses per owner inside {@code within}, estimated from the ring's counts. */
    public Map<PeerId, Long> freeByOwnerWithin(Range within) {
        Map<PeerId, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < tokens.length; i++) {
            Range r = rangeAt(i);
            Claim c = claimAt(i);
            if (c != null && r.overlaps(within)) {
                out.merge(c.owner(), Math.min(c.free(), r.intersect(within).size()), Long::sum);
            }
        }
        return out;
    }

    /** Every owner named in the ring, whether or not it still owns anything. */
    public Set<PeerId> owners() {
        Set<PeerId> out = new HashSet<>();
        for (Entry e : entries) {
            for (Claim c : e.claims()) {
                out.add(c.owner());
            }
        }
        return out;
    }

    /** Entries two live installs claim at the same version: no one allocates from them. */
    public List<Entry> conflicts() {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < entries.length; i++) {
            if (claimAt(i) == null) {
                out.add(entries[i]);
            }
        }
        return out;
    }

    /** The whole ring as a piece, to send or store. */
    public RingPiece whole() {
        return new RingPiece(cluster, universe, Arrays.asList(entries), tombstones, true);
    }

    /**
     * The entries at {@code changedTokens} with, for each, the entry after it (see {@link RingPiece}), and
     * all tombstones (a grow-only set that stays small).
     */
    public RingPiece delta(long[] changedTokens) {
        TreeSet<Integer> picked = new TreeSet<>();
        for (long t : changedTokens) {
            int i = Arrays.binarySearch(tokens, t);
            if (i < 0) {
                throw new IllegalArgumentException("token " + t + " is not in the ring");
            }
            picked.add(i);
            if (i + 1 < tokens.length) {
                picked.add(i + 1);
            }
        }
        List<Entry> out = new ArrayList<>(picked.size());
        for (int i : picked) {
            out.add(entries[i]);
        }
        return new RingPiece(cluster, universe, out, tombstones, picked.size() == tokens.length);
    }

    /** The segments if some peer asked for them already (or a merge derived them), else null. */
    Segments knownSegments() {
        return segments;
    }

    /** Per-segment digests of the entries (see {@link Segments}), for finding where two rings differ. */
    public Segments segments() {
        Segments s = segments;
        if (s == null) {
            s = Segments.of(universe, tokens, entries);
            segments = s;
        }
        return s;
    }

    /**
     * Every entry whose token lies in one of {@code leaves} (increasing leaf indexes), with the entry after
     * each run (as in {@link #delta}), and all tombstones: what this ring knows in those segments.
     */
    public RingPiece inLeaves(List<Integer> leaves) {
        List<Entry> out = new ArrayList<>();
        int last = -1;
        for (int leaf : leaves) {
            int from = firstAtOrAfter(Segments.leafStart(universe, leaf));
            int to = firstAtOrAfter(Segments.leafStart(universe, leaf + 1));
            if (from == to) {
                continue; // nothing of ours there: the other side sends what it has
            }
            // The entry after the run ends the run's last range; it may also be the next leaf's first.
            for (int i = Math.max(from, last + 1); i <= Math.min(to, tokens.length - 1); i++) {
                out.add(entries[i]);
                last = i;
            }
        }
        return new RingPiece(cluster, universe, out, tombstones, out.size() == tokens.length);
    }

    private int firstAtOrAfter(long token) {
        int i = Arrays.binarySearch(tokens, token);
        return i >= 0 ? i : -i - 1;
    }

    /**
     * Joins {@code piece} into this ring. A piece of another cluster or universe is refused as a whole; a
     * piece of ours is never partly refused: conflicts become part of the joined state.
     */
    public Merge merge(RingPiece piece) throws RingMismatchException {
        if (!piece.cluster().equals(cluster)) {
            throw new RingMismatchException("this ring belongs to cluster " + cluster + " but the other to cluster "
                    + piece.cluster() + ": they were bootstrapped separately and will not be merged. Point the peer at"
                    + " the right cluster, or wipe the data folder of the peers that should join the other one");
        }
        if (!piece.universe().equals(universe)) {
            throw new RingMismatchException("this ring covers " + universe + " but the other covers " + piece.universe()
                    + ": every peer of a cluster must be given the same address space");
        }
        List<Entry> in = piece.entries();
        int n = tokens.length;
        int m = in.size();
        long[] outTokens = null;
        Entry[] outEntries = null;
        long[] changed = new long[Math.min(m, 16)];
        // Per changed token, the old entry's hash XOR the new one's (just the new one's for a new token): what
        // the digest and the token's segment leaf change by.
        long[] hashChange = new long[changed.length];
        int changedCount = 0;
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < n || j < m) {
            Entry theirs = j < m ? in.get(j) : null;
            Entry next;
            Entry replaced = null;
            boolean isChanged;
            if (theirs == null || (i < n && tokens[i] < theirs.token())) {
                next = entries[i++];
                isChanged = false;
            } else if (i >= n || tokens[i] > theirs.token()) {
                next = theirs;
                j++;
                isChanged = true;
            } else {
                replaced = entries[i++];
                next = Entry.join(replaced, theirs);
                j++;
                isChanged = next != replaced;
            }
            if (isChanged) {
                if (outTokens == null) {
                    // First difference: everything before it is our own prefix, unchanged.
                    // Room for as many entries as ours: a piece rarely brings a token we lack, and then the
                    // arrays are the joined ring's own, not copied again at the end.
                    outTokens = new long[n];
                    outEntries = new Entry[n];
                    System.arraycopy(tokens, 0, outTokens, 0, k);
                    System.arraycopy(entries, 0, outEntries, 0, k);
                }
                if (changedCount == changed.length) {
                    changed = Arrays.copyOf(changed, Math.max(16, changedCount * 2));
                    hashChange = Arrays.copyOf(hashChange, changed.length);
                }
                hashChange[changedCount] = next.stableHash() ^ (replaced == null ? 0 : replaced.stableHash());
                changed[changedCount++] = next.token();
            }
            if (outTokens != null) {
                if (k == outTokens.length) {
                    // At most this one, the rest of ours and the rest of theirs.
                    int most = k + 1 + (n - i) + (m - j);
                    outTokens = Arrays.copyOf(outTokens, most);
                    outEntries = Arrays.copyOf(outEntries, most);
                }
                outTokens[k] = next.token();
                outEntries[k] = next;
            }
            k++;
        }
        Set<PeerId> learned = Set.of(); // most pieces bring no tombstone we lack: no set is built for them
        for (PeerId t : piece.tombstones()) {
            if (!tombstones.contains(t)) {
                if (learned.isEmpty()) {
                    learned = new TreeSet<>();
                }
                learned.add(t);
            }
        }
        if (outTokens == null && learned.isEmpty()) {
            return new Merge(this, new long[0], Set.of());
        }
        SortedSet<PeerId> stones = tombstones;
        long joinedDigest = digest;
        for (int c = 0; c < changedCount; c++) {
            joinedDigest ^= hashChange[c];
        }
        if (!learned.isEmpty()) {
            TreeSet<PeerId> union = new TreeSet<>(tombstones);
            union.addAll(learned);
            stones = Collections.unmodifiableSortedSet(union);
            for (PeerId t : learned) {
                joinedDigest ^= tombstoneHash(t);
            }
        }
        // Segments hold entries only (tombstones are in no segment): derived only if a peer asked for ours.
        Segments known = segments;
        Segments joinedSegments = known == null ? null : known.with(universe, changed, hashChange, changedCount);
        Ring joined = outTokens == null
                ? new Ring(cluster, universe, tokens, entries, stones, joinedDigest, joinedSegments)
                : new Ring(cluster, universe, k == outTokens.length ? outTokens : Arrays.copyOf(outTokens, k),
                        k == outEntries.length ? outEntries : Arrays.copyOf(outEntries, k), stones,
                        joinedDigest, joinedSegments);
        return new Merge(joined, Arrays.copyOf(changed, changedCount), Collections.unmodifiableSet(learned));
    }

    /**
     * Starts a change made by {@code actor}: the only way entries change. {@code freeCounter} gives the
     * actor's real free count for a range it owns, so every entry it touches carries a true count.
     */
    public RingEditor edit(PeerId actor, ToLongFunction<Range> freeCounter) {
        return new RingEditor(this, actor, freeCounter);
    }

    long[] tokens() {
        return tokens;
    }

    /**
     * Every broken rule, gaps and free counts included; empty when healthy. Mid-gossip a replica may have
     * learned an entry before the token that ends it (a gap, closed by anti-entropy), so this holds for
     * converged rings and for rings changed in order; {@link #shapeViolations} holds always.
     */
    public List<String> invariantViolations() {
        List<String> out = shapeViolations();
        for (int i = 0; i < tokens.length; i++) {
            // An end past the next token is only an older view of a range since split, and the token wins;
            // an end before it leaves addresses that no entry here covers.
            long next = i + 1 < tokens.length ? tokens[i + 1] : universe.end();
            if (entries[i].end() < next) {
                out.add("gap: entry " + tokens[i] + " ends at " + entries[i].end() + " but the next token is " + next);
            }
        }
        for (int i = 0; i < tokens.length; i++) {
            for (Claim c : entries[i].claims()) {
                // Against the range the claim itself states: an owner that is gone for good cannot correct
                // its count after others learn of a split it made.
                if (c.free() > c.end() - tokens[i]) {
                    out.add("entry " + tokens[i] + " reports " + c.free() + " free of " + (c.end() - tokens[i]));
                }
            }
        }
        return out;
    }

    /** Broken shape rules (order, coverage, universe), which no ring may ever have, even mid-gossip. */
    public List<String> shapeViolations() {
        List<String> out = new ArrayList<>();
        if (tokens.length == 0) {
            out.add("the ring has no entries");
            return out;
        }
        if (tokens[0] != universe.start()) {
            out.add("gap: the first token " + tokens[0] + " is not the universe start " + universe.start());
        }
        for (int i = 0; i < tokens.length; i++) {
            if (entries[i].token() != tokens[i]) {
                out.add("entry " + i + " is filed under token " + tokens[i] + " but says " + entries[i].token());
            }
            if (i > 0 && tokens[i] <= tokens[i - 1]) {
                out.add("tokens out of order or overlapping at " + tokens[i]);
            }
            if (!universe.contains(tokens[i])) {
                out.add("token " + tokens[i] + " is outside the universe");
            }
            if (entries[i].end() <= tokens[i] || entries[i].end() > universe.end()) {
                out.add("entry " + tokens[i] + " ends at " + entries[i].end() + ", outside (token, universe end]");
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ring r && r.digest == digest && r.cluster.equals(cluster) && r.universe.equals(universe)
                && Arrays.equals(r.tokens, tokens) && Arrays.equals(r.entries, entries) && r.tombstones.equals(tombstones);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(digest);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Ring[").append(cluster).append(' ').append(universe);
        for (int i = 0; i < tokens.length; i++) {
            b.append(' ').append(rangeAt(i)).append('=').append(entries[i]);
        }
        if (!tombstones.isEmpty()) {
            b.append(" tombstones=").append(tombstones);
        }
        return b.append(']').toString();
    }
}
