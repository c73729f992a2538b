package dev.weft.core.bootstrap;

import dev.weft.core.address.Range;
import dev.weft.core.peer.Mix;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Ring;
import java.util.List;
import java.util.TreeSet;

/**
 * The first ring of a cluster, computed the same way by every peer that agrees on its members. The cluster
 * identity is a digest of the universe and the member installs, so two bootstraps that did not agree on
 * the same members (say a seed that lost its data and came back as a new install) can never merge.
 */
public final class Founding {
    private Founding() {}

    public static ClusterId clusterId(Range universe, List<PeerId> members) {
        long h = Mix.mix(universe.start() * 31 + universe.end());
        for (PeerId p : new TreeSet<>(members)) {
            h = Mix.mix(h ^ p.stableHash());
        }
        return new ClusterId(String.format("%016x", h));
    }

    public static Ring ring(Range universe, List<PeerId> members) {
        return Ring.initial(clusterId(universe, members), universe, members);
    }
}
