package dev.weft.daemon.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.core.address.BadAddressException;
import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The part of the network config (the plugin's stdin) weft reads, checked against the universe. Faults
 * are code 7 naming the field; the JSON itself was decoded by {@link CniJson}.
 *
 * @param subnet {@code ipam.subnet}, or null for the whole universe
 * @param dns {@code ipam.dns} as given (an object), passed through to the result
 * @param requested the address asked for through {@code args.cni.ips} or {@code runtimeConfig.ips}, or -1
 */
public record NetConf(String cniVersion, String name, Cidr subnet, List<Route> routes, ObjectNode dns,
        long requested, JsonNode root) {

    private static final Pattern NETWORK_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    private static final Set<String> IPAM_KEYS = Set.of("type", "subnet", "routes", "dns");
    private static final Set<String> ROUTE_KEYS = Set.of("dst", "gw", "mtu", "advmss", "priority", "table", "scope");
    private static final int MAX_NAME = 253;

    /** The version first: it decides which codes and shapes apply to everything after it. */
    static String version(JsonNode root) throws CniError {
        JsonNode v = root.get("cniVersion");
        if (v == null || v.isNull()) {
            throw invalid("cniVersion is missing", "set cniVersion to one of " + CniVersions.SUPPORTED);
        }
        if (!v.isTextual()) {
            throw invalid("cniVersion must be a string", "write it like \"cniVersion\": \"1.0.0\"");
        }
        if (!CniVersions.supported(v.asText())) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "cniVersion " + CniEnv.printable(v.asText())
                    + " is not supported", "weft-ipam supports " + CniVersions.SUPPORTED);
        }
        return v.asText();
    }

    static NetConf parse(JsonNode root, Cidr universe) throws CniError {
        String version = version(root);
        String name = text(root, "name", true);
        if (name.length() > MAX_NAME || !NETWORK_NAME.matcher(name).matches()) {
            throw invalid("name '" + CniEnv.printable(name) + "' is not a valid network name",
                    "a network name starts with a letter or digit, then letters, digits, '_', '.', '-'");
        }
        JsonNode ipam = root.get("ipam");
        if (ipam == null || !ipam.isObject()) {
            throw invalid("ipam is missing or not an object", "give an \"ipam\": {\"type\": \"weft-ipam\"} section");
        }
        for (Iterator<String> it = ipam.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!IPAM_KEYS.contains(key)) {
                throw invalid("ipam." + CniEnv.printable(key) + " is not a weft-ipam option",
                        "weft-ipam reads ipam.type, ipam.subnet, ipam.routes and ipam.dns (see docs/cni.md)");
            }
        }
        Cidr subnet = subnet(ipam, universe);
        List<Route> routes = routes(ipam.get("routes"));
        JsonNode dns = ipam.get("dns");
        if (dns != null && !dns.isObject()) {
            throw invalid("ipam.dns must be an object", "write it like {\"nameservers\": [\"10.96.0.10\"]}");
        }
        long requested = requested(root, subnet != null ? subnet : universe, subnet != null);
        return new NetConf(version, name, subnet, routes, (ObjectNode) dns, requested, root);
    }

    /** The prefix length results carry: the configured subnet's, else the universe's. */
    int prefix(Cidr universe) {
        return subnet != null ? subnet.prefix() : universe.prefix();
    }

    private static Cidr subnet(JsonNode ipam, Cidr universe) throws CniError {
        JsonNode s = ipam.get("subnet");
        if (s == null) {
            return null;
        }
        if (!s.isTextual()) {
            throw invalid("ipam.subnet must be a string", "write it like \"10.32.4.0/24\"");
        }
        Cidr subnet;
        try {
            subnet = Cidr.parse(s.asText());
        } catch (BadAddressException e) {
            throw invalid("ipam.subnet '" + CniEnv.printable(s.asText()) + "' is not a CIDR", e.getMessage());
        }
        if (!universe.range().contains(subnet.range())) {
            throw invalid("ipam.subnet " + subnet + " is not inside weft's address space " + universe,
                    "use a subnet of " + universe + ", or leave ipam.subnet out");
        }
        if (subnet.prefix() > 30) {
            throw invalid("ipam.subnet " + subnet + " is too small", "use a /30 or larger: it must hold a gateway"
                    + " and pods");
        }
        return subnet;
    }

    private static List<Route> routes(JsonNode node) throws CniError {
        List<Route> routes = new ArrayList<>();
        if (node == null) {
            return routes;
        }
        if (!node.isArray()) {
            throw invalid("ipam.routes must be an array", "write it like [{\"dst\": \"0.0.0.0/0\"}]");
        }
        for (int i = 0; i < node.size(); i++) {
            String where = "ipam.routes[" + i + "]";
            JsonNode r = node.get(i);
            if (!r.isObject()) {
                throw invalid(where + " must be an object", "write it like {\"dst\": \"0.0.0.0/0\"}");
            }
            for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!ROUTE_KEYS.contains(key)) {
                    throw invalid(where + "." + CniEnv.printable(key) + " is not a route field",
                            "a route has dst, gw and (CNI 1.1) mtu, advmss, priority, table, scope");
                }
            }
            String dst = text(r, "dst", true, where + ".dst");
            Cidr cidr;
            try {
                cidr = Cidr.parse(dst);
            } catch (BadAddressException e) {
                throw invalid(where + ".dst '" + CniEnv.printable(dst) + "' is not a CIDR", e.getMessage());
            }
            String gw = text(r, "gw", false, where + ".gw");
            if (gw != null) {
                try {
                    IPv4.parse(gw);
                } catch (BadAddressException e) {
                    throw invalid(where + ".gw '" + CniEnv.printable(gw) + "' is not an IPv4 address", e.getMessage());
                }
            }
            Map<String, Integer> extra = new LinkedHashMap<>();
            for (String key : List.of("mtu", "advmss", "priority", "table", "scope")) {
                JsonNode v = r.get(key);
                if (v == null) {
                    continue;
                }
                if (!v.isInt() || v.asInt() < 0) {
                    throw invalid(where + "." + key + " must be a non-negative integer", "got " + v);
                }
                extra.put(key, v.asInt());
            }
            routes.add(new Route(cidr, gw, extra));
        }
        return routes;
    }

    /** One address at most, from either place; both places may name the same one. */
    private static long requested(JsonNode root, Cidr space, boolean isSubnet) throws CniError {
        Set<Long> asked = new LinkedHashSet<>();
        collect(root.path("args").path("cni"), "args.cni.ips", asked);
        collect(root.path("runtimeConfig"), "runtimeConfig.ips", asked);
        if (asked.isEmpty()) {
            return -1;
        }
        if (asked.size() > 1) {
            throw invalid("args.cni.ips / runtimeConfig.ips ask for " + asked.size() + " addresses",
                    "weft gives one IPv4 address per attachment: ask for one");
        }
        long address = asked.iterator().next();
        checkInside(address, space, isSubnet, "the requested address " + IPv4.format(address), INVALID);
        return address;
    }

    private static final int INVALID = CniError.INVALID_CONFIG;

    /** A requested address must be a host address of the subnet (or of the universe). */
    static void checkInside(long address, Cidr space, boolean isSubnet, String what, int code) throws CniError {
        if (!space.hosts().contains(address)) {
            throw new CniError(code, what + " is not a host address of " + (isSubnet ? "ipam.subnet " : "weft's space ")
                    + space, "ask for an address inside " + space + " (not its first or last)");
        }
    }

    private static void collect(JsonNode holder, String where, Set<Long> into) throws CniError {
        if (!holder.isObject()) {
            if (!holder.isMissingNode() && !holder.isNull()) {
                throw invalid(where.substring(0, where.lastIndexOf('.')) + " must be an object", "got " + holder);
            }
            return;
        }
        JsonNode ips = holder.get("ips");
        if (ips == null || ips.isNull()) {
            return;
        }
        if (!ips.isArray()) {
            throw invalid(where + " must be an array of addresses", "write it like [\"10.32.0.5\"]");
        }
        for (int i = 0; i < ips.size(); i++) {
            JsonNode ip = ips.get(i);
            if (!ip.isTextual()) {
                throw invalid(where + "[" + i + "] must be a string", "write it like \"10.32.0.5\"");
            }
            into.add(RequestedAddress.parse(ip.asText(), where + "[" + i + "]", INVALID));
        }
    }

    static String text(JsonNode node, String field, boolean required) throws CniError {
        return text(node, field, required, field);
    }

    private static String text(JsonNode node, String field, boolean required, String where) throws CniError {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw invalid(where + " is missing", "the network config must set " + where);
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw invalid(where + " must be a non-empty string", "got " + CniEnv.printable(v.toString()));
        }
        return v.asText();
    }

    static CniError invalid(String msg, String details) {
        return new CniError(CniError.INVALID_CONFIG, msg, details);
    }
}
