package dev.weft.bench;

import dev.weft.core.space.Bitmap;
import dev.weft.core.space.Space;

/**
 * Guards a space benchmark against drifting into the easy case. A half-full /12 at random positions has
 * about a quarter of a million free runs; a workload that sweeps the space (release the oldest, allocate
 * after a cursor) merges them into a handful, and the search then costs nothing. Each iteration's end
 * counts the runs again and fails the benchmark if fewer than a quarter of the starting count are left.
 */
final class Fragmentation {
    private long atStart = -1;

    void start(long freeRuns) {
        atStart = freeRuns;
    }

    void check(String benchmark, long freeRuns) {
        if (freeRuns * 4 < atStart) {
            throw new IllegalStateException(benchmark + ": the space drifted towards contiguous (" + freeRuns
                    + " free runs left of " + atStart + " at the start): the figure would measure the easy case");
        }
    }

    static long freeRuns(Bitmap bitmap) {
        long[] runs = {0};
        bitmap.freeRuns((from, to) -> runs[0]++);
        return runs[0];
    }

    /** Runs of addresses free in the space (not held, not reserved), walking the universe once (outside the measured time). */
    static long freeRuns(Space space) {
        long runs = 0;
        boolean inRun = false;
        for (long a = SpaceBenchmark.UNIVERSE.start(); a < SpaceBenchmark.UNIVERSE.end(); a++) {
            boolean free = space.isFree(a, Long.MAX_VALUE);
            if (free && !inRun) {
                runs++;
            }
            inRun = free;
        }
        return runs;
    }
}
