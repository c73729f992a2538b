package dev.weft.core.peer;

import java.util.List;

/**
 * The core's only source of randomness: a SplitMix64 stream seeded by the driver. The core never draws
 * randomness of its own, so the same seed and inputs always give the same outputs and any simulated
 * failure can be replayed.
 */
public final class Entropy {
    private long state;

    public Entropy(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return Mix.mix(state);
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound " + bound);
        }
        return (int) Long.remainderUnsigned(nextLong(), bound);
    }

    public long nextLong(long bound) {
        return Long.remainderUnsigned(nextLong(), bound);
    }

    /** Up to {@code k} distinct elements of {@code from}, in random order. */
    public <T> List<T> pick(List<T> from, int k) {
        int n = from.size();
        if (k >= n) {
            List<T> all = new java.util.ArrayList<>(from);
            shuffle(all);
            return all;
        }
        java.util.ArrayList<T> out = new java.util.ArrayList<>(k);
        java.util.HashSet<Integer> taken = new java.util.HashSet<>();
        while (out.size() < k) {
            int i = nextInt(n);
            if (taken.add(i)) {
                out.add(from.get(i));
            }
        }
        return out;
    }

    public <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
