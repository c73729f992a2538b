package dev.weft.daemon.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.daemon.support.Prerequisites;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code ip} runner against a real kernel table, in a network namespace this test makes (root and
 * iproute2; skipped without, failed under {@code WEFT_STRICT_TESTS=1}); the parser on iproute2's own output.
 */
class IpRouteTableTest {
    private final String ns = "wrt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    private boolean made;

    @AfterEach
    void removeNamespace() throws IOException {
        if (made) {
            Command.run(List.of("ip", "netns", "del", ns), null, 30);
        }
    }

    @Test
    void parsesIproutesJsonKeepingWeftsRoutesApartFromEveryoneElses() throws IOException {
        String json = "[{\"dst\":\"default\",\"gateway\":\"192.0.2.1\",\"dev\":\"eth0\",\"flags\":[]},"
                + "{\"dst\":\"192.0.2.0/24\",\"dev\":\"eth0\",\"protocol\":\"2\",\"scope\":\"253\",\"flags\":[]},"
                + "{\"dst\":\"10.36.0.0/14\",\"gateway\":\"192.0.2.7\",\"dev\":\"eth0\",\"protocol\":\"87\",\"flags\":[]},"
                + "{\"dst\":\"10.40.0.9\",\"gateway\":\"192.0.2.8\",\"dev\":\"eth0\",\"protocol\":\"87\",\"flags\":[]},"
                + "{\"dst\":\"10.50.0.0/16\",\"dev\":\"eth0\",\"protocol\":\"4\",\"metric\":100,\"flags\":[]},"
                + "{\"dst\":\"fe80::/64\",\"dev\":\"eth0\",\"protocol\":\"2\",\"flags\":[]}]";
        RouteTable.Listing l = IpRouteTable.parse(json);
        assertThat(l.weft()).containsOnly(Map.entry(Cidr.parse("10.36.0.0/14"), IPv4.parse("192.0.2.7")),
                Map.entry(Cidr.parse("10.40.0.9/32"), IPv4.parse("192.0.2.8")));
        assertThat(l.foreign()).containsExactlyInAnyOrder(Cidr.parse("0.0.0.0/0"), Cidr.parse("192.0.2.0/24"));
        assertThat(IpRouteTable.parse("").weft()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IpRouteTable.parse("{\"dst\":1}"))
                .isInstanceOf(IOException.class).hasMessageContaining("not a JSON list");
    }

    @Test
    void installsListsAndDeletesOnlyItsOwnRoutesInARealTable() throws IOException {
        Prerequisites.require(Command.run(List.of("id", "-u"), null, 10).out().strip().equals("0"),
                "root (network namespaces)");
        Prerequisites.require(Command.run(List.of("ip", "netns", "list"), null, 10).exit() == 0,
                "iproute2 with netns support");
        ip("netns", "add", ns);
        made = true;
        ip("-n", ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        ip("-n", ns, "link", "set", "d1", "up");
        ip("-n", ns, "link", "set", "d0", "up");
        ip("-n", ns, "addr", "add", "192.168.77.1/24", "dev", "d0");
        ip("-n", ns, "route", "add", "10.99.0.0/16", "via", "192.168.77.9");
        ip("-n", ns, "route", "add", "10.40.0.0/16", "via", "192.168.77.9", "proto", "static");
        IpRouteTable table = new IpRouteTable(List.of("ip", "-n", ns));

        RouteTable.Listing before = table.list();
        assertThat(before.weft()).isEmpty();
        assertThat(before.foreign()).contains(Cidr.parse("10.99.0.0/16"), Cidr.parse("10.40.0.0/16"),
                Cidr.parse("192.168.77.0/24"));

        long b = IPv4.parse("192.168.77.2");
        long c = IPv4.parse("192.168.77.3");
        List<String> said = table.apply(List.of(new HostRoute(Cidr.parse("10.36.0.0/14"), b),
                new HostRoute(Cidr.parse("10.45.0.0/16"), IPv4.parse("10.0.0.9")), // not on-link: refused
                new HostRoute(Cidr.parse("10.44.0.1/32"), c)), List.of());
        assertThat(said).isNotEmpty();
        RouteTable.Listing after = table.list();
        assertThat(after.weft()).containsOnly(Map.entry(Cidr.parse("10.36.0.0/14"), b),
                Map.entry(Cidr.parse("10.44.0.1/32"), c));
        assertThat(ipOut("-n", ns, "route", "show", "proto", "87")).contains("10.36.0.0/14 via 192.168.77.2");

        // re-point one, delete the other, and try to delete someone else's route: the kernel refuses that
        said = table.apply(List.of(new HostRoute(Cidr.parse("10.36.0.0/14"), c)),
                List.of(Cidr.parse("10.44.0.1/32"), Cidr.parse("10.99.0.0/16")));
        assertThat(said).isNotEmpty();
        after = table.list();
        assertThat(after.weft()).containsOnly(Map.entry(Cidr.parse("10.36.0.0/14"), c));
        assertThat(after.foreign()).contains(Cidr.parse("10.99.0.0/16"), Cidr.parse("10.40.0.0/16"));
    }

    private static void ip(String... args) throws IOException {
        ipOut(args);
    }

    private static String ipOut(String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Command r = Command.run(cmd, null, 30);
        assertThat(r.exit()).as("%s: %s", cmd, r.err()).isZero();
        return r.out();
    }
}
