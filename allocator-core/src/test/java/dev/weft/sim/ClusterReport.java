package dev.weft.sim;

import dev.weft.core.address.RangeSets;
import dev.weft.core.node.Alarm;
import dev.weft.core.node.Status;
import dev.weft.core.ring.Ring;
import java.util.List;

/** What an operator would see of a simulated cluster: one line per peer, then the alarms. */
final class ClusterReport {
    private ClusterReport() {}

    static String of(Simulation sim, int rounds) {
        List<SimNode> live = sim.liveNodes();
        Ring ring = live.get(0).peer.ring();
        StringBuilder b = new StringBuilder();
        b.append(String.format("cluster %s on %s: %d peers up, ring of %d entries, %s, converged %d gossip rounds"
                        + " after the network healed%n", ring.cluster(), sim.config().universe(), live.size(), ring.size(),
                ring.conflicts().isEmpty() ? "no conflicts" : ring.conflicts().size() + " CONFLICTS", rounds));
        b.append(String.format("%-6s %-24s %8s %7s %6s %6s  %s%n", "peer", "install", "owns", "share", "held", "free",
                "state"));
        long universe = sim.config().universe().size();
        for (SimNode n : live) {
            Status s = n.peer.status();
            long owns = RangeSets.size(s.owned());
            b.append(String.format("%-6s %-24s %8d %6.1f%% %6d %6d  %s%s%n", n.name, s.self(), owns,
                    100.0 * owns / universe, s.held(), s.free(), s.phase(),
                    s.fenced().isEmpty() ? "" : " (" + s.fenced().size() + " fenced)"));
        }
        b.append(String.format("requests answered: %d; oracle checks passed: %d%n", sim.workload().answered,
                sim.oracleChecks()));
        for (SimNode n : live) {
            for (Alarm a : n.peer.status().alarms()) {
                b.append(String.format("alarm on %s at %d ms: %s: %s%n", n.name, a.at(), a.kind(), a.message()));
            }
        }
        return b.toString();
    }
}
