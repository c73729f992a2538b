package dev.weft.core.space;

/**
 * Which addresses of one range are taken, one bit each, with the bits past the end set so that a word scan
 * never runs off the range. This is the address layer of the space: no attachments, no ranges of others.
 * A rotating search over it costs a word or two when the range is anywhere near half free.
 */
public final class Bitmap {
    private final long start;
    private final int size;
    private final long[] words;

    public Bitmap(long start, int size) {
        this.start = start;
        this.size = size;
        this.words = new long[(size + 63) >>> 6];
        int tail = size & 63;
        if (tail != 0) {
            words[words.length - 1] = -1L << tail;
        }
    }

    public long start() {
        return start;
    }

    public int size() {
        return size;
    }

    public boolean isTaken(long address) {
        int i = (int) (address - start);
        return (words[i >>> 6] & (1L << i)) != 0;
    }

    public void take(long address) {
        int i = (int) (address - start);
        words[i >>> 6] |= 1L << i;
    }

    public void free(long address) {
        int i = (int) (address - start);
        words[i >>> 6] &= ~(1L << i);
    }

    /** The first free address in [from, to) (both inside the range), or -1. */
    public long firstFree(long from, long to) {
        int i = (int) (from - start);
        int limit = (int) (to - start);
        int w = i >>> 6;
        long word = ~words[w] & (-1L << i);
        while (true) {
            if (word != 0) {
                int found = (w << 6) + Long.numberOfTrailingZeros(word);
                return found < limit ? start + found : -1;
            }
            w++;
            if ((w << 6) >= limit) {
                return -1;
            }
            word = ~words[w];
        }
    }

    /** How many addresses in [from, to) are taken. */
    public long takenIn(long from, long to) {
        if (from >= to) {
            return 0;
        }
        int a = (int) (from - start);
        int b = (int) (to - start);
        int wa = a >>> 6;
        int wb = (b - 1) >>> 6;
        long count = 0;
        for (int w = wa; w <= wb; w++) {
            long word = words[w];
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
    public void freeRuns(RunSink sink) {
        long runStart = -1;
        for (int w = 0; w < words.length; w++) {
            long word = words[w];
            if (word == 0 && runStart >= 0 || word == -1L && runStart < 0) {
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
            sink.run(runStart, start + size);
        }
    }

    /** Receives runs of free addresses. */
    public interface RunSink {
        void run(long start, long end);
    }
}
