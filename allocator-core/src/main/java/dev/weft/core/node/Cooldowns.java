package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.address.RangeSets;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Merge;
import dev.weft.core.ring.Ring;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ranges this peer took over from removed installs, and how long each must still rest. What is stored is a
 * duration, not a time: the driver's clock may be reset or jump across a restart, so an absolute deadline
 * could end early. After a restart each rest starts counting again from the first step (downtime never
 * counts), and while the peer runs the rest left is written back now and then, so frequent restarts do
 * not make a rest last for ever. A rest that is over is forgotten, on disk too. Where rests overlap (the
 * same addresses taken over again as ranges split), their union rests until the later end.
 *
 * <p>A rest may also wait for the removed install it came from ({@code waitsFor}): then it does not end,
 * whatever the time, until that install has handed its live holds over or is known to be gone
 * ({@link #handedOver}, {@link #replaced}). That is what keeps a wrongly removed, still running install's addresses out of use.
 * A rest is <em>chained</em> when what was taken was itself a takeover by the removed install, not yet
 * settled: the addresses are then those of whoever that install had removed, so its own hand-over does not
 * settle them; it tells whom it still waited for, and the rest waits for that one instead ({@link #handedOver}).
 */
final class Cooldowns {
    /** How often, at most, the rest left is written back while a peer runs. */
    static final long CHECKPOINT = 1_000;

    private static final class Rest {
        final Range range;
        /** The removed install whose hand-over this rest waits for, or null. */
        PeerId waitsFor;
        /** Taken from a takeover of {@code waitsFor}'s that was not yet settled. */
        boolean chained;
        /** When it started counting in this run of the peer (-1 until anchored after a restart). */
        long since;
        /** When it ends, on this peer's clock; unknown (-1) until the first step after a restart. */
        long end;
        /** What the store holds for it. */
        Record.Cooldown written;

        Rest(Range range, long end, Record.Cooldown written) {
            this.range = range;
            this.waitsFor = written.waitsFor();
            this.chained = written.chained();
            this.end = end;
            this.since = end < 0 ? -1 : end - written.remaining();
            this.written = written;
        }
    }

    private final List<Rest> rests = new ArrayList<>();

    /** A piece of a gained range and when it may first be used (0: at once). */
    record Piece(Range range, long usableFrom) {}

    /**
     * A new rest of {@code duration} for {@code range}, from {@code now}, that also waits for {@code waitsFor}
     * unless null; returns the record to persist.
     */
    Record.Cooldown start(Range range, long duration, long now, PeerId waitsFor, boolean chained) {
        Record.Cooldown c = new Record.Cooldown(range, duration, waitsFor, waitsFor != null && chained);
        rests.removeIf(r -> r.range.equals(range));
        rests.add(new Rest(range, now + duration, c));
        return c;
    }

    /**
     * The rests of a takeover of {@code dead} ({@code m}, made on {@code before}): one for each entry it gave this
     * peer, waiting also for {@code waitsFor} (the removed install's hand-over, or this peer's own comparison of
     * rings). Returns the records to persist.
     */
    List<Record.Cooldown> takenOver(Ring before, Merge m, PeerId self, PeerId dead, PeerId waitsFor, long duration,
            long now) {
        List<Record.Cooldown> out = new ArrayList<>();
        for (long t : m.changedTokens()) {
            int i = m.ring().indexOf(t);
            if (self.equals(m.ring().ownerAt(i))) {
                // Taken from a takeover the removed install had not settled, even one side of a conflict or one
                // set aside for its tombstone: the addresses are someone else's (simulator seeds 2141, 3085).
                boolean chained = before.entry(before.indexOf(t)).takenOverBy(dead);
                // A chained rest waits for the removed install's word whatever the operator says of its host:
                // the pods are someone else's (simulator seed 647).
                out.add(start(m.ring().rangeAt(i), duration, now, chained ? dead : waitsFor, chained));
            }
        }
        return out;
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
                r.since = now;
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
            long left = Math.max(0, r.end - now);
            if (left == 0 && r.waitsFor == null) {
                it.remove();
                changed.add(new Record.Forget(r.written.key()));
            } else if (r.written.remaining() - left >= CHECKPOINT || left == 0 && r.written.remaining() > 0) {
                r.written = new Record.Cooldown(r.range, left, r.waitsFor, r.chained);
                changed.add(r.written);
            }
        }
    }

    /**
     * When restored rests will end is not known before the first step, nor a waiting rest's before its
     * install is proven: until then they rest for ever.
     */
    private static long endOf(Rest r) {
        return r.end < 0 || r.waitsFor != null ? Long.MAX_VALUE : r.end;
    }

    /**
     * Rests that wait for {@code self} (a forced removal: they wait for this peer to have compared rings
     * with every install it knows since they started) whose wait {@code syncedSince} says is over.
     */
    List<Record> settleSynced(PeerId self, java.util.function.LongPredicate syncedSince,
            java.util.function.ObjLongConsumer<Range> retime) {
        List<Record> out = new ArrayList<>();
        for (Rest r : rests) {
            if (self.equals(r.waitsFor) && r.since >= 0 && syncedSince.test(r.since)) {
                r.waitsFor = null;
                r.written = new Record.Cooldown(r.range, r.written.remaining(), null, false);
                out.add(r.written);
                // Part of the range may rest longer under a later rest (taken over again since, from an install
                // this one's had given it to): that part keeps its time. Re-timing the whole range made a range
                // taken over a moment before usable at once, before its remover had compared rings (seed 7692).
                for (Range part : RangeSets.subtract(List.of(r.range), endingAfter(r))) {
                    retime.accept(part, Math.max(1, r.end));
                }
            }
        }
        return out;
    }

    /** The ranges of other rests that end after {@code rest} (or wait), sorted and merged. */
    private List<Range> endingAfter(Rest rest) {
        List<Range> later = new ArrayList<>();
        for (Rest r : rests) {
            if (r != rest && endOf(r) > rest.end) {
                later.add(r.range);
            }
        }
        later.sort(Comparator.naturalOrder());
        List<Range> merged = new ArrayList<>();
        for (Range r : later) {
            int last = merged.size() - 1;
            if (last >= 0 && merged.get(last).end() >= r.start()) {
                merged.set(last, new Range(merged.get(last).start(), Math.max(merged.get(last).end(), r.end())));
            } else {
                merged.add(r);
            }
        }
        return merged;
    }

    /**
     * The operator says {@code install}'s host is gone with its pods: its rests no longer wait for its
     * hand-over, but, as every forced removal, for {@code self} to compare rings with every install it knows.
     */
    List<Record> forced(PeerId install, PeerId self) {
        List<Record> out = new ArrayList<>();
        for (Rest r : rests) {
            if (install.equals(r.waitsFor) && !r.chained) {
                r.waitsFor = self;
                r.chained = false;
                r.since = Math.max(r.since, 0);
                r.written = new Record.Cooldown(r.range, r.written.remaining(), self, false);
                out.add(r.written);
            }
        }
        return out;
    }

    /**
     * When the oldest rest that waits for {@code self} (to compare equal rings with every install it knows)
     * started counting, or -1 if none does.
     */
    long waitingForSelfSince(PeerId self) {
        long since = -1;
        for (Rest r : rests) {
            if (self.equals(r.waitsFor) && r.since >= 0 && (since < 0 || r.since < since)) {
                since = r.since;
            }
        }
        return since;
    }

    /** Removed installs some rest waits for. */
    Set<PeerId> awaited() {
        Set<PeerId> out = new TreeSet<>();
        for (Rest r : rests) {
            if (r.waitsFor != null) {
                out.add(r.waitsFor);
            }
        }
        return out;
    }


    /**
     * A new install runs under {@code install}'s name: its own pods are gone with its data, which settles
     * what was taken from it, but not what it had taken from others (chained): it can no longer say whom.
     */
    List<Record> replaced(PeerId install, PeerId self) {
        return handedOver(install, Set.of(install), self); // chained rests untouched (see handedOver)
    }

    /**
     * {@code install} handed over; it still waited for {@code itAwaited} itself. Returns the records to
     * persist. A settled rest then waits, as a forced one does, for {@code self} to compare equal rings with
     * every install it knows since it started ({@link #settleSynced}): another peer cut off from this one may
     * have removed the same install and taken the same range, and of two removers that each compared rings so
     * after their takeover, one has heard the other's claim (a conflict: it does not use the range). Without
     * that wait both ended their rest on the hand-over alone (simulator seed 7111).
     */
    List<Record> handedOver(PeerId install, Set<PeerId> itAwaited, PeerId self) {
        return settle(install, itAwaited, r -> true, self);
    }

    /**
     * A successor spoke for {@code install}'s pods ({@link Succession}): as {@link #replaced}, but only for rests
     * whose range {@code held} accepts (owned here, so the addresses it listed were just held again).
     */
    List<Record> spokenFor(PeerId install, java.util.function.Predicate<Range> held, PeerId self) {
        return settle(install, Set.of(install), held, self);
    }

    private List<Record> settle(PeerId install, Set<PeerId> itAwaited, java.util.function.Predicate<Range> within,
            PeerId self) {
        List<Record> out = new ArrayList<>();
        for (Rest r : rests) {
            if (!install.equals(r.waitsFor) || !within.test(r.range)) {
                continue;
            }
            if (r.chained && !itAwaited.isEmpty()) {
                if (itAwaited.size() == 1 && !itAwaited.contains(install)) {
                    // What it had taken waited for one install: so does what we took from it.
                    r.waitsFor = itAwaited.iterator().next();
                    r.chained = false;
                    r.written = new Record.Cooldown(r.range, r.written.remaining(), r.waitsFor, false);
                    out.add(r.written);
                }
                continue; // several: which range was whose is not known here; an operator's force settles it
            }
            r.waitsFor = self;
            r.chained = false;
            r.written = new Record.Cooldown(r.range, r.written.remaining(), self, false);
            out.add(r.written);
        }
        return out;
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
