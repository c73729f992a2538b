package dev.weft.sim;

import dev.weft.core.node.Input;
import dev.weft.core.peer.Entropy;
import dev.weft.core.space.Attachment;

/**
 * Ordinary pod churn: every live peer starts one pod and deletes its previous one once per {@code period}, each
 * peer at its own phase, until stopped.
 */
final class Churn {
    private final Simulation sim;
    private final long period;
    private boolean running;

    Churn(Simulation sim, long period) {
        this.sim = sim;
        this.period = period;
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
        Attachment pod = new Attachment(n.name + "-churn-" + k, "eth0");
        sim.workload().send(n, id -> new Input.Allocate(id, pod, null));
        if (k > 0) {
            Attachment previous = new Attachment(n.name + "-churn-" + (k - 1), "eth0");
            sim.workload().send(n, id -> new Input.Release(id, previous));
        }
        sim.at(period, () -> beat(n, k + 1));
    }
}
