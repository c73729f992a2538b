package dev.weft.sim;

import dev.weft.core.node.Input;
import dev.weft.core.peer.Entropy;
import dev.weft.core.space.Attachment;

/**
 * Pod churn: every live peer starts one pod once per {@code period}, each peer at its own phase, until stopped.
 * Ordinary churn ({@link #replacing}) deletes the peer's previous pod at the same time, so its free counts move
 * an address either way and stay where they were; a filling node ({@link #filling}) keeps every pod, so its
 * free counts fall by one a period and keep moving.
 */
final class Churn {
    private final Simulation sim;
    private final long period;
    private final boolean keep;
    private final String name;
    private boolean running;

    private Churn(Simulation sim, long period, boolean keep, String name) {
        this.sim = sim;
        this.period = period;
        this.keep = keep;
        this.name = name;
    }

    /** Each beat starts a pod and deletes the one before. */
    static Churn replacing(Simulation sim, long period) {
        return new Churn(sim, period, false, "-churn-");
    }

    /** Each beat starts a pod and keeps them all: a node filling up. */
    static Churn filling(Simulation sim, long period) {
        return new Churn(sim, period, true, "-grow-");
    }

    void start() {
        running = true;
        Entropy phase = new Entropy(sim.config().seed() * 17 + 1);
        for (SimNode n : sim.liveNodes()) {
            sim.at(1 + phase.nextLong(period), () -> beat(n, 0));
        }
    }

    void stop() {
        running = false;
    }

    private void beat(SimNode n, int k) {
        if (!running) {
            return;
        }
        Attachment pod = new Attachment(n.name + name + k, "eth0");
        sim.workload().send(n, id -> new Input.Allocate(id, pod, null));
        if (k > 0 && !keep) {
            Attachment previous = new Attachment(n.name + name + (k - 1), "eth0");
            sim.workload().send(n, id -> new Input.Release(id, previous));
        }
        sim.at(period, () -> beat(n, k + 1));
    }
}
