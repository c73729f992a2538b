package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.address.RangeSets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ranges this peer took over from removed installs, and until when each must rest. The same addresses can
 * be taken over more than once as ranges split over time; where records overlap, their union rests until
 * the later deadline.
 */
final class Cooldowns {
    private final List<Record.Cooldown> records = new ArrayList<>();

    /** A piece of a gained range and when it may first be used (0: at once). */
    record Piece(Range range, long usableFrom) {}

    void add(Record.Cooldown c) {
        records.add(c);
    }

    void addAll(List<Record.Cooldown> all) {
        records.addAll(all);
    }

    /** Every cool-down record kept. */
    List<Record.Cooldown> records() {
        return List.copyOf(records);
    }

    /** {@code gained} cut into the pieces that rest and those that do not. */
    List<Piece> pieces(Range gained) {
        List<Record.Cooldown> cool = disjoint();
        List<Range> coolRanges = new ArrayList<>();
        for (Record.Cooldown c : cool) {
            coolRanges.add(c.range());
        }
        List<Range> one = List.of(gained);
        List<Piece> out = new ArrayList<>();
        for (Range r : RangeSets.subtract(one, coolRanges)) {
            out.add(new Piece(r, 0));
        }
        for (Range r : RangeSets.intersect(one, coolRanges)) {
            out.add(new Piece(r, Math.max(1, until(cool, r))));
        }
        return out;
    }

    private static long until(List<Record.Cooldown> cool, Range r) {
        for (Record.Cooldown c : cool) {
            if (c.range().contains(r)) {
                return c.until();
            }
        }
        return 1;
    }

    private List<Record.Cooldown> disjoint() {
        List<Record.Cooldown> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparing(Record.Cooldown::range));
        List<Record.Cooldown> out = new ArrayList<>();
        for (Record.Cooldown c : sorted) {
            Record.Cooldown last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.range().end() > c.range().start()) {
                out.set(out.size() - 1, new Record.Cooldown(new Range(last.range().start(),
                        Math.max(last.range().end(), c.range().end())), Math.max(last.until(), c.until())));
            } else {
                out.add(c);
            }
        }
        return out;
    }
}
