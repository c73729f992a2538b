package dev.weft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import org.junit.jupiter.api.Test;

/**
 * The simulator's census of rings ({@link RingCensus}) answers exactly what walking every node answered
 * before, after every event of small runs: under faults (crashes, wiped folders, joins, leaves, partitions)
 * and in a cluster brought up by joining, with every peer linked and with bounded views.
 */
class RingCensusTest {

    @Test
    void censusMatchesTheWalkUnderFaults() {
        for (long seed = 1; seed <= 12; seed++) {
            Simulation sim = new Simulation(SimConfig.random(seed, 3, 20));
            long[] compared = new long[2];
            sim.afterEachEvent(() -> compare(sim, compared));
            sim.run();
            assertThat(compared[0]).as("events compared, seed %d", seed).isPositive();
            // Both answers occurred: rings differed at times and agreed at others.
            assertThat(compared[1]).as("events with agreement, seed %d", seed).isPositive().isLessThan(compared[0]);
        }
    }

    @Test
    void censusMatchesTheWalkWhilePeersJoin() {
        for (int links : new int[] {0, 4}) {
            Simulation sim = new Simulation(SimConfig.calm(7, 40, Cidr.parse("10.32.0.0/16"), SimConfig.Mode.SEEDS));
            long[] compared = new long[2];
            sim.afterEachEvent(() -> compare(sim, compared));
            sim.startJoining(3, links, 20);
            assertThat(sim.runUntil(() -> sim.liveNodes().size() == 40 && sim.converged(), 60_000)).isTrue();
            sim.runFor(2_000);
            assertThat(compared[1]).isPositive().isLessThan(compared[0]);
        }
    }

    private static void compare(Simulation sim, long[] compared) {
        boolean formed = true;
        boolean equal = true;
        Long digest = null;
        for (SimNode n : sim.liveNodes()) {
            if (n.peer.ring() == null) {
                formed = false;
                equal = false;
            } else if (digest == null) {
                digest = n.peer.ring().digest();
            } else if (n.peer.ring().digest() != digest) {
                equal = false;
            }
        }
        assertThat(sim.allFormed()).as("allFormed at t=%d", sim.now()).isEqualTo(formed);
        assertThat(sim.converged()).as("converged at t=%d", sim.now()).isEqualTo(equal);
        compared[0]++;
        if (equal) {
            compared[1]++;
        }
    }
}
