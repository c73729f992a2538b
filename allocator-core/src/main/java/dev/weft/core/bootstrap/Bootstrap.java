package dev.weft.core.bootstrap;

import java.util.List;
import java.util.TreeSet;

/** How a fresh peer finds or forms its cluster's first ring. */
public sealed interface Bootstrap {

    /**
     * A fixed list of initial peer names. When every named peer is reachable and none has a ring yet, each
     * of them computes the same split (equal shares in name order) on its own. A peer not on the list waits
     * for a ring, as an observer does.
     */
    record Seeds(List<String> names) implements Bootstrap {
        public Seeds {
            if (names == null || names.isEmpty()) {
                throw new IllegalArgumentException("seed mode needs at least one peer name");
            }
            names = List.copyOf(new TreeSet<>(names));
        }
    }

    /**
     * No list is known ahead: the first {@code quorum} of {@code of} peers that find each other agree, by
     * single-decree Paxos, on who shares the universe. Use the number of peers that start together; as long
     * as it is more than half of them, two groups cannot both agree.
     */
    record Consensus(int of) implements Bootstrap {
        public Consensus {
            if (of < 1) {
                throw new IllegalArgumentException("consensus needs a peer count of at least 1, got " + of);
            }
        }

        public int quorum() {
            return of / 2 + 1;
        }
    }

    /** Owns nothing until it asks: joins a ring some other peer has. */
    record Observer() implements Bootstrap {}
}
