package dev.weft.sim;

import java.lang.management.ManagementFactory;
import java.util.Map;

/** One row of the scale table in docs/benchmarks.md, and the traffic of one measured window. */
final class ScaleRow {
    static final String HEADER = "| peers | links per peer | ring entries | s to form (all joined) | s until every"
            + " peer has space | whole rings in bootstrap (to joiners / to peers with a ring) | idle B/peer/s"
            + " | idle msgs/peer/s | churn B/peer/s | churn msgs/peer/s | filling B/peer/s | filling msgs/peer/s"
            + " | removal of a dead peer B/peer (20 s) | whole rings after bootstrap | one change reaches all (s, worst"
            + " of 5) | in gossip intervals | CPU s |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    /** {@code changes}: owners' changes to the ring during the window (free-count reports, when nothing else acts). */
    record Traffic(long millis, long messages, long bytes, long wholeToFormed, Map<String, long[]> kinds,
            long changes) {
        double perPeerPerSecond(long count, int peers) {
            return count / (double) peers / (millis / 1000.0);
        }

        String kinds(int peers) {
            StringBuilder b = new StringBuilder(String.format("ring changes %d (%.2f/s); ", changes,
                    changes / (millis / 1000.0)));
            kinds.forEach((k, v) -> b.append(String.format("%s %.2f msgs %.0f B; ", k, perPeerPerSecond(v[0], peers),
                    perPeerPerSecond(v[1], peers))));
            return b.toString();
        }
    }

    final int peers;
    final int links;
    final long gossip;
    long formedAfter;
    long spaceAfter;
    long retried;
    long bootWholeToJoiners;
    long bootWholeToFormed;
    int entries;
    Traffic idle;
    Traffic churn;
    Traffic fill;
    /** An operator's removal of a dead peer: a takeover every peer must hear of at once. */
    Traffic removal;
    long spreadMillis;
    double cpuSeconds;

    ScaleRow(int peers, int links, long gossip) {
        this.peers = peers;
        this.links = links;
        this.gossip = gossip;
    }

    static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    @Override
    public String toString() {
        return String.format("| %d | %s | %d | %.1f | %.1f (%d retries) | %d / %d | %.0f | %.2f | %.0f | %.2f | %.0f"
                        + " | %.2f | %.0f | %d | %.1f | %.1f | %.0f |%n  idle per peer per second: %s%n"
                        + "  churn per peer per second: %s%n  filling per peer per second: %s%n"
                        + "  removal per peer per second: %s",
                peers, links == 0 ? "all" : "seeds + ~" + links, entries, formedAfter / 1000.0, spaceAfter / 1000.0,
                retried, bootWholeToJoiners, bootWholeToFormed, idle.perPeerPerSecond(idle.bytes(), peers),
                idle.perPeerPerSecond(idle.messages(), peers), churn.perPeerPerSecond(churn.bytes(), peers),
                churn.perPeerPerSecond(churn.messages(), peers), fill.perPeerPerSecond(fill.bytes(), peers),
                fill.perPeerPerSecond(fill.messages(), peers), removal.bytes() / (double) peers,
                idle.wholeToFormed() + churn.wholeToFormed() + fill.wholeToFormed() + removal.wholeToFormed(),
                spreadMillis / 1000.0, spreadMillis / (double) gossip, cpuSeconds, idle.kinds(peers),
                churn.kinds(peers), fill.kinds(peers), removal.kinds(peers));
    }
}
