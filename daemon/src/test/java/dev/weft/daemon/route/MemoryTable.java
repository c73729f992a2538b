package dev.weft.daemon.route;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A routing table in memory that behaves as the kernel does for weft's calls: a gateway off the node's subnet
 * is refused, a delete of a route that is not weft's fails, and listing can be made to fail. Thread-safe.
 */
final class MemoryTable implements RouteTable {
    private final long subnet;
    private final Map<Cidr, Long> weft = new HashMap<>();
    private final Set<Cidr> foreign = new HashSet<>();
    private int listFailures;
    private int lists;

    /** Gateways inside {@code subnet} (a /24) are on-link. */
    MemoryTable(String subnet) {
        this.subnet = Cidr.parse(subnet).base();
    }

    synchronized void foreign(String cidr) {
        foreign.add(Cidr.parse(cidr));
    }

    synchronized void weft(String cidr, String via) {
        weft.put(Cidr.parse(cidr), IPv4.parse(via));
    }

    synchronized void failNextLists(int n) {
        listFailures = n;
    }

    synchronized Map<Cidr, Long> weftRoutes() {
        return Map.copyOf(weft);
    }

    synchronized int lists() {
        return lists;
    }

    @Override
    public synchronized Listing list() throws IOException {
        lists++;
        if (listFailures > 0) {
            listFailures--;
            throw new IOException("listing routes failed (1): Cannot talk to rtnetlink");
        }
        return new Listing(weft, foreign);
    }

    @Override
    public synchronized List<String> apply(List<HostRoute> replace, List<Cidr> delete) {
        List<String> said = new ArrayList<>();
        for (HostRoute r : replace) {
            if ((r.via() & ~0xffL) != subnet) {
                said.add("Error: Nexthop has invalid gateway (" + r + ")");
            } else {
                weft.put(r.destination(), r.via());
            }
        }
        for (Cidr d : delete) {
            if (weft.remove(d) == null) {
                said.add("RTNETLINK answers: No such process (" + d + ")");
            }
        }
        return said;
    }
}
