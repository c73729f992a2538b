package dev.weft.gossip.wire;

import dev.weft.core.peer.Mix;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Entry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What this peer has decoded before, so that the same thing arriving again becomes the same instance:
 * <ul>
 *   <li>an install (name and uid) becomes the same {@link PeerId}: a known name is recognised in the frame's
 *       bytes without building a string, its hash (for ring digests) is computed once, and the ring's joins
 *       compare owners by identity before reading names;</li>
 *   <li>a plain entry (one ordinary claim) equal in every field to one decoded before becomes that same
 *       {@link Entry}: nothing is allocated or hashed for it, and a merge into a ring that already holds it
 *       (because that ring learned it from the wire) sees the same instance and moves on.</li>
 * </ul>
 * <p>A whole ring is also walked in token order beside the last whole ring decoded ({@link Walk}): the
 * entries of one ring sent by another peer are mostly those of the one before, at the same place in the
 * order, so most are found by reading two arrays front to back, not by a hashed probe per entry (the probes,
 * each a few cache misses on tables too large for a core's nearest caches, were a fifth of a ring's decode).
 *
 * <p>A 1000-peer ring names 1000 installs and 4000 entries, most of them unchanged since the last time they
 * came; this is most of what decoding such a ring costs. Reuse happens only on exact equality with an
 * instance the core built and checked, so nothing decoded differs from what would have been built afresh.
 *
 * <p>Bounded and set-associative: a uid or a token hashes to a bucket of {@link #WAYS} neighbouring slots,
 * and a newcomer takes a free slot there, else the one of its own key (an older state of the same entry), else
 * one its hash picks; so a hostile peer sending endless new installs or entries costs misses, never memory.
 * (Direct-mapped, one slot per hash, two of a ring's 4000 entries shared a slot about one time in ten, and
 * the two then evicted each other at every ring: about 580 of a 1000-peer ring's entries, 100 of them through
 * an owner evicted likewise, were rebuilt each time.)
 * Each slot's key is also kept in a primitive array, so a bucket is searched without loading the objects.
 * Shared by every link's thread without locks: a slot holds a reference to an immutable object (its final
 * fields are safely published) and a key that only says where to look; the object is always checked in full,
 * so a key and object written apart by two threads, or a lost write, only cost a later miss.
 */
public final class Interner {
    /** Keeps nothing: every install and entry decoded afresh, as protobuf's generated classes would. */
    public static final Interner NONE = new Interner(0, 0);

    /** Slots per bucket: four keys are 32 bytes, half a cache line. */
    static final int WAYS = 4;

    private final long[] installUids;
    private final Kept[] installs;
    private final long[] entryTokens;
    private final Entry[] entries;

    /**
     * The last whole ring decoded: its tokens (the first {@code size}) and entries, in token order. Written
     * once, never changed; a plain field, since final fields publish the arrays and a stale run only costs
     * misses.
     */
    private record Run(long[] tokens, Entry[] entries, int size) {}

    private Run lastWhole;

    /** An install with its name's bytes (printable ASCII, as the core requires), compared in place. */
    private record Kept(long uid, byte[] name, PeerId peer) {}

    /** Each size is rounded up to a power of two; 0 keeps nothing of that kind. */
    public Interner(int installs, int entries) {
        this.installs = new Kept[slots(installs)];
        this.installUids = new long[this.installs.length];
        this.entries = new Entry[slots(entries)];
        this.entryTokens = new long[this.entries.length];
    }

    private static int slots(int capacity) {
        if (capacity < 0 || capacity > 1 << 20) {
            throw new IllegalArgumentException("an intern table of " + capacity + " slots; 0 to 1048576");
        }
        return capacity == 0 ? 0 : Integer.highestOneBit(Math.max(1, capacity * 2 - 1));
    }

    /** The instance kept for {@code p}'s install, or {@code p} itself, now kept. */
    public PeerId peer(PeerId p) {
        if (installs.length == 0) {
            return p;
        }
        long hash = Mix.mix(p.uid());
        int bucket = bucket(hash, installs.length);
        for (int at = bucket; at < bucket + ways(installs.length); at++) {
            if (installUids[at] == p.uid()) {
                Kept kept = installs[at];
                if (kept != null && kept.uid == p.uid() && kept.peer.name().equals(p.name())) {
                    return kept.peer;
                }
            }
        }
        int at = victim(installUids, installs, p.uid(), hash, bucket);
        installs[at] = new Kept(p.uid(), p.name().getBytes(StandardCharsets.US_ASCII), p);
        installUids[at] = p.uid();
        return p;
    }

    /**
     * The kept install with this uid whose name is the bytes {@code name[from, from + length)}, or null. A
     * kept name is printable ASCII (the core refuses anything else), so equal bytes are also valid UTF-8 and
     * decode to that very name.
     */
    public PeerId findPeer(long uid, byte[] name, int from, int length) {
        if (installs.length == 0) {
            return null;
        }
        int bucket = bucket(Mix.mix(uid), installs.length);
        for (int at = bucket; at < bucket + ways(installs.length); at++) {
            if (installUids[at] == uid) {
                Kept kept = installs[at];
                if (kept != null && kept.uid == uid
                        && Arrays.equals(kept.name, 0, kept.name.length, name, from, from + length)) {
                    return kept.peer;
                }
            }
        }
        return null;
    }

    /**
     * {@link Entry#of}, or the kept entry equal to what it would build. Kept entries were all built here, by
     * {@link Entry#of}, so they have one ordinary claim; the owner must be the very instance (owners come from
     * {@link #peer}, so an equal install is the same instance unless its slot was taken meanwhile, which
     * only costs a miss). The core's checks throw as {@link Entry#of} does.
     */
    public Entry entry(long token, long version, PeerId owner, long free, long end) {
        if (entries.length == 0) {
            return Entry.of(token, version, owner, free, end);
        }
        return fromTable(token, version, owner, free, end);
    }

    private Entry fromTable(long token, long version, PeerId owner, long free, long end) {
        long hash = Mix.mix(token);
        int bucket = bucket(hash, entries.length);
        for (int at = bucket; at < bucket + ways(entries.length); at++) {
            if (entryTokens[at] == token) {
                Entry kept = entries[at];
                if (kept != null && kept.token() == token && kept.version() == version && kept.owner() == owner
                        && kept.free() == free && kept.end() == end) {
                    return kept;
                }
            }
        }
        Entry made = Entry.of(token, version, owner, free, end);
        int at = victim(entryTokens, entries, token, hash, bucket);
        entries[at] = made;
        entryTokens[at] = token;
        return made;
    }

    /** A walk along the last whole ring decoded, for the entries of one piece, asked for in token order. */
    public Walk walk() {
        return new Walk(entries.length == 0 ? null : lastWhole);
    }

    /**
     * Keeps {@code entries} (the first {@code size}, at {@code tokens}, in token order) as the last whole ring
     * decoded; the caller never changes the arrays again.
     */
    public void rememberWhole(long[] tokens, Entry[] entries, int size) {
        if (this.entries.length != 0) {
            lastWhole = new Run(tokens, entries, size);
        }
    }

    /** One piece's pass over the last whole ring decoded: {@link #entry} first looks where the walk is. */
    public final class Walk {
        private final Run run;
        private int at;

        private Walk(Run run) {
            this.run = run;
        }

        /** As {@link Interner#entry}; tokens must be asked for in increasing order. */
        public Entry entry(long token, long version, PeerId owner, long free, long end) {
            if (run == null) {
                return Interner.this.entry(token, version, owner, free, end);
            }
            long[] tokens = run.tokens;
            int size = run.size;
            // Usually the next one along; a piece that skips part of the ring is searched for where it resumes.
            if (at < size && tokens[at] < token && ++at < size && tokens[at] < token) {
                int found = Arrays.binarySearch(tokens, at, size, token);
                at = found >= 0 ? found : -found - 1;
            }
            if (at < size && tokens[at] == token) {
                Entry kept = run.entries[at];
                if (kept.version() == version && kept.owner() == owner && kept.free() == free && kept.end() == end
                        && kept.plain()) {
                    return kept;
                }
            }
            return fromTable(token, version, owner, free, end);
        }
    }

    private static int ways(int slots) {
        return Math.min(WAYS, slots);
    }

    /** The first slot of the bucket for {@code hash}: tables are powers of two, buckets aligned to them. */
    private static int bucket(long hash, int slots) {
        return (int) hash & slots - 1 & -WAYS;
    }

    /**
     * Where a newcomer with {@code key} goes in its bucket: a free slot, else the slot of an older object with
     * the same key (a state of the same entry now out of date), else one chosen by the hash's high bits, so
     * that which of a full bucket's objects is evicted does not depend on arrival order alone. A free slot
     * comes first because the older state is often still our ring's own (two peers' rings arriving in turn,
     * one newer than ours at a token, the other not): keeping it lets the merge see our very instance.
     */
    private static int victim(long[] keys, Object[] kept, long key, long hash, int bucket) {
        int ways = ways(kept.length);
        int same = -1;
        for (int at = bucket; at < bucket + ways; at++) {
            if (kept[at] == null) {
                return at;
            } else if (keys[at] == key && same < 0) {
                same = at;
            }
        }
        return same >= 0 ? same : bucket + (int) (hash >>> 32 & ways - 1);
    }
}
