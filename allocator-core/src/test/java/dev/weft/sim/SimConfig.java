package dev.weft.sim;

import dev.weft.core.address.Cidr;
import dev.weft.core.peer.Entropy;

/**
 * One simulated run, fully determined by these values (all drawn from the seed by {@link #random}).
 *
 * @param crashRate chance that a peer crashes during any one step that has effects
 * @param dataLossRate chance that a restart finds the data folder gone (the peer returns as a new install)
 * @param chaosMs how long the workload and faults run before the network heals
 */
record SimConfig(long seed, int peers, Cidr universe, Mode mode, double loss, double duplicate, long maxLatency,
        double crashRate, double dataLossRate, boolean partitions, boolean operatorActions, int opsPerSecond,
        long chaosMs, Bug bug) {

    enum Mode { SEEDS, CONSENSUS, SEEDS_AND_OBSERVERS }

    /** Bugs the simulator must be able to find (see PlantedBugTest); NONE for real runs. */
    enum Bug {
        NONE,
        /** The driver sends a step's messages before making its records durable. */
        SEND_BEFORE_PERSIST,
        /** The driver loses allocation records (never writes them). */
        FORGET_HOLDS
    }

    static SimConfig random(long seed, int minPeers, int maxPeers) {
        Entropy r = new Entropy(seed * 0x9E3779B97F4A7C15L + 7);
        int peers = minPeers + r.nextInt(maxPeers - minPeers + 1);
        // Small universes make peers run out and ask each other for space; large ones exercise splitting.
        int prefix = 20 + r.nextInt(5);
        Mode mode = Mode.values()[r.nextInt(Mode.values().length)];
        double[] losses = {0, 0, 0.01, 0.05, 0.2};
        double[] dups = {0, 0.02, 0.1};
        return new SimConfig(seed, peers, new Cidr(0x0A200000L, prefix), mode, losses[r.nextInt(losses.length)],
                dups[r.nextInt(dups.length)], 1 + r.nextInt(60), r.nextInt(3) == 0 ? 0 : 0.002 + r.nextInt(8) / 1000.0,
                r.nextInt(2) == 0 ? 0 : 0.25, r.nextInt(3) != 0, r.nextInt(4) != 0, 40 + r.nextInt(120),
                12_000 + r.nextInt(12_000), Bug.NONE);
    }

    /**
     * Names unique per node (Kubernetes), so pods may outlive their node's data folder: in half the runs that
     * lose data folders, drawn apart from the other values so that every seed's other values stay as they were.
     */
    boolean uniqueNames() {
        return dataLossRate > 0 && mode != Mode.CONSENSUS && new Entropy(seed * 0x2545F4914F6CDD1DL + 11).nextInt(2) == 0;
    }

    SimConfig withBug(Bug b) {
        return new SimConfig(seed, peers, universe, mode, loss, duplicate, maxLatency, crashRate, dataLossRate,
                partitions, operatorActions, opsPerSecond, chaosMs, b);
    }

    /** The same run, losing data folders as often as the soak's runs that do (faults draw on it; so do names). */
    SimConfig withDataLoss() {
        return new SimConfig(seed, peers, universe, mode, loss, duplicate, maxLatency, crashRate, 0.25, partitions,
                operatorActions, opsPerSecond, chaosMs, bug);
    }

    SimConfig withPeers(int n) {
        return new SimConfig(seed, n, universe, mode, loss, duplicate, maxLatency, crashRate, dataLossRate, partitions,
                operatorActions, opsPerSecond, chaosMs, bug);
    }

    /** No faults at all: for scale runs and tests of behaviour rather than of faults. */
    static SimConfig calm(long seed, int peers, Cidr universe, Mode mode) {
        return new SimConfig(seed, peers, universe, mode, 0, 0, 5, 0, 0, false, false, 0, 0, Bug.NONE);
    }
}
