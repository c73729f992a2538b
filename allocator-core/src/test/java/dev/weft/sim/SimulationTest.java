package dev.weft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Many seeded runs of a whole cluster under faults, each checked step by step by the {@link Oracle}. The
 * number of seeds comes from {@code -Dweft.sim.seeds} (500 in {@code mvn verify}; the soak profile runs more).
 */
class SimulationTest {

    /**
     * Stops at the first broken promise, unless {@code -Dweft.sim.keepGoing=true}: then every seed runs, and
     * the failing ones are listed at the end (a soak's figures cover the whole range, not its first failure).
     */
    @Test
    void everySeedKeepsEveryPromise() {
        long first = Long.getLong("weft.sim.firstSeed", 1);
        long count = Long.getLong("weft.sim.seeds", 500);
        boolean keepGoing = Boolean.getBoolean("weft.sim.keepGoing");
        long started = System.nanoTime();
        long checks = 0;
        long replies = 0;
        long successions = 0;
        long carried = 0;
        long reclaims = 0;
        long gapsTaken = 0;
        long restores = 0;
        long detected = 0;
        long consensusWipes = 0;
        int maxRounds = 0;
        List<String> violations = new ArrayList<>();
        for (long seed = first; seed < first + count; seed++) {
            Simulation sim = new Simulation(SimConfig.random(seed, 3, 20));
            try {
                maxRounds = Math.max(maxRounds, sim.run());
            } catch (Violation v) {
                if (!keepGoing) {
                    throw v;
                }
                violations.add("seed " + seed + ": " + v.getMessage().lines().findFirst().orElse(""));
            }
            checks += sim.oracleChecks();
            replies += sim.workload().answered;
            successions += sim.successions;
            carried += sim.podsCarried;
            reclaims += sim.gapReclaims;
            gapsTaken += sim.gapsTaken;
            restores += sim.backups.restores;
            detected += sim.backups.detected;
            consensusWipes += sim.consensusWipes;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("simulation: %d seeds from %d, %d violations, %d oracle checks, %d requests answered,"
                + " worst convergence %d gossip rounds after healing, %d successions carrying %d live pods,"
                + " %d gap reclaims asked (%d gaps taken), %d folders restored from older copies (%d detected by their"
                + " install), %d consensus peers' folders wiped, %.1f s (%.1f seeds/s)%n", count, first, violations.size(),
                checks, replies, maxRounds, successions, carried, reclaims, gapsTaken, restores, detected, consensusWipes,
                seconds, count / seconds);
        violations.forEach(v -> System.out.println("  " + v));
        assertThat(violations).as("seeds that broke a promise").isEmpty();
        assertThat(checks).isPositive();
    }

    /** Replays one seed: {@code -Dweft.sim.replay=SEED -Dweft.sim.peers=N [-Dweft.sim.bug=BUG]}. */
    @Test
    void replay() {
        String seed = System.getProperty("weft.sim.replay");
        Assumptions.assumeTrue(seed != null, "set -Dweft.sim.replay=SEED to replay one run");
        SimConfig cfg = SimConfig.random(Long.parseLong(seed), 3, 20);
        String peers = System.getProperty("weft.sim.peers");
        if (peers != null) {
            cfg = cfg.withPeers(Integer.parseInt(peers));
        }
        cfg = cfg.withBug(SimConfig.Bug.valueOf(System.getProperty("weft.sim.bug", "NONE")));
        System.out.println("replaying " + cfg);
        Simulation sim = new Simulation(cfg);
        int rounds = sim.run();
        System.out.print(ClusterReport.of(sim, rounds));
    }
}
