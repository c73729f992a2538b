package dev.weft.gossip.wire;

import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.RingPiece;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A {@code RingPieceMsg} as its columns of primitives, filled by either reader (protobuf's generated classes,
 * {@link MessageDecoder#piece}, or the hand-written {@link RingPieceReader}) and turned into a core
 * {@link RingPiece} by one piece of code, so both readers check exactly the same things in the same order.
 */
final class RingColumns {
    String cluster = "";
    long universeStart;
    long universeEnd;
    boolean complete;
    final Peers peers = new Peers();
    final Peers tombstones = new Peers();
    final Longs tokenGaps = new Longs();
    final Longs versions = new Longs();
    final Longs claimCounts = new Longs();
    final Longs owners = new Longs();
    final Longs frees = new Longs();
    final Longs ends = new Longs();
    final Longs takeovers = new Longs();

    /** A growable column of varints (uint32 and bool columns keep the value protobuf's reader gave). */
    static final class Longs {
        long[] values = new long[16];
        int size;

        /** Room for {@code more} values past {@code size}; the array to write them into. */
        long[] reserve(int more) {
            if (values.length - size < more) {
                values = Arrays.copyOf(values, Math.max(size + more, size * 2));
            }
            return values;
        }

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    /**
     * Installs in table order: each one either already a {@link PeerId} (a kept instance the reader
     * recognised) or a name and uid still to be checked by the core's constructor.
     */
    static final class Peers {
        PeerId[] known = new PeerId[16];
        String[] names = new String[16];
        long[] uids = new long[16];
        int size;

        void add(PeerId knownOrNull, String name, long uid) {
            if (size == known.length) {
                known = Arrays.copyOf(known, size * 2);
                names = Arrays.copyOf(names, size * 2);
                uids = Arrays.copyOf(uids, size * 2);
            }
            known[size] = knownOrNull;
            names[size] = name;
            uids[size++] = uid;
        }

        /** The core's constructor refuses a bad name with an IllegalArgumentException (a BAD_SHAPE reject). */
        PeerId get(int i, Interner interner) {
            PeerId p = known[i];
            return p != null ? p : interner.peer(new PeerId(names[i], uids[i]));
        }
    }

    RingPiece toPiece(Interner interner) throws BadFrameException {
        int count = tokenGaps.size;
        boolean conflicts = claimCounts.size > 0;
        int claimTotal = owners.size;
        // Messages are built only on failure: this runs for every ring that arrives.
        if (versions.size != count || conflicts && claimCounts.size != count || !conflicts && claimTotal != count
                || frees.size != claimTotal || ends.size != claimTotal
                || takeovers.size != 0 && takeovers.size != claimTotal) {
            throw new BadFrameException(Reject.MALFORMED, "a ring piece whose columns differ in length: " + count
                    + " tokens, " + versions.size + " versions, " + claimCounts.size + " claim counts, "
                    + claimTotal + " owners, " + frees.size + " free counts, " + ends.size + " ends, "
                    + takeovers.size + " takeover flags");
        }
        // Each install is checked once, however many entries it owns.
        PeerId[] table = new PeerId[peers.size];
        for (int i = 0; i < table.length; i++) {
            table[i] = peers.get(i, interner);
        }
        // The gaps become tokens in place: the column is this read's own, and a ring's worth of tokens is
        // 32 KB less to allocate and to push other data out of the cache.
        long[] tokens = tokenGaps.values;
        long token = universeStart;
        for (int i = 0; i < count; i++) {
            // Wrapping past 2^64 yields a token at or below the previous one, which the piece refuses.
            token += tokens[i];
            tokens[i] = token;
        }
        boolean anyTakeover = takeovers.size > 0;
        long[] version = versions.values;
        long[] owner = owners.values;
        long[] free = frees.values;
        long[] end = ends.values;
        Entry[] entries = new Entry[count];
        Interner.Walk walk = interner.walk();
        int c = 0;
        for (int i = 0; i < count; i++) {
            long next = i + 1 < count ? tokens[i + 1] : 0;
            // A uint32 column holds what protobuf's readUInt32 gave: an int, compared unsigned.
            int n = conflicts ? (int) claimCounts.values[i] : 1;
            if (n < 1 || n > claimTotal - c) { // (no message built on the hot path)
                throw new BadFrameException(Reject.MALFORMED, "ring entry " + tokens[i] + " has "
                        + Integer.toUnsignedString(n) + " claims of the " + (claimTotal - c) + " left");
            }
            if (n == 1 && !(anyTakeover && takeovers.values[c] != 0)) {
                entries[i] = walk.entry(tokens[i], version[i], owner(table, (int) owner[c], tokens[i]), free[c],
                        end(end[c], next));
                c++;
                continue;
            }
            List<Claim> claims = new ArrayList<>(n);
            for (int k = 0; k < n; k++, c++) {
                claims.add(new Claim(owner(table, (int) owner[c], tokens[i]), free[c], end(end[c], next),
                        anyTakeover && takeovers.values[c] != 0));
            }
            entries[i] = Entry.ofClaims(tokens[i], version[i], claims);
        }
        if (c != claimTotal) {
            throw new BadFrameException(Reject.MALFORMED, "a ring piece with " + (claimTotal - c) + " claims that belong to no entry");
        }
        TreeSet<PeerId> stones = new TreeSet<>();
        for (int i = 0; i < tombstones.size; i++) {
            stones.add(tombstones.get(i, interner));
        }
        ClusterId id = MessageDecoder.clusterOrNull(cluster);
        if (id == null) {
            throw new BadFrameException(Reject.MALFORMED, "a ring piece without its cluster identity");
        }
        // List.of keeps the array's copy as the piece's own list (the piece's List.copyOf then copies nothing).
        RingPiece piece = new RingPiece(id, new Range(universeStart, universeEnd), List.of(entries), stones, complete);
        if (complete) {
            interner.rememberWhole(tokens, entries, count); // only now: the piece passed every check
        }
        return piece;
    }

    /** An end of 0 stands for the next entry's token; the last entry has no next, so 0 stays 0 and is refused. */
    private static long end(long sent, long next) {
        return sent != 0 ? sent : next;
    }

    private static PeerId owner(PeerId[] peers, int index, long token) throws BadFrameException {
        if (index < 0 || index >= peers.length) {
            throw new BadFrameException(Reject.MALFORMED, "a claim at token " + token + " names owner #"
                    + Integer.toUnsignedString(index) + " of a table of " + peers.length);
        }
        return peers[index];
    }
}
