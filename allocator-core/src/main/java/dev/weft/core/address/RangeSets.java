package dev.weft.core.address;

import java.util.ArrayList;
import java.util.List;

/** Set arithmetic on sorted lists of disjoint ranges. */
public final class RangeSets {
    private RangeSets() {}

    /** The parts of {@code a} not covered by {@code b}. */
    public static List<Range> subtract(List<Range> a, List<Range> b) {
        List<Range> out = new ArrayList<>();
        int j = 0;
        for (Range r : a) {
            long s = r.start();
            while (j < b.size() && b.get(j).end() <= s) {
                j++;
            }
            int k = j;
            while (s < r.end()) {
                if (k >= b.size() || b.get(k).start() >= r.end()) {
                    out.add(new Range(s, r.end()));
                    break;
                }
                Range cut = b.get(k);
                if (cut.start() > s) {
                    out.add(new Range(s, cut.start()));
                }
                s = Math.max(s, cut.end());
                k++;
            }
        }
        return out;
    }

    /** The parts covered by both. */
    public static List<Range> intersect(List<Range> a, List<Range> b) {
        List<Range> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            Range x = a.get(i);
            Range y = b.get(j);
            if (x.overlaps(y)) {
                out.add(x.intersect(y));
            }
            if (x.end() <= y.end()) {
                i++;
            } else {
                j++;
            }
        }
        return out;
    }

    /** Sorted, disjoint ranges with the adjacent ones joined: the same addresses in the fewest ranges. */
    public static List<Range> coalesce(List<Range> sorted) {
        List<Range> out = new ArrayList<>();
        for (Range r : sorted) {
            if (!out.isEmpty() && out.get(out.size() - 1).end() == r.start()) {
                r = new Range(out.remove(out.size() - 1).start(), r.end());
            }
            out.add(r);
        }
        return out;
    }

    public static long size(List<Range> ranges) {
        long n = 0;
        for (Range r : ranges) {
            n += r.size();
        }
        return n;
    }
}
