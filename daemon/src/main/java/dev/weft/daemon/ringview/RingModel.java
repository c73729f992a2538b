package dev.weft.daemon.ringview;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.address.Range;
import dev.weft.daemon.api.v1.RingEntry;
import dev.weft.daemon.api.v1.RingReply;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ring as the operator sees it: arcs in address order and a total per owner. Built from the API's
 * {@link RingReply}, so the CLI and the daemon's {@code /ring} page draw the same thing. An arc owned by a
 * removed (tombstoned) install, address space before the first token, or space an entry stops short of
 * before the next one starts (the core's {@code Gap}), is a gap: no live peer hands out addresses there.
 */
public record RingModel(String cluster, String universe, long universeStart, long universeSize, List<Arc> arcs,
        List<Owner> owners) {

    /** One range of the ring. {@code end} is the first address past it. */
    public record Arc(long start, long end, String range, String owner, long free, long version, boolean reachable,
            boolean conflicted, boolean gap) {
        public long size() {
            return end - start;
        }

        public long inUse() {
            return Math.max(0, size() - free);
        }
    }

    /** What one install owns in all its arcs. */
    public record Owner(String name, int ranges, long owned, long free, boolean reachable, boolean removed) {
        public long inUse() {
            return Math.max(0, owned - free);
        }
    }

    public RingModel {
        arcs = List.copyOf(arcs);
        owners = List.copyOf(owners);
    }

    /** Share of the universe, 0..1. */
    public double share(long addresses) {
        return universeSize == 0 ? 0 : (double) addresses / universeSize;
    }

    public boolean hasGaps() {
        return arcs.stream().anyMatch(Arc::gap);
    }

    public static RingModel from(RingReply reply) {
        Cidr universe = Cidr.parse(reply.getUniverse());
        long uStart = universe.range().start();
        long uEnd = universe.range().end();
        Set<String> removed = new HashSet<>(reply.getTombstonesList());
        List<Arc> arcs = new ArrayList<>();
        List<RingEntry> entries = reply.getEntriesList();
        if (!entries.isEmpty()) {
            long first = IPv4.parse(entries.get(0).getStart());
            if (first > uStart) {
                arcs.add(new Arc(uStart, first, IPv4.format(uStart) + "-" + IPv4.format(first - 1), "", 0, 0, false,
                        false, true));
            }
        }
        Map<String, long[]> totals = new LinkedHashMap<>();
        Map<String, Boolean> reachable = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            RingEntry e = entries.get(i);
            long start = IPv4.parse(e.getStart());
            long end = e.getEnd().isEmpty() ? uEnd : endOf(e.getEnd(), start, uEnd);
            boolean gap = removed.contains(e.getOwner());
            Arc a = new Arc(start, end, e.getRange(), e.getOwner(), e.getFree(), e.getVersion(), e.getReachable(),
                    e.getConflicted(), gap);
            arcs.add(a);
            long next = i + 1 < entries.size() ? IPv4.parse(entries.get(i + 1).getStart()) : uEnd;
            if (end < next) {
                // Uncovered: the entry stops short of the next (weft gaps); named as reclaim-gap takes it.
                arcs.add(new Arc(end, next, new Range(end, next).toString(), "", 0, 0, false, false, true));
            }
            long[] t = totals.computeIfAbsent(e.getOwner(), k -> new long[3]);
            t[0]++;
            t[1] += a.size();
            t[2] += a.free();
            reachable.merge(e.getOwner(), e.getReachable(), Boolean::logicalAnd);
        }
        List<Owner> owners = new ArrayList<>();
        totals.forEach((name, t) -> owners.add(new Owner(name, (int) t[0], t[1], t[2], reachable.get(name),
                removed.contains(name))));
        owners.sort((x, y) -> x.name().compareTo(y.name()));
        return new RingModel(reply.getCluster(), reply.getUniverse(), uStart, universe.size(), arcs, owners);
    }

    /** The API writes the end of a range that reaches the top of IPv4 as "255.255.255.255+1". */
    private static long endOf(String text, long start, long universeEnd) {
        long end = text.endsWith("+1") ? IPv4.SIZE : IPv4.parse(text);
        return end <= start ? universeEnd : end;
    }
}
