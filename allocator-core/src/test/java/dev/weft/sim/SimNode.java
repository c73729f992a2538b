package dev.weft.sim;

import dev.weft.core.node.Peer;
import dev.weft.core.node.Record;
import dev.weft.core.peer.PeerId;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated host: the peer's in-memory state (gone while crashed) and its durable store, which keeps
 * exactly what the driver made durable (latest record per key), as RocksDB will in the daemon.
 */
final class SimNode {
    final String name;
    PeerId id;
    dev.weft.core.bootstrap.Bootstrap bootstrap;
    Peer peer;
    final DurableStore store = new DurableStore();
    /** Never coming back with this data: removed by an operator, or left. */
    boolean dead;
    /** Bumped at every crash, so a message or a timer for an older incarnation is dropped. */
    int incarnation;
    /** When the oracle last compared what this node may allocate from with every other live node's. */
    long soleOwnerCheckedAt;
    /** This host's clock minus simulated time: each restart may reset it or make it jump. */
    long clockOffset;
    /**
     * Older installs of this host whose data folders were lost, not yet succeeded (unique names): until they
     * are, its driver serves none of its pods (as the daemon runs succession before serving CNI).
     */
    final List<PeerId> predecessors = new ArrayList<>();
    /** Older installs under its name that this install has succeeded. */
    final java.util.Set<PeerId> succeededHere = new java.util.HashSet<>();
    /** Rounds after the heal with no older install left to succeed in its ring but some it lost unseen. */
    int unknownTries;
    /** Its folder was restored from an older copy and its live pods are not yet readmitted. */
    boolean readmitDue;
    /** Recovered from disk and not yet stepped: its first step is a sensitive one. */
    boolean justRecovered;

    /** What this host's clock reads at simulated time {@code now}. */
    long clock(long now) {
        return now + clockOffset;
    }

    SimNode(String name, PeerId id) {
        this.name = name;
        this.id = id;
    }

    boolean up() {
        return peer != null;
    }

    List<Record> records() {
        return store.records();
    }

    @Override
    public String toString() {
        return name + (up() ? "" : dead ? "(dead)" : "(down)");
    }
}
