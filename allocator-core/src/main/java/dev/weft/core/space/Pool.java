package dev.weft.core.space;

import dev.weft.core.address.Range;

/**
 * The addresses of one owned range: a {@link Bitmap} of which are taken (reserved ones included, so search
 * and counting skip them for free), how many are, and when the range may first be used.
 */
final class Pool {
    final long start;
    final long end;
    /** When a range taken over from a removed peer may first be used (0: from the start). */
    final long usableFrom;
    final Bitmap taken;
    private int takenCount;

    Pool(Range range, long usableFrom) {
        if (range.size() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a pool of " + range.size() + " addresses is too large");
        }
        this.start = range.start();
        this.end = range.end();
        this.usableFrom = usableFrom;
        this.taken = new Bitmap(start, (int) range.size());
    }

    Range range() {
        return new Range(start, end);
    }

    long size() {
        return end - start;
    }

    boolean full() {
        return takenCount == end - start;
    }

    boolean isTaken(long address) {
        return taken.isTaken(address);
    }

    void take(long address) {
        if (!taken.isTaken(address)) {
            taken.take(address);
            takenCount++;
        }
    }

    void free(long address) {
        if (taken.isTaken(address)) {
            taken.free(address);
            takenCount--;
        }
    }
}
