package dev.weft.core.node;

import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which install an operator's "remove NAME" means, read from the ring: a live install (by name, or by
 * {@code name#uid} when a name was reused), one already removed, or nothing the operator can act on.
 */
sealed interface RemovalTarget {

    record Live(PeerId peer) implements RemovalTarget {}

    /** Tombstoned already: a retry after a lost answer, or leftovers gained after the removal. */
    record AlreadyRemoved(PeerId peer) implements RemovalTarget {}

    /** Unknown or ambiguous, with what to tell the operator. */
    record Unclear(String message) implements RemovalTarget {}

    static RemovalTarget find(Ring ring, String name) {
        return find(ring, name, List.of());
    }

    /**
     * As {@link #find(Ring, String)}, also among {@code keptFor}: installs this peer keeps pods' addresses for,
     * which may own nothing in the ring (a successor whose takeover lost), yet a forced removal must release.
     */
    static RemovalTarget find(Ring ring, String name, Collection<PeerId> keptFor) {
        List<PeerId> live = new ArrayList<>();
        Set<PeerId> known = new TreeSet<>(ring.owners());
        known.addAll(keptFor);
        for (PeerId p : known) {
            if (names(p, name) && !ring.isTombstoned(p)) {
                live.add(p);
            }
        }
        if (live.isEmpty()) {
            for (PeerId t : ring.tombstones()) {
                if (names(t, name)) {
                    return new AlreadyRemoved(t);
                }
            }
            return new Unclear("no peer named '" + name + "' owns anything in the ring (peers: "
                    + ring.owners().stream().map(PeerId::toString).sorted().toList() + ")");
        }
        if (live.size() > 1) {
            live.sort(null);
            return new Unclear("'" + name + "' names " + live.size() + " installs " + live
                    + ": give the one to remove as name#uid");
        }
        return new Live(live.get(0));
    }

    /**
     * What the operator is told after {@code dead} was removed and {ranges, addresses} {@code taken}: when the
     * space comes back. Unless forced, the rest waits for word that the install's pods are accounted for: its
     * own hand-over, or another install under its name. With unique names a new install under the name is not
     * enough (pods outlive a data folder): only its succession, which holds the node's live pods first, speaks
     * for them ({@link Succession#replaced}).
     */
    static String tookOver(PeerId dead, int[] taken, CoreConfig config, boolean force) {
        String replaced = config.uniqueNames()
                ? "a new install on " + dead.name() + " has succeeded it and said which of its pods still run (weftd"
                        + " does that when it starts there with --unique-names)"
                : "a new install under the name " + dead.name() + " connects to this peer";
        return "took over " + taken[0] + " ranges (" + taken[1] + " addresses) of " + dead + "; they are used after a"
                + " cool-down of " + config.takeoverCooldown() + " ms" + (force ? "" : " once " + dead + " has handed"
                + " over the addresses its pods hold (it does when it hears of its removal) or " + replaced + "; if"
                + " that host is gone for good with its pods, remove again with force")
                + ", and only when other space runs out";
    }

    private static boolean names(PeerId p, String name) {
        return p.name().equals(name) || p.toString().equals(name);
    }
}
