package dev.weft.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which node suffers which fault, drawn from the seed alone, so a failing run is replayed by giving its seed again.
 * Five distinct roles among the nodes: one is killed with SIGKILL mid-burst and restarted, one is cut off the bridge
 * while it allocates (a minority of one), one gets netem loss and delay at the same time, one leaves as planned,
 * one dies for good and is removed with rmpeer. Later rounds (the long form) draw kill and cut victims among the
 * nodes still in the cluster.
 */
record FaultPlan(long seed, int killed, int cut, int degraded, int leaver, int dead, int lossPercent, int delayMs) {

    static FaultPlan of(long seed, int nodes) {
        Random r = new Random(seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            order.add(i);
        }
        Collections.shuffle(order, r);
        return new FaultPlan(seed, order.get(0), order.get(1), order.get(2), order.get(3), order.get(4),
                5 + r.nextInt(26), 10 + r.nextInt(91));
    }

    /** After healing, the node whose data folder is wiped while its pods live on (succession imports them). */
    int wiped() {
        return cut;
    }

    /** After healing, the node reinstalled with its pods gone (succession brings its old ranges back). */
    int reinstalled() {
        return degraded;
    }

    /** A node that stays up through the planned faults: the one rmpeer is run on, and refused against. */
    int witness() {
        return killed;
    }

    String describe() {
        return "seed " + seed + ": kill -9 n" + killed + ", cut n" + cut + ", netem " + lossPercent + "% loss " + delayMs
                + " ms delay on n" + degraded + ", leave n" + leaver + ", rmpeer n" + dead + " (dead), then wipe n"
                + cut + " with its pods alive and reinstall n" + degraded + " with its pods gone";
    }
}
