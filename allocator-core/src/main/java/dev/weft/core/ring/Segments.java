package dev.weft.core.ring;

import dev.weft.core.address.Range;

/**
 * A shallow Merkle tree over the token space, so two peers whose rings differ find out where without sending
 * either ring: the universe is cut into {@link #TOPS} equal top segments, each into {@link #FANOUT} leaves,
 * and each leaf's digest is the XOR of the hashes of the entries whose token falls in it (a top segment's is
 * the XOR of its leaves). XOR makes the digest independent of order and cheap to keep. A one-entry difference
 * then costs two small lists of digests and the entries of one leaf (about a 256th of the ring), not the ring.
 *
 * <p>The cut depends only on the universe, never on the entries, so every peer of a cluster cuts alike.
 * Tombstones are not in any segment: they travel with every ring piece, and the ring's own digest covers them.
 */
public final class Segments {
    /** Top segments, and leaves per top segment. */
    public static final int FANOUT = 16;
    public static final int TOPS = FANOUT;
    public static final int LEAVES = TOPS * FANOUT;

    private final long[] leaves;

    private Segments(long[] leaves) {
        this.leaves = leaves;
    }

    static Segments of(Range universe, long[] tokens, Entry[] entries) {
        long[] leaves = new long[LEAVES];
        for (int i = 0; i < tokens.length; i++) {
            leaves[leafOf(universe, tokens[i])] ^= entries[i].stableHash();
        }
        return new Segments(leaves);
    }

    /**
     * These segments after a merge: each of the first {@code count} {@code tokens} changed its leaf's digest
     * by the matching {@code hashChanges} (old entry's hash XOR new one's), so only those leaves are touched.
     */
    Segments with(Range universe, long[] tokens, long[] hashChanges, int count) {
        if (count == 0) {
            return this;
        }
        long[] next = leaves.clone();
        for (int i = 0; i < count; i++) {
            next[leafOf(universe, tokens[i])] ^= hashChanges[i];
        }
        return new Segments(next);
    }

    /** The leaf that {@code token} falls in: the universe is at most 2^32 addresses, so this cannot overflow. */
    public static int leafOf(Range universe, long token) {
        return (int) ((token - universe.start()) * LEAVES / universe.size());
    }

    /** The first token of leaf {@code leaf} (of the next leaf, for {@code leaf + 1}). */
    static long leafStart(Range universe, int leaf) {
        // The smallest offset x with x * LEAVES / size >= leaf.
        return universe.start() + (leaf * universe.size() + LEAVES - 1) / LEAVES;
    }

    /** The digest of top segment {@code top}. */
    public long top(int top) {
        long d = 0;
        for (int i = top * FANOUT; i < (top + 1) * FANOUT; i++) {
            d ^= leaves[i];
        }
        return d;
    }

    /** The digest of leaf {@code leaf}. */
    public long leaf(int leaf) {
        return leaves[leaf];
    }
}
