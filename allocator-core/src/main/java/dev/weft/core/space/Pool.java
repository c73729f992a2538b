package dev.weft.core.space;

import dev.weft.core.address.Range;

/**
 * The addresses of one owned range: a bitmap of which are taken (bits past the end are set, so a word scan
 * never runs off the pool) and, for the taken ones, who holds them. Reserved addresses (the universe's
 * network and broadcast) are taken by {@link #RESERVED} so that search and counting skip them for free.
 */
final class Pool {
    static final Attachment RESERVED = new Attachment("weft-reserved", "-");

    final long start;
    final long end;
    /** When a range taken over from a removed peer may first be used (0: from the start). */
    final long usableFrom;
    private final long[] taken;
    private final Attachment[] holders;
    private int held;

    Pool(Range range, long usableFrom) {
        if (range.size() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a pool of " + range.size() + " addresses is too large");
        }
        this.start = range.start();
        this.end = range.end();
        this.usableFrom = usableFrom;
        int size = (int) range.size();
        this.taken = new long[(size + 63) >>> 6];
        this.holders = new Attachment[size];
        int tail = size & 63;
        if (tail != 0) {
            taken[taken.length - 1] = -1L << tail;
        }
    }

    Range range() {
        return new Range(start, end);
    }

    long size() {
        return end - start;
    }

    int held() {
        return held;
    }

    Attachment holder(long address) {
        return holders[(int) (address - start)];
    }

    void take(long address, Attachment who) {
        int i = (int) (address - start);
        if (holders[i] == null) {
            held++;
        }
        taken[i >>> 6] |= 1L << i;
        holders[i] = who;
    }

    void free(long address) {
        int i = (int) (address - start);
        if (holders[i] != null) {
            held--;
        }
        taken[i >>> 6] &= ~(1L << i);
        holders[i] = null;
    }

    /** The first free address in [from, to) (both inside this pool), or -1. */
    long firstFree(long from, long to) {
        int i = (int) (from - start);
        int limit = (int) (to - start);
        int w = i >>> 6;
        long word = ~taken[w] & (-1L << i);
        while (true) {
            if (word != 0) {
                int found = (w << 6) + Long.numberOfTrailingZeros(word);
                return found < limit ? start + found : -1;
            }
            w++;
            if ((w << 6) >= limit) {
                return -1;
            }
            word = ~taken[w];
        }
    }

    /** How many addresses in [from, to) (inside this pool) are taken, reserved ones included. */
    long takenIn(long from, long to) {
        if (from >= to) {
            return 0;
        }
        int a = (int) (from - start);
        int b = (int) (to - start); // exclusive
        int wa = a >>> 6;
        int wb = (b - 1) >>> 6;
        long count = 0;
        for (int w = wa; w <= wb; w++) {
            long word = taken[w];
            if (w == wa) {
                word &= -1L << a;
            }
            if (w == wb && (b & 63) != 0) {
                word &= -1L >>> (64 - (b & 63));
            }
            count += Long.bitCount(word);
        }
        return count;
    }

    /** Calls {@code sink} with each maximal run of free addresses, in order, as [start, end). */
    void freeRuns(RunSink sink) {
        long runStart = -1;
        int size = (int) size();
        for (int w = 0; w < taken.length; w++) {
            long word = taken[w];
            if (word == 0 && runStart >= 0) {
                continue;
            }
            if (word == -1L && runStart < 0) {
                continue;
            }
            for (int b = 0; b < 64 && (w << 6) + b < size; b++) {
                boolean isFree = (word & (1L << b)) == 0;
                long address = start + (w << 6) + b;
                if (isFree && runStart < 0) {
                    runStart = address;
                } else if (!isFree && runStart >= 0) {
                    sink.run(runStart, address);
                    runStart = -1;
                }
            }
        }
        if (runStart >= 0) {
            sink.run(runStart, end);
        }
    }

    interface RunSink {
        void run(long start, long end);
    }
}
