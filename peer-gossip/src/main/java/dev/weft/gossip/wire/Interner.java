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
 * A 1000-peer ring names 1000 installs and 4000 entries, most of them unchanged since the last time they
 * came; this is most of what decoding such a ring costs. Reuse happens only on exact equality with an
 * instance the core built and checked, so nothing decoded differs from what would have been built afresh.
 *
 * <p>Bounded and direct-mapped: one slot per hash of a uid or a token, a newcomer replaces whoever held its
 * slot, so a hostile peer sending endless new installs or entries costs misses, never memory. Shared by every
 * link's thread without locks: a slot holds a reference to an immutable object (its final fields are safely
 * published), and a lost or overwritten write only costs a later miss.
 */
public final class Interner {
    /** Keeps nothing: every install and entry decoded afresh, as protobuf's generated classes would. */
    public static final Interner NONE = new Interner(0, 0);

    private final Kept[] installs;
    private final Entry[] entries;

    /** An install with its name's bytes (printable ASCII, as the core requires), compared in place. */
    private record Kept(long uid, byte[] name, PeerId peer) {}

    /** Each size is rounded up to a power of two; 0 keeps nothing of that kind. */
    public Interner(int installs, int entries) {
        this.installs = new Kept[slots(installs)];
        this.entries = new Entry[slots(entries)];
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
        int at = slot(p.uid(), installs.length);
        Kept kept = installs[at];
        if (kept != null && kept.uid == p.uid() && kept.peer.name().equals(p.name())) {
            return kept.peer;
        }
        installs[at] = new Kept(p.uid(), p.name().getBytes(StandardCharsets.US_ASCII), p);
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
        Kept kept = installs[slot(uid, installs.length)];
        return kept != null && kept.uid == uid && Arrays.equals(kept.name, 0, kept.name.length, name, from, from + length)
                ? kept.peer : null;
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
        int at = slot(token, entries.length);
        Entry kept = entries[at];
        if (kept != null && kept.token() == token && kept.version() == version && kept.owner() == owner
                && kept.free() == free && kept.end() == end) {
            return kept;
        }
        Entry made = Entry.of(token, version, owner, free, end);
        entries[at] = made;
        return made;
    }

    private static int slot(long key, int length) {
        return (int) Mix.mix(key) & length - 1;
    }
}
