package dev.weft.daemon.route;

import dev.weft.core.address.BadAddressException;
import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The routes a node should have, computed from nothing but a ring snapshot, who this node is and where the
 * other peers are: every range another live peer owns, as aligned CIDR blocks, via that peer's node address.
 * This node's own ranges get no route (its pods sit on its own bridge), and a range whose owner cannot be
 * routed to gets none either, with the reason counted. Adjacent ranges of one owner are joined first, so a
 * peer whose share was cut by a grant it later got back costs no more routes than before.
 *
 * @param routes one per block, disjoint
 * @param unroutable ring entries owned by another peer that got no route, by reason
 * @param unknown ranges whose route this node cannot know now, only that it has not moved as far as it knows:
 *                the owner's address is not known yet (as after a restart, before peers are heard from), is not
 *                IPv4, or the range is in conflict. Sorted, adjacent ones joined. A route weft already has inside
 *                one of them is left as it is rather than deleted: pods there keep running, and after a restart
 *                their traffic must not stop while the peers say hello again.
 */
record RoutePlan(Set<HostRoute> routes, Map<Unroutable, Integer> unroutable, List<Range> unknown) {

    RoutePlan {
        routes = Collections.unmodifiableSet(new LinkedHashSet<>(routes));
        unknown = List.copyOf(unknown);
        unroutable = Collections.unmodifiableMap(unroutable.isEmpty() ? new EnumMap<>(Unroutable.class)
                : new EnumMap<>(unroutable));
    }

    /** Nothing to route: no ring yet (forming), or this node has no peers. */
    static RoutePlan empty() {
        return new RoutePlan(Set.of(), Map.of(), List.of());
    }

    /**
     * @param addresses each peer's node address as the peer advertised it (the host part of its peer address);
     *                  a peer missing here has not been heard of yet
     */
    static RoutePlan of(Ring ring, PeerId self, Map<PeerId, String> addresses) {
        if (ring == null) {
            return empty();
        }
        Set<HostRoute> routes = new LinkedHashSet<>();
        Map<Unroutable, Integer> unroutable = new EnumMap<>(Unroutable.class);
        Map<PeerId, Long> via = new HashMap<>();
        List<Range> unknown = new ArrayList<>();
        PeerId runOwner = null;
        long runStart = 0;
        long runEnd = 0;
        for (int i = 0; i < ring.size(); i++) {
            Range r = ring.rangeAt(i);
            PeerId target = target(ring, i, self, addresses, via, unroutable, unknown);
            if (target != null && target.equals(runOwner) && r.start() == runEnd) {
                runEnd = r.end(); // the same owner goes on: one run, fewer blocks
                continue;
            }
            addRun(routes, runOwner, runStart, runEnd, via);
            runOwner = target;
            runStart = r.start();
            runEnd = r.end();
        }
        addRun(routes, runOwner, runStart, runEnd, via);
        return new RoutePlan(routes, unroutable, unknown);
    }

    private static final long NO_ADDRESS = -1;
    private static final long NOT_IPV4 = -2;

    /**
     * The peer entry {@code i} should be routed to, or null: this node's own range, or one that cannot be
     * routed (counted in {@code unroutable}; see {@link #unknown} for what happens to its route). Fills
     * {@code via} with each owner's node address once.
     */
    private static PeerId target(Ring ring, int i, PeerId self, Map<PeerId, String> addresses, Map<PeerId, Long> via,
            Map<Unroutable, Integer> unroutable, List<Range> unknown) {
        PeerId owner = ring.ownerAt(i);
        if (owner != null && owner.equals(self)) {
            return null;
        }
        Unroutable why = null;
        if (owner == null) {
            why = Unroutable.CONFLICTED;
        } else if (ring.isTombstoned(owner)) {
            why = Unroutable.REMOVED;
        } else {
            long address = via.computeIfAbsent(owner, p -> nodeAddress(addresses.get(p)));
            if (address == NO_ADDRESS) {
                why = Unroutable.NO_ADDRESS;
            } else if (address == NOT_IPV4) {
                why = Unroutable.NOT_IPV4;
            }
        }
        if (why != null) {
            unroutable.merge(why, 1, Integer::sum);
            if (why != Unroutable.REMOVED) {
                Range r = ring.rangeAt(i);
                int last = unknown.size() - 1;
                if (last >= 0 && unknown.get(last).end() == r.start()) {
                    unknown.set(last, new Range(unknown.get(last).start(), r.end()));
                } else if (!r.isEmpty()) {
                    unknown.add(r);
                }
            }
            return null;
        }
        return owner;
    }

    private static void addRun(Set<HostRoute> routes, PeerId owner, long start, long end, Map<PeerId, Long> via) {
        if (owner == null || end <= start) {
            return;
        }
        for (Cidr block : Blocks.of(new Range(start, end))) {
            routes.add(new HostRoute(block, via.get(owner)));
        }
    }

    /** The IPv4 address in {@code host}, or why there is none. */
    private static long nodeAddress(String host) {
        if (host == null || host.isEmpty()) {
            return NO_ADDRESS;
        }
        try {
            return IPv4.parse(host);
        } catch (BadAddressException e) {
            return NOT_IPV4;
        }
    }

    /** Whether {@code block} lies wholly inside one {@link #unknown} range. */
    boolean undecided(Cidr block) {
        Range b = block.range();
        int lo = 0;
        int hi = unknown.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Range r = unknown.get(mid);
            if (r.end() <= b.start()) {
                lo = mid + 1;
            } else if (r.start() > b.start()) {
                hi = mid - 1;
            } else {
                return r.contains(b);
            }
        }
        return false;
    }

    /** Ring entries of other peers that got no route, all reasons together. */
    int unroutableTotal() {
        int n = 0;
        for (int c : unroutable.values()) {
            n += c;
        }
        return n;
    }
}
