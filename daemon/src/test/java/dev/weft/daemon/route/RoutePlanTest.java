package dev.weft.daemon.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.Ring;
import dev.weft.core.ring.RingMismatchException;
import dev.weft.core.ring.RingPiece;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RoutePlanTest {
    private static final ClusterId CLUSTER = new ClusterId("c1");
    private static final PeerId A = new PeerId("a", 1);
    private static final PeerId B = new PeerId("b", 2);
    private static final PeerId C = new PeerId("c", 3);

    @Test
    void threeNodesRouteTheOtherTwoSharesViaTheirNodesAndNeverTheirOwn() {
        Ring ring = Ring.initial(CLUSTER, Cidr.parse("10.32.0.0/12").range(), List.of(A, B, C));
        RoutePlan plan = RoutePlan.of(ring, A, Map.of(B, "192.168.7.2", C, "192.168.7.3"));
        assertThat(plan.unroutable()).isEmpty();
        assertThat(plan.routes()).allMatch(r -> r.via() == IPv4.parse("192.168.7.2") || r.via() == IPv4.parse("192.168.7.3"));
        assertThat(plan.routes().stream().map(HostRoute::toString)).contains("10.44.0.0/14 via 192.168.7.3", "10.40.0.0/15 via 192.168.7.2",
                "10.37.85.85/32 via 192.168.7.2");
        long own = ring.rangesOwnedBy(A).get(0).end();
        assertThat(plan.routes()).noneMatch(r -> r.destination().range().start() < own);
    }

    @Test
    void aPeerNotYetHeardOfOrKnownByNameGetsNoRouteAndIsCounted() {
        Ring ring = Ring.initial(CLUSTER, Cidr.parse("10.32.0.0/12").range(), List.of(A, B, C));
        RoutePlan plan = RoutePlan.of(ring, A, Map.of(C, "node-c.example"));
        assertThat(plan.routes()).isEmpty();
        assertThat(plan.unroutable()).containsEntry(Unroutable.NO_ADDRESS, 1).containsEntry(Unroutable.NOT_IPV4, 1);
        assertThat(RoutePlan.of(ring, A, Map.of(B, "fd00::2", C, "")).unroutable())
                .containsEntry(Unroutable.NOT_IPV4, 1).containsEntry(Unroutable.NO_ADDRESS, 1);
        assertThat(RoutePlan.of(null, A, Map.of()).routes()).isEmpty();
    }

    @Test
    void aGrantBackJoinsTheOwnersRangesIntoFewerRoutes() {
        Ring ring = Ring.initial(CLUSTER, Cidr.parse("10.32.0.0/16").range(), List.of(A, B));
        long mid = ring.rangesOwnedBy(A).get(0).end();
        // b gives a the /24 at its start, which a then gives back: b owns one run again, in two ring entries
        Range given = new Range(IPv4.parse("10.32.128.0"), IPv4.parse("10.32.129.0"));
        ring = ring.edit(B, Range::size).give(given, A).commit().ring();
        RoutePlan split = RoutePlan.of(ring, C, Map.of(A, "192.168.7.1", B, "192.168.7.2"));
        ring = ring.edit(A, Range::size).give(given, B).commit().ring();
        RoutePlan joined = RoutePlan.of(ring, C, Map.of(A, "192.168.7.1", B, "192.168.7.2"));
        assertThat(mid).isEqualTo(IPv4.parse("10.32.128.0"));
        assertThat(joined.routes().stream().map(HostRoute::toString))
                .containsExactlyInAnyOrder("10.32.0.0/17 via 192.168.7.1", "10.32.128.0/17 via 192.168.7.2");
        assertThat(split.routes().stream().map(HostRoute::toString)).contains("10.32.128.0/24 via 192.168.7.1",
                "10.32.129.0/24 via 192.168.7.2", "10.32.0.0/17 via 192.168.7.1");
    }

    /**
     * Seeded random rings (grants, removals, conflicts, tombstones heard before the takeover) and address books:
     * every address of the universe is covered by exactly one route when another live, addressable peer owns
     * it, via that peer's address, and by none otherwise; the unroutable counts match the entries.
     */
    @Test
    void everyAddressOwnedByAnotherRoutablePeerIsCoveredExactlyOnce() throws RingMismatchException {
        for (long seed = 1; seed <= 300; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<PeerId> members = new ArrayList<>();
            int n = random.nextInt(2, 9);
            for (int i = 0; i < n; i++) {
                members.add(new PeerId("p" + i, 100 + i));
            }
            long base = IPv4.parse("10.0.0.0") + (random.nextLong(1 << 12) << 12);
            Range universe = new Range(base, base + 4096);
            Ring ring = randomRing(random, universe, members);
            PeerId self = members.get(random.nextInt(n));
            Map<PeerId, String> book = new HashMap<>();
            for (PeerId p : members) {
                int kind = random.nextInt(10);
                if (kind < 7) {
                    book.put(p, "192.168." + random.nextInt(256) + "." + random.nextInt(1, 255));
                } else if (kind == 7) {
                    book.put(p, p.name() + ".nodes.example");
                }
            }
            check(seed, ring, self, book);
        }
    }

    private static void check(long seed, Ring ring, PeerId self, Map<PeerId, String> book) {
        RoutePlan plan = RoutePlan.of(ring, self, book);
        Range u = ring.universe();
        int[] cover = new int[(int) u.size()];
        long[] via = new long[(int) u.size()];
        for (HostRoute r : plan.routes()) {
            Range d = r.destination().range();
            assertThat(u.contains(d)).as("seed %d: %s inside %s", seed, r, u).isTrue();
            for (long a = d.start(); a < d.end(); a++) {
                cover[(int) (a - u.start())]++;
                via[(int) (a - u.start())] = r.via();
            }
        }
        for (long a = u.start(); a < u.end(); a++) {
            PeerId owner = ring.ownerOf(a);
            boolean routable = owner != null && !owner.equals(self) && !ring.isTombstoned(owner)
                    && book.containsKey(owner) && book.get(owner).startsWith("192.168.");
            int i = (int) (a - u.start());
            assertThat(cover[i]).as("seed %d: routes covering %s (owner %s, self %s)", seed, IPv4.format(a), owner, self)
                    .isEqualTo(routable ? 1 : 0);
            if (routable) {
                assertThat(IPv4.format(via[i])).as("seed %d: via for %s", seed, IPv4.format(a))
                        .isEqualTo(book.get(owner));
            }
        }
        Map<Unroutable, Integer> expected = new EnumMap<>(Unroutable.class);
        for (int i = 0; i < ring.size(); i++) {
            PeerId owner = ring.ownerAt(i);
            Unroutable why = owner == null ? Unroutable.CONFLICTED
                    : owner.equals(self) ? null
                    : ring.isTombstoned(owner) ? Unroutable.REMOVED
                    : !book.containsKey(owner) ? Unroutable.NO_ADDRESS
                    : !book.get(owner).startsWith("192.168.") ? Unroutable.NOT_IPV4 : null;
            if (why != null) {
                expected.merge(why, 1, Integer::sum);
            }
        }
        assertThat(plan.unroutable()).as("seed %d", seed).isEqualTo(expected);
    }

    private static Ring randomRing(SplittableRandom random, Range universe, List<PeerId> members)
            throws RingMismatchException {
        Ring ring = Ring.initial(CLUSTER, universe, members);
        int steps = random.nextInt(40);
        for (int s = 0; s < steps; s++) {
            int op = random.nextInt(20);
            if (op < 15) {
                ring = grant(random, ring, members);
            } else if (op < 17) {
                // an operator removes a peer: its ranges go to the remover, its install is tombstoned
                PeerId actor = members.get(random.nextInt(members.size()));
                PeerId dead = members.get(random.nextInt(members.size()));
                if (!actor.equals(dead) && !ring.isTombstoned(actor)) {
                    ring = ring.edit(actor, Range::size).takeOver(dead).commit().ring();
                }
            } else if (op < 18) {
                // a tombstone heard before the takeover that comes with it
                TreeSet<PeerId> stones = new TreeSet<>(ring.tombstones());
                stones.add(members.get(random.nextInt(members.size())));
                ring = ring.merge(new RingPiece(CLUSTER, universe, List.<Entry>of(), stones, false)).ring();
            } else {
                // two grants of one range from the same state: a same-version conflict after the merge
                Ring before = ring;
                Ring one = grant(new SplittableRandom(s), before, members);
                Ring other = grant(new SplittableRandom(s), before, reversed(members));
                ring = one.merge(other.whole()).ring();
            }
        }
        return ring;
    }

    private static List<PeerId> reversed(List<PeerId> members) {
        List<PeerId> out = new ArrayList<>(members);
        java.util.Collections.reverse(out);
        return out;
    }

    /** The owner of a random address gives a random part of its range to a random other member. */
    private static Ring grant(SplittableRandom random, Ring ring, List<PeerId> members) {
        Range u = ring.universe();
        long a = u.start() + random.nextLong(u.size());
        int i = ring.indexOf(a);
        PeerId owner = ring.ownerAt(i);
        if (owner == null || ring.isTombstoned(owner)) {
            return ring;
        }
        Range r = ring.rangeAt(i);
        if (r.isEmpty()) {
            return ring;
        }
        long s = r.start() + random.nextLong(r.size());
        long e = s + 1 + random.nextLong(r.end() - s);
        PeerId to = members.get(random.nextInt(members.size()));
        if (to.equals(owner)) {
            return ring;
        }
        return ring.edit(owner, Range::size).give(new Range(s, e), to).commit().ring();
    }
}
