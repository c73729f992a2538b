package dev.weft.core.bootstrap;

import dev.weft.core.peer.PeerId;

/** A Paxos ballot: a round number, with the proposer breaking ties so that no two proposers share one. */
public record Ballot(long round, PeerId proposer) implements Comparable<Ballot> {
    @Override
    public int compareTo(Ballot o) {
        int c = Long.compare(round, o.round);
        return c != 0 ? c : proposer.compareTo(o.proposer);
    }

    public boolean above(Ballot o) {
        return o == null || compareTo(o) > 0;
    }
}
