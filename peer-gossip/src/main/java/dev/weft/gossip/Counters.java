package dev.weft.gossip;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Named monotonic counters (and a few gauges set by value), safe from any thread. */
public final class Counters {
    private final ConcurrentHashMap<String, LongAdder> values = new ConcurrentHashMap<>();

    public void add(String name, long delta) {
        values.computeIfAbsent(name, k -> new LongAdder()).add(delta);
    }

    public void inc(String name) {
        add(name, 1);
    }

    /** For gauges: replaces the value. */
    public void set(String name, long value) {
        LongAdder a = values.computeIfAbsent(name, k -> new LongAdder());
        a.reset();
        a.add(value);
    }

    public long get(String name) {
        LongAdder a = values.get(name);
        return a == null ? 0 : a.sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
