package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import dev.weft.core.space.Space;
import java.util.Set;

/**
 * What a donor gives a peer that asked for space: pure choices over the donor's space. Grants are
 * CIDR-aligned blocks so the ring stays printable and fragments slowly, never include an address that is
 * held or still cooling down, and leave the donor at least about half of what it had free.
 */
final class Grants {
    /** The most a claim of one address takes with it: enough to serve the asker for a while. */
    static final long MAX_AROUND = 1L << 16;

    private Grants() {}

    /**
     * Why a donor gives {@code from} nothing now, or null when it may: the one place for a donor's refusals.
     * <ul>
     *   <li>No ring yet, or the donor is fenced ({@code notReady}: removed, or its folder proven restored).</li>
     *   <li>The donor was rebuilt from its folder and has not yet compared rings with every install it knows
     *       ({@code recovering}): the folder may be older than what it gave away since.</li>
     *   <li>The asker was removed, or a newer install of its name is reachable: its request comes from a folder
     *       that is gone (simulator seed 79, a request held up and delivered after its sender's wipe).</li>
     *   <li>The asker is not connected now: a request held in a stalled connection, its sender since gone, left
     *       or replaced, would strand the block on an install that may never run again until an operator
     *       removes it (soak seeds 5167 and 7183: held requests of nodes that had left, granted after the
     *       operator's clean-up). A live asker asks again once connected; its request has timed out by then.</li>
     * </ul>
     */
    static String refusal(Ring ring, String notReady, boolean recovering, PeerId from, Set<PeerId> up) {
        if (ring == null) {
            return "ring still forming";
        }
        if (notReady != null) {
            return "donor fenced";
        }
        if (recovering) {
            return "donor restarting";
        }
        if (ring.isTombstoned(from) || replaced(up, from)) {
            return "you were removed or replaced";
        }
        return up.contains(from) ? null : "not connected to you";
    }

    /** Whether a newer install of {@code asker}'s name is reachable now (its own folder is then gone). */
    private static boolean replaced(Set<PeerId> up, PeerId asker) {
        for (PeerId p : up) {
            if (p.name().equals(asker.name()) && !p.equals(asker)) {
                return true;
            }
        }
        return false;
    }

    /** About half of the donor's free space inside {@code within}, as one aligned block; empty if none. */
    static Range share(Space space, Range within, long now) {
        Range block = space.largestFreeBlock(within, now);
        long free = space.freeIn(within, now);
        while (block.size() > 1 && block.size() * 2 > free) {
            block = block.halves()[1];
        }
        return block;
    }

    /**
     * For a claim of {@code address}: the largest free aligned block around it, up to half the donor's free
     * space; just the address when nothing around it is free; empty when the address itself is not free.
     */
    static Range around(Space space, Range universe, long address, long now) {
        if (!space.isFree(address, now)) {
            return new Range(address, address);
        }
        Range best = new Range(address, address + 1);
        long half = space.freeIn(universe, now) / 2;
        for (long size = 2; size <= half && size <= MAX_AROUND; size <<= 1) {
            Range r = new Range(address & -size, (address & -size) + size);
            if (!universe.contains(r) || space.freeIn(r, now) != size) {
                break;
            }
            best = r;
        }
        return best;
    }
}
