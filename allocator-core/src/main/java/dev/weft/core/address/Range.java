package dev.weft.core.address;

/**
 * A half-open run of addresses {@code [start, end)}. All range arithmetic (size, containment, overlap,
 * splitting and CIDR alignment) lives here.
 */
public record Range(long start, long end) implements Comparable<Range> {

    public Range {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("not a range: [" + start + ", " + end + ")");
        }
    }

    public static Range of(long start, long end) {
        return new Range(start, end);
    }

    public long size() {
        return end - start;
    }

    public boolean isEmpty() {
        return end == start;
    }

    public boolean contains(long address) {
        return address >= start && address < end;
    }

    public boolean contains(Range other) {
        return other.start >= start && other.end <= end;
    }

    public boolean overlaps(Range other) {
        return start < other.end && other.start < end;
    }

    /** The common part, possibly empty (then anchored at the larger start). */
    public Range intersect(Range other) {
        long s = Math.max(start, other.start);
        long e = Math.min(end, other.end);
        return new Range(s, Math.max(s, e));
    }

    /** Two halves; the lower one gets the odd address when the size is odd. */
    public Range[] halves() {
        long mid = start + (size() + 1) / 2;
        return new Range[] {new Range(start, mid), new Range(mid, end)};
    }

    /** True when this range is a whole CIDR block: its size a power of two and its start a multiple of it. */
    public boolean isAligned() {
        long size = size();
        return size > 0 && Long.bitCount(size) == 1 && (start & (size - 1)) == 0;
    }

    /**
     * The largest CIDR-aligned block inside this range. Used to carve grants that stay printable as one
     * CIDR and keep the ring from fragmenting into odd pieces.
     */
    public Range largestAlignedBlock() {
        if (isEmpty()) {
            return this;
        }
        Range best = new Range(start, start + 1);
        long s = start;
        while (s < end) {
            long block = s == 0 ? Long.highestOneBit(end) : Long.lowestOneBit(s);
            while (s + block > end) {
                block >>>= 1;
            }
            if (block > best.size()) {
                best = new Range(s, s + block);
            }
            s += block;
        }
        return best;
    }

    /** The i-th of n consecutive shares whose sizes differ by at most one address. */
    public Range share(int i, int n) {
        if (n <= 0 || i < 0 || i >= n) {
            throw new IllegalArgumentException("share " + i + " of " + n);
        }
        long size = size();
        // size is at most 2^32 and n far below 2^31, so size * n cannot overflow.
        return new Range(start + size * i / n, start + size * (i + 1) / n);
    }

    @Override
    public int compareTo(Range o) {
        int c = Long.compare(start, o.start);
        return c != 0 ? c : Long.compare(end, o.end);
    }

    @Override
    public String toString() {
        if (isAligned()) {
            return IPv4.format(start) + "/" + (IPv4.BITS - Long.numberOfTrailingZeros(size()));
        }
        return IPv4.format(start) + "-" + (isEmpty() ? IPv4.format(start) : IPv4.format(end - 1));
    }
}
