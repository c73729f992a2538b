package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.address.IPv4;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod network across nodes through weft's host routes: three "nodes" (network namespaces on one test bridge,
 * 10.123.0.10-12), each with a weftd started with {@code --host-routes}, and pods made by Debian's {@code bridge}
 * plugin with weft-ipam. Every pod pings a pod on each other node. Then a pod on n0 asks for an address in n2's
 * range, so n2 grants n0 a block around it: the routes on every node follow (on n1 the block now goes via n0,
 * on n2 too), and the new pod and the old ones are reached from everywhere. Needs root, iproute2,
 * iputils-ping and containernetworking-plugins; everything is removed afterwards, also on failure.
 */
class HostRoutesIT {
    static final int NODES = 3;
    static final String RANGE = "10.47.0.0/16";
    static final long READY_MS = 180_000;

    @TempDir
    Path tmp;
    private Lan lan;
    private Pods pods;
    private final List<Node> nodes = new ArrayList<>();
    private Thread cleanupHook;

    @Test
    void podsOnThreeNodesReachEachOtherAndStillDoAfterARangeMoves() throws Exception {
        Prerequisites.require("0".equals(Sh.run(List.of("id", "-u")).out().trim()), "root (network namespaces)");
        Prerequisites.require(Sh.run(List.of("ip", "netns", "list")).exit() == 0, "iproute2 with netns support");
        Prerequisites.require(Sh.run(List.of("ping", "-V")).exit() == 0, "iputils-ping");
        Prerequisites.require(Files.isExecutable(Pods.BRIDGE), "Debian's containernetworking-plugins (" + Pods.BRIDGE
                + ")");
        Path plugin = Path.of(System.getProperty("weft.ipam.native", "../cni-shim/target/weft-ipam/native/weft-ipam"));
        assertThat(Files.isExecutable(Node.home().resolve("bin/weftd"))).as("weftd built at " + Node.home()
                + "/bin/weftd: run mvn verify from the root, which packages daemon first").isTrue();
        assertThat(Files.isExecutable(plugin)).as("native weft-ipam built at " + plugin).isTrue();

        lan = Lan.create();
        cleanupHook = new Thread(this::cleanUp, "routes-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);
        pods = new Pods(lan, tmp, plugin);
        for (int i = 0; i < NODES; i++) {
            lan.addNode(i);
        }
        for (int i = 0; i < NODES; i++) {
            Node n = new Node(lan, i, NODES, tmp.resolve("n" + i), RANGE, List.of("--host-routes"));
            nodes.add(n);
            n.start();
        }
        for (Node n : nodes) {
            n.awaitReady(READY_MS);
        }

        List<Pods.Pod> all = new ArrayList<>();
        for (Node n : nodes) {
            for (int k = 0; k < 2; k++) {
                all.add(pods.add(n, n.name + "-" + k, null));
            }
        }
        for (Node n : nodes) {
            Wait.until(n.name + " sets proxy-ARP on " + Pods.BRIDGE_NAME, 15_000,
                    () -> sysctl(n, "net/ipv4/conf/" + Pods.BRIDGE_NAME + "/proxy_arp").equals("1")
                            && sysctl(n, "net/ipv4/ip_forward").equals("1"));
        }
        for (Pods.Pod p : all) {
            for (Pods.Pod q : all) {
                if (q.node() != p.node()) {
                    awaitRouted(q.address(), p.node(), q.node());
                }
            }
        }
        pingAcross(all);
        awaitRoutesCoverTheRing();

        // n2 grants n0 a block: a pod on n0 asks for an address near the end of n2's last range
        String wanted = freeAddressOwnedBy(nodes.get(0), "n2");
        awaitRouted(wanted, 1, 2);
        awaitRouted(wanted, 0, 2);
        Pods.Pod moved = pods.add(nodes.get(0), "n0-moved", wanted);
        assertThat(moved.address()).isEqualTo(wanted);
        awaitRouted(moved.address(), 1, 0);
        awaitRouted(moved.address(), 2, 0);
        assertThat(Sh.ok(List.of("ip", "-n", lan.namespace(0), "route", "get", moved.address())).out())
                .as("n0's own pod is on its bridge").contains("dev " + Pods.BRIDGE_NAME);
        all.add(moved);
        pingAcross(all);
        awaitRoutesCoverTheRing();

        for (Node n : nodes) {
            String page = n.metrics();
            assertThat(page).contains("weft_route_errors_total{", "weft_routes_unroutable{");
            assertThat(Node.sum(page, "weft_routes")).as(n.name + " weft_routes").isPositive();
            assertThat(Node.sum(page, "weft_route_errors_total")).as(n.name + " route errors:\n" + n.log()).isZero();
        }
    }

    /** Every pod pings one pod on each other node (the first of that node), and the pod added last. */
    private void pingAcross(List<Pods.Pod> all) {
        List<String> failures = new ArrayList<>();
        for (Pods.Pod p : all) {
            for (int other = 0; other < NODES; other++) {
                if (other == p.node()) {
                    continue;
                }
                for (Pods.Pod q : all) {
                    if (q.node() == other && (q == firstOn(all, other) || q == all.get(all.size() - 1))) {
                        Sh ping = Pods.ping(p, q.address());
                        if (ping.exit() != 0) {
                            failures.add(p.namespace() + " (" + p.address() + ") -> " + q.address() + " on n" + other
                                    + ": " + ping.out().strip() + ping.err().strip());
                        }
                    }
                }
            }
        }
        assertThat(failures).as("pings across nodes; routes:\n" + routes()).isEmpty();
    }

    private static Pods.Pod firstOn(List<Pods.Pod> all, int node) {
        return all.stream().filter(p -> p.node() == node).findFirst().orElseThrow();
    }

    /** Waits until node {@code on} routes {@code address} via node {@code owner}'s address, with weft's protocol. */
    private void awaitRouted(String address, int on, int owner) throws InterruptedException {
        Wait.until("n" + on + " routes " + address + " via n" + owner, 30_000, () -> {
            Sh r = Sh.run(List.of("ip", "-n", lan.namespace(on), "route", "get", address));
            return r.exit() == 0 && r.out().contains("via " + Lan.address(owner) + " ");
        });
        String table = Sh.ok(List.of("ip", "-n", lan.namespace(on), "route", "show", "proto", "87")).out();
        assertThat(table).as("n%d's routes are weft's (proto 87)", on).contains("via " + Lan.address(owner));
    }

    /**
     * On every node, weft's routes via each other node cover exactly as many addresses as that node owns in the
     * ring (as this node's CLI shows it), and none go via the node itself: the plan, seen from outside.
     */
    private void awaitRoutesCoverTheRing() throws InterruptedException {
        for (Node n : nodes) {
            Wait.until(n.name + "'s routes cover what the others own", 30_000, () -> coverage(n).isEmpty());
        }
    }

    /** What differs between node n's routes and its ring, in words; empty when they agree. */
    private String coverage(Node n) {
        JsonNode ring = n.cli("ring", "--ranges");
        if (ring == null) {
            return "no ring";
        }
        java.util.Map<String, Long> owned = new java.util.HashMap<>();
        for (JsonNode r : ring.path("ranges")) {
            owned.merge(r.path("owner").asText().split("#")[0], r.path("size").asLong(), Long::sum);
        }
        java.util.Map<String, Long> routed = new java.util.HashMap<>();
        try {
            JsonNode routes = Node.JSON.readTree(Sh.ok(List.of("ip", "-n", lan.namespace(n.index), "-4", "-json",
                    "route", "show", "proto", "87")).out());
            for (JsonNode r : routes) {
                String dst = r.path("dst").asText();
                long size = dst.contains("/") ? dev.weft.core.address.Cidr.parse(dst).size() : 1;
                routed.merge(r.path("gateway").asText(), size, Long::sum);
            }
        } catch (java.io.IOException e) {
            return "ip printed what is not JSON: " + e;
        }
        java.util.Map<String, Long> expected = new java.util.HashMap<>();
        for (Node other : nodes) {
            if (other != n && owned.containsKey(other.name)) {
                expected.put(Lan.address(other.index), owned.get(other.name));
            }
        }
        return expected.equals(routed) ? "" : "routed " + routed + ", owned " + expected;
    }

    /** An address near the end of the last range {@code owner} has, as the ring seen from {@code asker} says. */
    private static String freeAddressOwnedBy(Node asker, String owner) {
        JsonNode ring = asker.cli("ring", "--ranges");
        assertThat(ring).as("weft ring --ranges on " + asker.name).isNotNull();
        long end = -1;
        for (JsonNode r : ring.isArray() ? ring : ring.path("ranges")) {
            if (r.path("owner").asText().startsWith(owner + "#")) {
                String range = r.path("range").asText();
                end = range.contains("/") ? dev.weft.core.address.Cidr.parse(range).range().end()
                        : IPv4.parse(range.substring(range.indexOf('-') + 1)) + 1;
            }
        }
        assertThat(end).as(owner + " owns a range in " + ring).isPositive();
        return IPv4.format(end - 40);
    }

    private String sysctl(Node n, String key) {
        Sh r = Sh.run(lan.exec(n.index, List.of("cat", "/proc/sys/" + key)));
        return r.exit() == 0 ? r.out().strip() : "";
    }

    private String routes() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < NODES; i++) {
            out.append("n").append(i).append(":\n")
                    .append(Sh.run(List.of("ip", "-n", lan.namespace(i), "route", "show")).out());
        }
        return out.toString();
    }

    @AfterEach
    void cleanUpAndCheck() {
        cleanUp();
        if (cleanupHook != null) {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        }
        if (lan != null) {
            assertThat(lan.anyLeft()).as("namespaces of this run left behind").isFalse();
        }
    }

    private synchronized void cleanUp() {
        Node.closeAll(nodes);
        if (pods != null) {
            pods.close();
        }
        if (lan != null) {
            lan.close();
        }
    }
}
