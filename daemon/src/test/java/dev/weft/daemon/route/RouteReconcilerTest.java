package dev.weft.daemon.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Ring;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconciler's rounds against an in-memory table: what it changes, what it leaves, what it counts. */
class RouteReconcilerTest {
    private static final PeerId A = new PeerId("a", 1);
    private static final PeerId B = new PeerId("b", 2);
    private static final PeerId C = new PeerId("c", 3);
    private static final Range UNIVERSE = Cidr.parse("10.32.0.0/16").range();

    @TempDir
    Path sys;
    private final MemoryTable table = new MemoryTable("192.168.7.0/24");
    private final Map<PeerId, String> book = new ConcurrentHashMap<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private RouteReconciler reconciler;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(sys.resolve("net/ipv4/conf/weft0"));
        Files.writeString(sys.resolve("net/ipv4/ip_forward"), "0\n");
        Files.writeString(sys.resolve("net/ipv4/conf/weft0/proxy_arp"), "0\n");
        Files.createDirectories(sys.resolve("net/ipv4/neigh/weft0"));
        Files.writeString(sys.resolve("net/ipv4/neigh/weft0/proxy_delay"), "80\n");
        reconciler = new RouteReconciler(table, new KernelSwitches(sys, "weft0"), A, () -> Map.copyOf(book),
                registry, 20, 300, 50);
    }

    @AfterEach
    void stop() {
        reconciler.close();
    }

    private static String via(Cidr c, Map<Cidr, Long> routes) {
        return IPv4.format(routes.get(c));
    }

    @Test
    void followsTheRingAsARangeMovesAndSetsTheKernelSwitches() throws Exception {
        book.put(B, "192.168.7.2");
        book.put(C, "192.168.7.3");
        Ring ring = Ring.initial(new ClusterId("c1"), UNIVERSE, List.of(A, B, C));
        reconciler.publish(ring);
        Map<Cidr, Long> expected = routesOf(RoutePlan.of(ring, A, book));
        await("the first routes", () -> table.weftRoutes().equals(expected));
        // The gauge is set just after the table is written: wait for it rather than race it.
        await("the route gauge", () -> gauge("weft_routes") == expected.size());
        await("forwarding and proxy-ARP on", () -> read("net/ipv4/ip_forward").equals("1")
                && read("net/ipv4/conf/weft0/proxy_arp").equals("1"));

        // b gives a block to c: on a, that block now goes via c, and what b kept still via b
        Range moved = Cidr.parse("10.32.96.0/19").range();
        assertThat(ring.ownerOf(moved.start())).isEqualTo(B);
        ring = ring.edit(B, Range::size).give(moved, C).commit().ring();
        reconciler.publish(ring);
        Map<Cidr, Long> next = routesOf(RoutePlan.of(ring, A, book));
        await("routes after the grant", () -> table.weftRoutes().equals(next));
        assertThat(via(Cidr.parse("10.32.96.0/19"), table.weftRoutes())).isEqualTo("192.168.7.3");

        // c gives that block to a: a's own now, so its route goes
        ring = ring.edit(C, Range::size).give(moved, A).commit().ring();
        reconciler.publish(ring);
        await("the route of a block a got", () -> !table.weftRoutes().containsKey(Cidr.parse("10.32.96.0/19")));
        assertThat(table.weftRoutes()).isEqualTo(routesOf(RoutePlan.of(ring, A, book)));
        assertThat(counter("apply") + counter("ip") + counter("blocked") + counter("host")).isZero();
    }

    @Test
    void afterARestartRoutesOfPeersNotYetHeardFromStayAndOthersRoutesAreNeverTouched() throws Exception {
        Ring ring = Ring.initial(new ClusterId("c1"), UNIVERSE, List.of(A, B, C));
        Map<Cidr, Long> before = routesOf(RoutePlan.of(ring, A, Map.of(B, "192.168.7.2", C, "192.168.7.3")));
        before.forEach((c, v) -> table.weft(c.toString(), IPv4.format(v)));
        table.weft("10.32.0.0/24", "192.168.7.9"); // a leftover inside a's own range: deleted
        table.foreign("10.32.1.0/24");
        reconciler.publish(ring);
        await("the leftover deleted", () -> !table.weftRoutes().containsKey(Cidr.parse("10.32.0.0/24")));
        assertThat(table.weftRoutes()).isEqualTo(before);
        await("two unroutable blocks counted", () -> gauge("weft_routes_unroutable", "no_address") == 2);

        book.put(B, "192.168.7.2");
        book.put(C, "192.168.7.4"); // c came back on another address
        Map<Cidr, Long> now = routesOf(RoutePlan.of(ring, A, book));
        await("routes once the peers are heard from", () -> table.weftRoutes().equals(now));
        await("no unroutable block counted", () -> gauge("weft_routes_unroutable", "no_address") == 0);
    }

    @Test
    void failuresAreCountedAndTheRoundsGoOn() throws Exception {
        book.put(B, "192.168.7.2");
        book.put(C, "10.0.0.3"); // not on-link: the kernel refuses these routes
        table.failNextLists(1);
        Ring ring = Ring.initial(new ClusterId("c1"), UNIVERSE, List.of(A, B, C));
        reconciler.publish(ring);
        await("an ip failure counted", () -> counter("ip") >= 1);
        await("b's routes in, c's counted as failed", () -> counter("apply") >= 1
                && table.weftRoutes().values().stream().allMatch(v -> v == IPv4.parse("192.168.7.2"))
                && !table.weftRoutes().isEmpty());
        book.put(C, "192.168.7.3");
        await("c's routes once its address is on-link", () ->
                table.weftRoutes().equals(routesOf(RoutePlan.of(ring, A, book))));

        // a route weft did not make holds one of c's destinations: left alone, counted
        Cidr taken = table.weftRoutes().keySet().stream().filter(c -> table.weftRoutes().get(c)
                == IPv4.parse("192.168.7.3")).findFirst().orElseThrow();
        MemoryTable other = table;
        other.apply(List.of(), List.of(taken));
        other.foreign(taken.toString());
        double blockedBefore = counter("blocked");
        await("the blocked route counted", () -> counter("blocked") > blockedBefore);
        assertThat(table.weftRoutes()).doesNotContainKey(taken);
    }

    @Test
    void closingLeavesEveryRouteInPlace() throws Exception {
        book.put(B, "192.168.7.2");
        Ring ring = Ring.initial(new ClusterId("c1"), UNIVERSE, List.of(A, B));
        reconciler.publish(ring);
        await("routes", () -> !table.weftRoutes().isEmpty());
        Map<Cidr, Long> routes = table.weftRoutes();
        reconciler.close();
        int lists = table.lists();
        reconciler.publish(ring.edit(B, Range::size).give(Cidr.parse("10.32.255.0/24").range(), A).commit().ring());
        Thread.sleep(100); // give a wrongly running round the chance to show itself
        assertThat(table.lists()).isEqualTo(lists);
        assertThat(table.weftRoutes()).isEqualTo(routes);
    }

    private static Map<Cidr, Long> routesOf(RoutePlan plan) {
        Map<Cidr, Long> out = new java.util.HashMap<>();
        plan.routes().forEach(r -> out.put(r.destination(), r.via()));
        return out;
    }

    private String read(String setting) {
        try {
            return Files.readString(sys.resolve(setting)).strip();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private double gauge(String name, String... reason) {
        var search = registry.find(name);
        if (reason.length > 0) {
            search = search.tag("reason", reason[0]);
        }
        return search.gauge().value();
    }

    private double counter(String what) {
        return registry.find("weft_route_errors").tag("what", what).counter().count();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not reached within 20 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
