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
     * No list is known ahead: the {@code of} peers that start together agree, by single-decree Paxos, on who
     * shares the universe, and every one of them must take part. A majority would do for agreement among
     * peers that remember, but a peer that lost its data folder after the ring formed remembers no promise:
     * with a majority quorum, amnesiac peers and peers that never heard of the ring could choose a second
     * ring while the first one's holders are cut off (a second cluster, handing out the same addresses).
     * With all {@code of}, a second founding needs {@code of} peers that each lost their folder or never took
     * part, none of which reaches a ring holder; a single peer that kept its ring or its acceptor state
     * answers with the ring, or re-proposes the value already chosen, which is the same ring.
     */
    record Consensus(int of) implements Bootstrap {
        public Consensus {
            if (of < 1) {
                throw new IllegalArgumentException("consensus needs a peer count of at least 1, got " + of);
            }
        }

        /** How many peers must promise and accept: all of them (see above). */
        public int quorum() {
            return of;
        }
    }

    /** Owns nothing until it asks: joins a ring some other peer has. */
    record Observer() implements Bootstrap {}
}
