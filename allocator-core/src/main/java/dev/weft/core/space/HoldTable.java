package dev.weft.core.space;

/**
 * Attachment to address, as an open-addressing table with linear probing: no boxing and no node per
 * entry, so a lookup on a node holding half a million addresses costs one or two cache misses rather
 * than five. Deletion shifts later entries back (no tombstones), so probes stay short.
 */
final class HoldTable {
    private Attachment[] keys = new Attachment[16];
    private long[] values = new long[16];
    /** Each key's spread hash, beside it, so probing and shifting never load the key objects themselves. */
    private int[] hashes = new int[16];
    private int size;

    int size() {
        return size;
    }

    private static int spread(Attachment a) {
        int h = a.hashCode() * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** The address {@code a} holds, or -1. */
    long get(Attachment a) {
        int mask = keys.length - 1;
        int h = spread(a);
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Attachment k = keys[i];
            if (k == null) {
                return -1;
            }
            if (hashes[i] == h && k.equals(a)) {
                return values[i];
            }
        }
    }

    void put(Attachment a, long address) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int h = spread(a);
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Attachment k = keys[i];
            if (k == null) {
                keys[i] = a;
                values[i] = address;
                hashes[i] = h;
                size++;
                return;
            }
            if (hashes[i] == h && k.equals(a)) {
                values[i] = address;
                return;
            }
        }
    }

    /** Removes {@code a}; returns the address it held, or -1. */
    long remove(Attachment a) {
        int mask = keys.length - 1;
        int h = spread(a);
        int i = h & mask;
        while (true) {
            Attachment k = keys[i];
            if (k == null) {
                return -1;
            }
            if (hashes[i] == h && k.equals(a)) {
                break;
            }
            i = (i + 1) & mask;
        }
        long was = values[i];
        // Shift back every later entry of the run that may sit before its home slot (Knuth's algorithm R).
        int hole = i;
        for (int j = (i + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hashes[hole] = hashes[j];
                hole = j;
            }
        }
        keys[hole] = null;
        size--;
        return was;
    }

    private void grow() {
        Attachment[] oldKeys = keys;
        long[] oldValues = values;
        keys = new Attachment[oldKeys.length * 2];
        values = new long[oldKeys.length * 2];
        hashes = new int[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    void forEach(HoldSink sink) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                sink.hold(keys[i], values[i]);
            }
        }
    }

    interface HoldSink {
        void hold(Attachment a, long address);
    }
}
