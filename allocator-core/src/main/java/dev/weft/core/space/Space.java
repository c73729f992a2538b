package dev.weft.core.space;

import dev.weft.core.address.Range;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The addresses one peer owns, which are free, and which attachment holds each taken one. Pure data: it
 * knows nothing of rings or peers; the allocator keeps it in step with the ranges its ring says it owns.
 *
 * <p>Search rotates: it starts just after the last address handed out, so an address that was just
 * released is not handed back at once (a late packet for the old pod must not reach the new one). Ranges
 * taken over from a removed peer are used last and only after their cool-down.
 */
public final class Space {
    private final TreeMap<Long, Pool> pools = new TreeMap<>();
    private final HoldTable byAttachment = new HoldTable();
    private final long[] reserved;
    private long cursor;

    /** @param reserved addresses never to hand out (such as the universe's network and broadcast) */
    public Space(long... reserved) {
        this.reserved = reserved.clone();
    }

    /** Adds an owned range; {@code usableFrom > 0} marks a taken-over range cooling down until then. */
    public void add(Range range, long usableFrom) {
        if (range.isEmpty()) {
            return;
        }
        for (Pool p : overlapping(range)) {
            throw new IllegalArgumentException(range + " overlaps owned range " + p.range());
        }
        Pool pool = new Pool(range, usableFrom);
        for (long r : reserved) {
            if (range.contains(r)) {
                pool.take(r);
            }
        }
        pools.put(range.start(), pool);
    }

    /**
     * Stops owning {@code range}. Holds inside it are dropped from this space and returned: the caller
     * decides whether that is a planned hand-over of free space (none) or a fence after losing the range.
     */
    public List<Hold> remove(Range range) {
        List<Hold> evicted = new ArrayList<>();
        List<Pool> cut = overlapping(range);
        long taken = 0;
        for (Pool p : cut) {
            Range part = p.range().intersect(range);
            taken += p.taken.takenIn(part.start(), part.end());
            for (long r : reserved) {
                if (part.contains(r)) {
                    taken--;
                }
            }
        }
        if (taken > 0) {
            // Rare (a range lost, not given): find the holds inside by a pass over the table.
            byAttachment.forEach((who, a) -> {
                if (range.contains(a)) {
                    evicted.add(new Hold(who, a));
                }
            });
            for (Hold h : evicted) {
                byAttachment.remove(h.attachment());
            }
        }
        for (Pool p : cut) {
            pools.remove(p.start);
            Range part = p.range().intersect(range);
            keep(p, new Range(p.start, part.start()));
            keep(p, new Range(part.end(), p.end));
        }
        return evicted;
    }

    /**
     * Re-times what this peer owns inside {@code range}: usable from {@code usableFrom} (a cool-down whose end
     * became known only after a restart).
     */
    public void rest(Range range, long usableFrom) {
        for (Pool p : overlapping(range)) {
            if (p.usableFrom == usableFrom) {
                continue; // already so: no need to copy its addresses
            }
            pools.remove(p.start);
            Range part = p.range().intersect(range);
            keep(p, new Range(p.start, part.start()), p.usableFrom);
            keep(p, part, usableFrom);
            keep(p, new Range(part.end(), p.end), p.usableFrom);
        }
    }

    private void keep(Pool old, Range part) {
        keep(old, part, old.usableFrom);
    }

    private void keep(Pool old, Range part, long usableFrom) {
        if (part.isEmpty()) {
            return;
        }
        Pool fresh = new Pool(part, usableFrom);
        for (long a = part.start(); a < part.end(); a++) {
            if (old.isTaken(a)) {
                fresh.take(a);
            }
        }
        pools.put(part.start(), fresh);
    }

    private List<Pool> overlapping(Range range) {
        List<Pool> out = new ArrayList<>();
        Long first = pools.floorKey(range.start());
        for (Pool p : pools.tailMap(first == null ? range.start() : first, true).values()) {
            if (p.start >= range.end()) {
                break;
            }
            if (p.end > range.start()) {
                out.add(p);
            }
        }
        return out;
    }

    private Pool poolOf(long address) {
        Map.Entry<Long, Pool> e = pools.floorEntry(address);
        return e != null && address < e.getValue().end ? e.getValue() : null;
    }

    public boolean owns(long address) {
        return poolOf(address) != null;
    }

    /** The address {@code who} holds, or -1. */
    public long addressOf(Attachment who) {
        return byAttachment.get(who);
    }

    /**
     * Who holds {@code address}; null when it is free, reserved or not ours. A pass over the holds: for
     * messages and rare checks, not for the allocation path.
     */
    public Attachment holder(long address) {
        Pool p = poolOf(address);
        if (p == null || !p.isTaken(address)) {
            return null;
        }
        Attachment[] found = {null};
        byAttachment.forEach((who, a) -> {
            if (a == address) {
                found[0] = who;
            }
        });
        return found[0];
    }

    /** True when {@code address} is ours, not reserved, not held, and not cooling down at {@code now}. */
    public boolean isFree(long address, long now) {
        Pool p = poolOf(address);
        return p != null && !p.isTaken(address) && p.usableFrom <= now;
    }

    /** When a taken-over address may first be used (0 when it always could); -1 when it is not ours. */
    public long usableFrom(long address) {
        Pool p = poolOf(address);
        return p == null ? -1 : p.usableFrom;
    }

    /** For restoring holds from disk: takes the address whatever its cool-down. */
    public ClaimResult restore(Attachment who, long address) {
        return claim(who, address, Long.MAX_VALUE);
    }

    public boolean isReserved(long address) {
        for (long r : reserved) {
            if (r == address) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes the next free address inside {@code within} for {@code who}, or returns -1 when there is none
     * that may be used at {@code now}. An attachment that already holds an address gets that one back.
     */
    public long allocate(Attachment who, Range within, long now) {
        long held = byAttachment.get(who);
        if (held >= 0) {
            return held;
        }
        long found = search(within, now, false);
        if (found < 0) {
            found = search(within, now, true);
        }
        if (found >= 0) {
            poolOf(found).take(found);
            byAttachment.put(who, found);
            cursor = found + 1;
        }
        return found;
    }

    /** One rotation over {@code within}, from the cursor round to just before it. */
    private long search(Range within, long now, boolean takenOver) {
        long from = within.contains(cursor) ? cursor : within.start();
        long found = scan(from, within.end(), now, takenOver);
        return found >= 0 || from == within.start() ? found : scan(within.start(), from, now, takenOver);
    }

    private long scan(long from, long to, long now, boolean takenOver) {
        if (from >= to) {
            return -1;
        }
        Long first = pools.floorKey(from);
        for (Pool p : pools.tailMap(first == null ? from : first, true).values()) {
            if (p.start >= to) {
                break;
            }
            boolean usable = takenOver ? p.usableFrom > 0 && p.usableFrom <= now : p.usableFrom == 0;
            if (!usable || p.end <= from || p.full()) {
                continue;
            }
            long found = p.taken.firstFree(Math.max(from, p.start), Math.min(to, p.end));
            if (found >= 0) {
                return found;
            }
        }
        return -1;
    }

    /** Outcome of {@link #claim}. */
    public enum ClaimResult { TAKEN, ALREADY_YOURS, HELD_BY_OTHER, HOLDS_OTHER, RESERVED, COOLING, NOT_OWNED }

    /**
     * Takes a given address for {@code who}, if it is ours, free, not cooling down at {@code now}, and
     * {@code who} holds no other.
     */
    public ClaimResult claim(Attachment who, long address, long now) {
        Pool p = poolOf(address);
        if (p == null) {
            return ClaimResult.NOT_OWNED;
        }
        if (p.usableFrom > now && byAttachment.get(who) != address) {
            return ClaimResult.COOLING;
        }
        if (isReserved(address)) {
            return ClaimResult.RESERVED;
        }
        long mine = byAttachment.get(who);
        if (mine == address) {
            return ClaimResult.ALREADY_YOURS;
        }
        if (p.isTaken(address)) {
            return ClaimResult.HELD_BY_OTHER;
        }
        if (mine >= 0) {
            return ClaimResult.HOLDS_OTHER;
        }
        p.take(address);
        byAttachment.put(who, address);
        return ClaimResult.TAKEN;
    }

    /** Frees what {@code who} holds; returns the address, or -1 when it held nothing. */
    public long release(Attachment who) {
        long a = byAttachment.remove(who);
        if (a >= 0) {
            poolOf(a).free(a);
        }
        return a;
    }

    /** Free addresses of ours inside {@code range}, cooling down or not (what the ring's counts report). */
    public long freeIn(Range range) {
        return freeIn(range, Long.MAX_VALUE);
    }

    /** Free addresses of ours inside {@code range} that may be used at {@code now}. */
    public long freeIn(Range range, long now) {
        long free = 0;
        for (Pool p : overlapping(range)) {
            if (p.usableFrom > now) {
                continue;
            }
            Range cut = p.range().intersect(range);
            free += cut.size() - p.taken.takenIn(cut.start(), cut.end());
        }
        return free;
    }

    /**
     * The largest CIDR-aligned block of free addresses inside {@code within} that is not cooling down,
     * for granting to a peer that ran out; empty when nothing is free.
     */
    public Range largestFreeBlock(Range within, long now) {
        Range[] best = {new Range(within.start(), within.start())};
        long[] run = {-1, -1};
        for (Pool p : overlapping(within)) {
            if (p.usableFrom > now) {
                continue;
            }
            if (run[0] >= 0 && run[1] != p.start) {
                best[0] = better(best[0], new Range(run[0], run[1]).intersect(within));
                run[0] = -1;
            }
            p.taken.freeRuns((s, e) -> {
                if (run[0] >= 0 && run[1] == s) {
                    run[1] = e;
                    return;
                }
                if (run[0] >= 0) {
                    best[0] = better(best[0], new Range(run[0], run[1]).intersect(within));
                }
                run[0] = s;
                run[1] = e;
            });
        }
        if (run[0] >= 0) {
            best[0] = better(best[0], new Range(run[0], run[1]).intersect(within));
        }
        return best[0];
    }

    private static Range better(Range best, Range run) {
        Range block = run.largestAlignedBlock();
        return block.size() > best.size() ? block : best;
    }

    /** Owned ranges, in address order. */
    public List<Range> ranges() {
        List<Range> out = new ArrayList<>();
        for (Pool p : pools.values()) {
            out.add(p.range());
        }
        return out;
    }

    public long size() {
        long s = 0;
        for (Pool p : pools.values()) {
            s += p.size();
        }
        return s;
    }

    /** Addresses held by attachments (reserved ones not counted). */
    public int heldCount() {
        return byAttachment.size();
    }

    public Collection<Hold> holds() {
        List<Hold> out = new ArrayList<>(byAttachment.size());
        byAttachment.forEach((who, a) -> out.add(new Hold(who, a)));
        out.sort((x, y) -> Long.compare(x.address(), y.address()));
        return out;
    }

    /** Everything {@code containerId} holds on {@code network}, whatever the interface. */
    public List<Attachment> attachmentsOf(String containerId, String network) {
        List<Attachment> out = new ArrayList<>();
        byAttachment.forEach((who, a) -> {
            if (who.of(containerId, network)) {
                out.add(who);
            }
        });
        return out;
    }
}
