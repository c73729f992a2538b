package dev.weft.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The promises, checked against what the running daemons say (through the weft CLI) and what the plugin
 * acknowledged: no address held by two attachments across all daemons; every acknowledged, unreleased allocation
 * still held by the daemon that gave it (or by its successor, when its data folder was wiped under live pods);
 * after healing, one ring everywhere, with every address owned by one live peer and no conflict. Each check
 * returns the violations it found (empty when the promise holds).
 */
final class Checks {
    private Checks() {}

    /** Every daemon's holds, as "address" to "node/container/ifname"; null for a daemon that did not answer. */
    static Map<Node, JsonNode> holds(List<Node> nodes) {
        Map<Node, JsonNode> out = new HashMap<>();
        for (Node n : nodes) {
            out.put(n, n.cli("allocations", "--limit", "30000"));
        }
        return out;
    }

    static List<String> noAddressTwice(Map<Node, JsonNode> holds) {
        Map<String, Set<String>> holders = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (Map.Entry<Node, JsonNode> e : holds.entrySet()) {
            if (e.getValue() == null) {
                out.add(e.getKey().name + " did not list its allocations");
                continue;
            }
            for (JsonNode h : e.getValue()) {
                holders.computeIfAbsent(bare(h.path("address").asText()), k -> new TreeSet<>())
                        .add(e.getKey().name + "/" + h.path("container").asText() + "/" + h.path("ifname").asText());
            }
        }
        holders.forEach((address, who) -> {
            if (who.size() > 1) {
                out.add(address + " is held by " + who.size() + " attachments at once: " + who);
            }
        });
        return out;
    }

    static List<String> acknowledgedStillHeld(Ledger ledger, Map<Node, JsonNode> holds) {
        List<String> out = new ArrayList<>();
        for (Ledger.Grant g : ledger.live()) {
            Node giver = holds.keySet().stream().filter(n -> n.index == g.node()).findFirst().orElse(null);
            if (giver == null || holds.get(giver) == null) {
                out.add(g.container() + " (" + g.address() + ") was acknowledged by n" + g.node()
                        + ", which is not there to hold it");
                continue;
            }
            boolean held = false;
            for (JsonNode h : holds.get(giver)) {
                if (h.path("container").asText().equals(g.container())) {
                    held = bare(h.path("address").asText()).equals(g.address());
                    if (!held) {
                        out.add(g.container() + " was acknowledged " + g.address() + " but n" + g.node() + " holds "
                                + h.path("address").asText() + " for it");
                    }
                }
            }
            if (!held && out.stream().noneMatch(s -> s.startsWith(g.container() + " "))) {
                out.add(g.container() + " was acknowledged " + g.address() + " by n" + g.node() + " at "
                        + g.atMillis() + " and never released, but n" + g.node() + " no longer holds it");
            }
        }
        return out;
    }

    /** The ranges as one daemon sees them: "range owner version conflict" per line, in ring order. */
    static String ringOf(Node n) {
        JsonNode ring = n.cli("ring", "--ranges");
        if (ring == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode a : ring.path("ranges")) {
            sb.append(a.path("range").asText()).append(' ').append(a.path("owner").asText()).append(" v")
                    .append(a.path("version").asText()).append(a.path("conflict").asBoolean() ? " CONFLICT" : "")
                    .append(a.path("gap").asBoolean() ? " GAP" : "").append('\n');
        }
        return sb.toString();
    }

    /** Who owns which range, without versions (an owner's own free-count updates raise those). */
    static String ownership(Node n) {
        String ring = ringOf(n);
        return ring == null ? null : ring.replaceAll(" v[0-9]+", "");
    }

    /**
     * Empty when every daemon reports the same ring, with no conflict and every range owned by the current install
     * of a live node: not by a removed peer, nor by an earlier install of a node whose data folder was wiped.
     */
    static List<String> oneRing(List<Node> nodes) {
        List<String> out = new ArrayList<>();
        Set<String> liveInstalls = new TreeSet<>();
        for (Node n : nodes) {
            JsonNode status = n.cli("status");
            if (status == null) {
                out.add(n.name + " did not answer status");
            } else {
                liveInstalls.add(status.path("peer").asText());
            }
        }
        String first = null;
        String firstName = null;
        for (Node n : nodes) {
            String ring = ringOf(n);
            if (ring == null) {
                out.add(n.name + " did not show its ring");
                continue;
            }
            if (first == null) {
                first = ring;
                firstName = n.name;
                for (String line : ring.split("\n")) {
                    boolean liveOwner = liveInstalls.contains(line.split(" ")[1]);
                    if (line.contains("CONFLICT") || line.contains("GAP") || !liveOwner) {
                        out.add(n.name + " sees a range without one live owner (live: " + liveInstalls + "): " + line);
                    }
                }
            } else if (!ring.equals(first)) {
                out.add(n.name + " sees another ring than " + firstName + ":\n" + ring + "vs\n" + first);
            }
        }
        return out;
    }

    static String bare(String address) {
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }
}
