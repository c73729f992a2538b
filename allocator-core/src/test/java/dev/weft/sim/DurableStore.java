package dev.weft.sim;

import dev.weft.core.node.Record;
import dev.weft.core.ring.Entry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One simulated host's durable store: exactly what the driver made durable, the latest record per key, as
 * RocksDB keeps it in the daemon. Ring entries are one record per token on every node (25 M at 5000 peers,
 * which as map entries with a key string each did not fit in 5 GB), so they are kept compact: the tokens in
 * a sorted array beside the entries themselves (the instances the peers persisted, shared with their rings
 * and with every other node that persisted the same one), plus a few written since the arrays were last
 * packed. Nothing is derived from a peer's memory: what is here was persisted, and {@link #asMap} gives the
 * oracle the same records, keys and values, as one record per key would.
 */
final class DurableStore {
    private static final String RING = "ring/";

    /** Every record but ring entries, by key, in the order first written (the order recovery reads them in). */
    private final LinkedHashMap<String, Record> others = new LinkedHashMap<>();
    /** Ring entries packed: sorted tokens and their entries. Never changed in place, so copies share them. */
    private long[] tokens = new long[0];
    private Entry[] entries = new Entry[0];
    /** Ring entries written since the last pack, by token; they win over the packed ones. */
    private final TreeMap<Long, Entry> recent = new TreeMap<>();

    /** Writes {@code r} (the latest record under its key wins), or removes its key if it is a deleting record. */
    void write(Record r) {
        if (r.deletes()) {
            remove(r.key());
        } else if (r instanceof Record.RingEntry e) {
            recent.put(e.entry().token(), e.entry());
            if (recent.size() > 32 + tokens.length / 8) {
                pack();
            }
        } else {
            others.put(r.key(), r);
        }
    }

    private void remove(String key) {
        if (!key.startsWith(RING)) {
            others.remove(key);
            return;
        }
        long token = Long.parseUnsignedLong(key.substring(RING.length()), 16);
        pack();
        int at = java.util.Arrays.binarySearch(tokens, token);
        if (at >= 0) {
            long[] t = new long[tokens.length - 1];
            Entry[] e = new Entry[entries.length - 1];
            System.arraycopy(tokens, 0, t, 0, at);
            System.arraycopy(entries, 0, e, 0, at);
            System.arraycopy(tokens, at + 1, t, at, t.length - at);
            System.arraycopy(entries, at + 1, e, at, e.length - at);
            tokens = t;
            entries = e;
        }
    }

    /** Folds the recent ring entries into new packed arrays (a merge of two sorted runs). */
    private void pack() {
        if (recent.isEmpty()) {
            return;
        }
        long[] t = new long[tokens.length + recent.size()];
        Entry[] e = new Entry[t.length];
        int i = 0;
        int n = 0;
        for (Map.Entry<Long, Entry> r : recent.entrySet()) {
            long token = r.getKey();
            while (i < tokens.length && tokens[i] < token) {
                t[n] = tokens[i];
                e[n++] = entries[i++];
            }
            if (i < tokens.length && tokens[i] == token) {
                i++; // overwritten
            }
            t[n] = token;
            e[n++] = r.getValue();
        }
        while (i < tokens.length) {
            t[n] = tokens[i];
            e[n++] = entries[i++];
        }
        tokens = n == t.length ? t : java.util.Arrays.copyOf(t, n);
        entries = n == e.length ? e : java.util.Arrays.copyOf(e, n);
        recent.clear();
    }

    boolean containsKey(String key) {
        if (!key.startsWith(RING)) {
            return others.containsKey(key);
        }
        long token = Long.parseUnsignedLong(key.substring(RING.length()), 16);
        return recent.containsKey(token) || java.util.Arrays.binarySearch(tokens, token) >= 0;
    }

    /** Whether a record here names {@code install}: a ring entry with a claim of it, or its tombstone. */
    boolean names(dev.weft.core.peer.PeerId install) {
        if (others.containsKey(new Record.Tombstone(install).key())) {
            return true;
        }
        pack();
        for (Entry e : entries) {
            for (dev.weft.core.ring.Claim c : e.claims()) {
                if (c.owner().equals(install)) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean isEmpty() {
        return others.isEmpty() && tokens.length == 0 && recent.isEmpty();
    }

    void clear() {
        others.clear();
        tokens = new long[0];
        entries = new Entry[0];
        recent.clear();
    }

    /** Every record but the ring entries, in the order first written. */
    Iterable<Record> nonRing() {
        return others.values();
    }

    /** Every record: the others in the order first written, then the ring entries by token. */
    List<Record> records() {
        pack();
        List<Record> all = new ArrayList<>(others.size() + tokens.length);
        all.addAll(others.values());
        for (Entry e : entries) {
            all.add(new Record.RingEntry(e));
        }
        return all;
    }

    /** Every record by key, as the oracle compares them with what the peer has in memory. */
    Map<String, Record> asMap() {
        Map<String, Record> map = new TreeMap<>();
        for (Record r : records()) {
            map.put(r.key(), r);
        }
        return map;
    }

    /** A copy of the store as it is now (a backup of the folder); later writes to either do not show in the other. */
    DurableStore copy() {
        pack();
        DurableStore c = new DurableStore();
        c.others.putAll(others);
        c.tokens = tokens;
        c.entries = entries;
        return c;
    }

    /** Replaces everything here with what {@code copy} holds (a folder restored from a backup). */
    void replaceWith(DurableStore copy) {
        clear();
        copy.pack();
        others.putAll(copy.others);
        tokens = copy.tokens;
        entries = copy.entries;
    }
}
