package dev.weft.daemon.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.core.address.BadAddressException;
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
 * The main table through iproute2's {@code ip}. weft marks every route it makes with its own protocol number,
 * {@link #PROTOCOL}, and changes nothing else: it lists the table once, keeps to routes with that number, never
 * replaces a destination another route already holds, and deletes with {@code proto} given, so the kernel itself
 * refuses to delete anyone else's route.
 */
final class IpRouteTable implements RouteTable {
    /**
     * weft's routing protocol number, 0x57 ('W'). Not in iproute2's {@code rt_protos} list or in use by the
     * well-known routing daemons (bird 12, zebra 11, babel 42, bgp 186, ...), so {@code ip route show proto 87}
     * lists exactly weft's routes.
     */
    static final int PROTOCOL = 0x57;
    /** iproute2 prints no protocol for routes of protocol "boot" (3), the default of {@code ip route add}. */
    private static final int BOOT = 3;
    private static final long TIMEOUT_SECONDS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> ip;

    /** @param ip how to run iproute2's {@code ip}: {@code [ip]}, or {@code [ip, -n, NS]} for a network namespace */
    IpRouteTable(List<String> ip) {
        this.ip = List.copyOf(ip);
    }

    @Override
    public Listing list() throws IOException {
        Command c = Command.run(command("-4", "-json", "-N", "route", "show", "table", "main"), null, TIMEOUT_SECONDS);
        if (c.exit() != 0) {
            throw new IOException("listing routes failed (" + c.exit() + "): " + c.err().strip());
        }
        return parse(c.out());
    }

    /** {@code ip -json -N route show} output into weft's routes and the destinations others hold. */
    static Listing parse(String json) throws IOException {
        JsonNode routes;
        try {
            routes = JSON.readTree(json.isBlank() ? "[]" : json);
        } catch (IOException e) {
            throw new IOException("ip printed routes that are not JSON: " + e.getMessage(), e);
        }
        if (!routes.isArray()) {
            throw new IOException("ip printed routes that are not a JSON list: " + abbreviate(json));
        }
        Map<Cidr, Long> weft = new HashMap<>();
        Set<Cidr> foreign = new HashSet<>();
        for (JsonNode r : routes) {
            Cidr dst;
            try {
                dst = destination(r.path("dst").asText(""));
            } catch (BadAddressException e) {
                continue; // not an IPv4 destination weft could ever have made or replace
            }
            int protocol = r.has("protocol") ? r.path("protocol").asInt(-1) : BOOT;
            if (protocol == PROTOCOL) {
                long via = -1;
                if (r.hasNonNull("gateway")) {
                    try {
                        via = IPv4.parse(r.path("gateway").asText());
                    } catch (BadAddressException e) {
                        via = -1; // ours, but not a route weft would make: re-pointed or deleted
                    }
                }
                weft.put(dst, via);
            } else if (r.path("metric").asLong(0) == 0 && !r.has("tos")) {
                foreign.add(dst);
            }
        }
        return new Listing(weft, foreign);
    }

    /** iproute2 prints "default" for 0.0.0.0/0 and a bare address for a /32. */
    private static Cidr destination(String dst) {
        if (dst.equals("default")) {
            return new Cidr(0, 0);
        }
        return Cidr.parse(dst.indexOf('/') < 0 ? dst + "/32" : dst);
    }

    @Override
    public List<String> apply(List<HostRoute> replace, List<Cidr> delete) throws IOException {
        StringBuilder batch = new StringBuilder();
        for (HostRoute r : replace) {
            batch.append("route replace ").append(r.destination()).append(" via ").append(IPv4.format(r.via()))
                    .append(" proto ").append(PROTOCOL).append('\n');
        }
        for (Cidr d : delete) {
            batch.append("route del ").append(d).append(" proto ").append(PROTOCOL).append('\n');
        }
        if (batch.length() == 0) {
            return List.of();
        }
        // -force: a failing line does not stop the batch, so one unreachable gateway costs one route, not all
        Command c = Command.run(command("-force", "-batch", "-"), batch.toString(), TIMEOUT_SECONDS);
        List<String> problems = new ArrayList<>();
        if (c.exit() != 0) {
            for (String line : c.err().split("\n")) {
                if (!line.isBlank()) {
                    problems.add(line.strip());
                }
            }
            if (problems.isEmpty()) {
                problems.add("ip -batch exited with " + c.exit());
            }
        }
        return problems;
    }

    private List<String> command(String... args) {
        List<String> out = new ArrayList<>(ip);
        out.addAll(List.of(args));
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
