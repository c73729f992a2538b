package dev.weft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.node.Input;
import dev.weft.core.space.Attachment;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Scale runs, off by default (minutes of CPU): {@code mvn -B -Pscale -pl allocator-core test}. For 100 and
 * 1000 peers on the default /12: rounds to bootstrap and to converge after a burst of ring changes, and the
 * gossip each peer sends per round once nothing changes. A round is one gossip interval (500 ms here).
 */
class ScaleTest {
    static final long ROUND = 500;

    @Test
    void scaleTable() {
        Assumptions.assumeTrue(Boolean.getBoolean("weft.sim.scale"), "set -Dweft.sim.scale=true (or -Pscale)");
        StringBuilder table = new StringBuilder();
        table.append("| peers | ring entries | rounds to bootstrap | rounds to converge after burst | burst changes"
                + " | steady msgs/peer/round | steady bytes/peer/round | burst msgs/peer/round | burst bytes/peer/round"
                + " |\n|---|---|---|---|---|---|---|---|---|\n");
        for (int n : List.of(100, 1000)) {
            table.append(run(n)).append('\n');
        }
        System.out.println(table);
    }

    private String run(int n) {
        Simulation sim = new Simulation(SimConfig.calm(1, n, Cidr.parse("10.32.0.0/12"), SimConfig.Mode.SEEDS));
        sim.start();
        long t0 = sim.now();
        assertThat(sim.runUntil(() -> sim.allFormed() && sim.converged(), 120_000)).isTrue();
        long bootRounds = (sim.now() - t0 + ROUND - 1) / ROUND;
        sim.runFor(5 * ROUND);

        // Burst: every peer starts 60 pods, and one in ten starts more than its share holds, so it must ask
        // others for space; then free counts are reported and deltas spread.
        int entriesBefore = sim.liveNodes().get(0).peer.ring().size();
        long msgs0 = sim.stats().messages;
        long bytes0 = sim.stats().bytes;
        long t1 = sim.now();
        for (int i = 0; i < n; i++) {
            SimNode node = sim.liveNodes().get(i);
            int pods = i % 10 == 0 ? 1_200 : 60;
            for (int k = 0; k < pods; k++) {
                int pod = k;
                sim.workload().send(node, id -> new Input.Allocate(id, new Attachment(node.name + "-" + pod, "eth0"), null));
            }
        }
        sim.runFor(6 * ROUND); // past the free-report delay, so the counts are in the ring
        int burstRounds = 6;
        while (!sim.converged()) {
            sim.runFor(ROUND);
            burstRounds++;
            assertThat(burstRounds).as("converges").isLessThan(400);
        }
        long burstMsgs = sim.stats().messages - msgs0;
        long burstBytes = sim.stats().bytes - bytes0;
        long burstSpan = Math.max(1, (sim.now() - t1) / ROUND);
        int entries = sim.liveNodes().get(0).peer.ring().size();

        sim.runFor(10 * ROUND);
        long msgs1 = sim.stats().messages;
        long bytes1 = sim.stats().bytes;
        int steadyRounds = 20;
        sim.runFor(steadyRounds * ROUND);
        assertThat(sim.converged()).isTrue();
        double steadyMsgs = (sim.stats().messages - msgs1) / (double) n / steadyRounds;
        double steadyBytes = (sim.stats().bytes - bytes1) / (double) n / steadyRounds;
        return String.format("| %d | %d (was %d) | %d | %d | %d ring changes | %.2f | %.0f | %.1f | %.0f |", n, entries,
                entriesBefore, bootRounds, burstRounds, entries - entriesBefore, steadyMsgs, steadyBytes,
                burstMsgs / (double) n / burstSpan, burstBytes / (double) n / burstSpan);
    }
}
