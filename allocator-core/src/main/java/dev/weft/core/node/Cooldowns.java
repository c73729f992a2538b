package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.address.RangeSets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Ranges this peer took over from removed installs, and how long each must still rest. What is stored is a
 * duration, not a time: the driver's clock may be reset or jump across a restart, so an absolute deadline
 * could end early. After a restart each rest starts counting again from the first step (downtime never
 * counts), and while the peer runs the rest left is written back now and then, so frequent restarts do
 * not make a rest last for ever. A rest that is over is forgotten, on disk too. Where rests overlap (the
 * same addresses taken over again as ranges split), their union rests until the later end.
 */
final class Cooldowns {
    /** How often, at most, the rest left is written back while a peer runs. */
    static final long CHECKPOINT = 1_000;

    private static final class Rest {
        final Range range;
        /** When it ends, on this peer's clock; unknown (-1) until the first step after a restart. */
        long end;
        /** What the store holds for it. */
        Record.Cooldown written;

        Rest(Range range, long end, Record.Cooldown written) {
            this.range = range;
            this.end = end;
            this.written = written;
        }
    }

    private final List<Rest> rests = new ArrayList<>();

    /** A piece of a gained range and when it may first be used (0: at once). */
    record Piece(Range range, long usableFrom) {}

    /** A new rest of {@code duration} for {@code range}, from {@code now}; returns the record to persist. */
    Record.Cooldown start(Range range, long duration, long now) {
        Record.Cooldown c = new Record.Cooldown(range, duration);
        rests.removeIf(r -> r.range.equals(range));
        rests.add(new Rest(range, now + duration, c));
        return c;
    }

    /** Rests read back from disk: they start counting at the first step ({@link #anchor}). */
    void restore(List<Record.Cooldown> all) {
        for (Record.Cooldown c : all) {
            rests.removeIf(r -> r.range.equals(c.range()));
            rests.add(new Rest(c.range(), -1, c));
        }
    }

    /** True while some restored rest does not yet know when it ends. */
    boolean unanchored() {
        for (Rest r : rests) {
            if (r.end < 0) {
                return true;
            }
        }
        return false;
    }

    /** At the first step after a restart: restored rests end their stored duration from {@code now}. */
    void anchor(long now) {
        for (Rest r : rests) {
            if (r.end < 0) {
                r.end = now + r.written.remaining();
            }
        }
    }

    /**
     * At a tick: rests that are over are dropped ({@code over} gets the keys to delete), the others have what
     * is left written back when it shrank by a checkpoint or more ({@code changed}).
     */
    void advance(long now, List<Record> changed) {
        for (Iterator<Rest> it = rests.iterator(); it.hasNext(); ) {
            Rest r = it.next();
            if (r.end < 0) {
                continue;
            }
            long left = r.end - now;
            if (left <= 0) {
                it.remove();
                changed.add(new Record.Forget(r.written.key()));
            } else if (r.written.remaining() - left >= CHECKPOINT) {
                r.written = new Record.Cooldown(r.range, left);
                changed.add(r.written);
            }
        }
    }

    /** When restored rests will end is not known before the first step: until then they rest for ever. */
    private static long endOf(Rest r) {
        return r.end < 0 ? Long.MAX_VALUE : r.end;
    }

    /** {@code gained} cut into the pieces that rest and those that do not. */
    List<Piece> pieces(Range gained) {
        List<Rest> sorted = new ArrayList<>(rests);
        sorted.sort(Comparator.comparing(r -> r.range));
        List<Range> coolRanges = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        for (Rest r : sorted) {
            int last = coolRanges.size() - 1;
            if (last >= 0 && coolRanges.get(last).end() > r.range.start()) {
                coolRanges.set(last, new Range(coolRanges.get(last).start(), Math.max(coolRanges.get(last).end(),
                        r.range.end())));
                ends.set(last, Math.max(ends.get(last), endOf(r)));
            } else {
                coolRanges.add(r.range);
                ends.add(endOf(r));
            }
        }
        List<Range> one = List.of(gained);
        List<Piece> out = new ArrayList<>();
        for (Range r : RangeSets.subtract(one, coolRanges)) {
            out.add(new Piece(r, 0));
        }
        for (Range r : RangeSets.intersect(one, coolRanges)) {
            long until = 1;
            for (int i = 0; i < coolRanges.size(); i++) {
                if (coolRanges.get(i).contains(r)) {
                    until = ends.get(i);
                }
            }
            out.add(new Piece(r, Math.max(1, until)));
        }
        return out;
    }

    /** Every rest's range, for re-timing the space once restored rests are anchored. */
    List<Range> ranges() {
        List<Range> out = new ArrayList<>();
        for (Rest r : rests) {
            out.add(r.range);
        }
        return out;
    }

    /** What the store holds for the rests kept. */
    List<Record.Cooldown> records() {
        List<Record.Cooldown> out = new ArrayList<>();
        for (Rest r : rests) {
            out.add(r.written);
        }
        return out;
    }
}
