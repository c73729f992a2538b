package dev.weft.core.ring;

import dev.weft.core.peer.PeerId;
import java.util.Set;

/**
 * The outcome of merging a piece into a ring: the new ring, the tokens whose entry changed (these are what
 * the merging peer must persist and may pass on), and the tombstones it learned.
 */
public record Merge(Ring ring, long[] changedTokens, Set<PeerId> newTombstones) {
    public boolean changed() {
        return changedTokens.length > 0 || !newTombstones.isEmpty();
    }
}
