package dev.weft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.node.Input;
import dev.weft.core.ring.Ring;
import dev.weft.core.space.Attachment;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Scale runs, off by default (minutes of CPU): {@code mvn -B -Pscale -pl allocator-core test}. For 100 and
 * 1000 peers on the default /12, with no faults: rounds to bootstrap; rounds for one owner's change to
 * reach every peer; rounds from the last change of a cluster-wide burst to agreement; and the messages
 * and bytes each peer sends per round during the burst and once nothing changes. A round is one gossip
 * interval (500 ms here); bytes are protobuf-sized estimates ({@link WireSize}).
 */
class ScaleTest {
    static final long ROUND = 500;

    @Test
    void scaleTable() {
        Assumptions.assumeTrue(Boolean.getBoolean("weft.sim.scale"), "set -Dweft.sim.scale=true (or -Pscale)");
        StringBuilder table = new StringBuilder();
        table.append("| peers | ring entries after | rounds to bootstrap | rounds for one change to reach all (max of 5)"
                + " | rounds to agree after a burst | entries changed in the burst | burst msgs/peer/round"
                + " | burst bytes/peer/round | steady msgs/peer/round | steady bytes/peer/round"
                + " | whole rings sent after bootstrap |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int n : List.of(100, 1000)) {
            table.append(run(n)).append('\n');
        }
        System.out.println(table);
    }

    /** Rounds from the last change a peer made itself until every ring is the same. */
    private static int roundsToAgree(Simulation sim) {
        long step = 50;
        while (!sim.converged() || sim.now() - sim.lastOriginChange < 4 * ROUND) {
            sim.runFor(step);
            assertThat(sim.now()).as("agrees").isLessThan(sim.lastOriginChange + 200 * ROUND);
        }
        // Walk back: the first moment after the last change at which all rings agreed.
        return (int) Math.ceil((agreedAt(sim) - sim.lastOriginChange) / (double) ROUND);
    }

    private static long agreedAt(Simulation sim) {
        return sim.firstAgreedAfter(sim.lastOriginChange);
    }

    private String run(int n) {
        Simulation sim = new Simulation(SimConfig.calm(1, n, Cidr.parse("10.32.0.0/12"), SimConfig.Mode.SEEDS));
        sim.watchAgreement(true);
        sim.start();
        long t0 = sim.now();
        assertThat(sim.runUntil(() -> sim.allFormed() && sim.converged(), 120_000)).isTrue();
        long bootRounds = (sim.now() - t0 + ROUND - 1) / ROUND;
        sim.runFor(10 * ROUND);
        long wholeRings0 = sim.stats().wholeRings;
        List<SimNode> live = sim.liveNodes();
        long share = Cidr.parse("10.32.0.0/12").size() / n;

        // One change at a time: a peer fills a sixth of its share, its next free report changes the ring.
        int worstSingle = 0;
        for (int k = 0; k < 5; k++) {
            SimNode node = live.get((k * 7919) % n);
            String prefix = "s" + k + "-";
            for (int pod = 0; pod < share / 6; pod++) {
                String name = prefix + pod;
                sim.workload().send(node, id -> new Input.Allocate(id, new Attachment(name, "eth0"), null));
            }
            long before = sim.originChanges;
            sim.runUntil(() -> sim.originChanges > before, 10 * ROUND);
            worstSingle = Math.max(worstSingle, roundsToAgree(sim));
        }

        // A burst: every peer starts pods at once; one in ten starts more than its share holds, so it must
        // ask others for space; free counts are reported; deltas cross.
        Ring ringBefore = live.get(0).peer.ring();
        long msgs0 = sim.stats().messages;
        long bytes0 = sim.stats().bytes;
        long t1 = sim.now();
        for (int i = 0; i < n; i++) {
            SimNode node = live.get(i);
            long pods = i % 10 == 0 ? share + share / 5 : 60;
            for (int k = 0; k < pods; k++) {
                int pod = k;
                sim.workload().send(node, id -> new Input.Allocate(id, new Attachment(node.name + "-" + pod, "eth0"), null));
            }
        }
        sim.runFor(10 * ROUND); // past the free-report delay, so the counts are in the ring
        int burstRounds = roundsToAgree(sim);
        long burstMsgs = sim.stats().messages - msgs0;
        long burstBytes = sim.stats().bytes - bytes0;
        long burstSpan = Math.max(1, (sim.now() - t1) / ROUND);
        Ring after = live.get(0).peer.ring();
        int changedEntries = 0;
        for (int i = 0; i < after.size(); i++) {
            long token = after.entry(i).token();
            int j = ringBefore.indexOf(token);
            if (ringBefore.entry(j).token() != token || ringBefore.entry(j).version() != after.entry(i).version()) {
                changedEntries++;
            }
        }

        sim.runFor(10 * ROUND);
        long msgs1 = sim.stats().messages;
        long bytes1 = sim.stats().bytes;
        int steadyRounds = 20;
        sim.runFor(steadyRounds * ROUND);
        assertThat(sim.converged()).isTrue();
        double steadyMsgs = (sim.stats().messages - msgs1) / (double) n / steadyRounds;
        double steadyBytes = (sim.stats().bytes - bytes1) / (double) n / steadyRounds;
        return String.format("| %d | %d | %d | %d | %d | %d | %.1f | %.0f | %.2f | %.0f | %d |", n, after.size(),
                bootRounds, worstSingle, burstRounds, changedEntries, burstMsgs / (double) n / burstSpan,
                burstBytes / (double) n / burstSpan, steadyMsgs, steadyBytes, sim.stats().wholeRings - wholeRings0);
    }
}
