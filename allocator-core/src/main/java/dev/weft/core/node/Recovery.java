package dev.weft.core.node;

import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.BadRingException;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.Ring;
import dev.weft.core.ring.RingPiece;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns the records a peer made durable back into the same peer. Holds that fall outside what the stored
 * ring gives this peer come back fenced, not silently dropped: they are live pods an operator must see.
 */
final class Recovery {
    private Recovery() {}

    static Peer recover(CoreConfig config, Collection<Record> records, long seed) throws CorruptStateException {
        PeerId self = null;
        Record.Cluster cluster = null;
        List<Entry> entries = new ArrayList<>();
        TreeSet<PeerId> tombstones = new TreeSet<>();
        List<Record.Held> holds = new ArrayList<>();
        List<Record.Cooldown> cooldowns = new ArrayList<>();
        Record.Acceptor acceptor = null;
        Record.Restored restored = null;
        List<Record.Removal> removals = new ArrayList<>();
        List<Record.Grant> grants = new ArrayList<>();
        List<Record.Kept> kept = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof Record.Identity i) {
                self = i.self();
            } else if (r instanceof Record.Cluster c) {
                cluster = c;
            } else if (r instanceof Record.RingEntry e) {
                entries.add(e.entry());
            } else if (r instanceof Record.Tombstone t) {
                tombstones.add(t.peer());
            } else if (r instanceof Record.Held h) {
                holds.add(h);
            } else if (r instanceof Record.Cooldown c) {
                cooldowns.add(c);
            } else if (r instanceof Record.Removal rm) {
                removals.add(rm);
            } else if (r instanceof Record.Kept k) {
                kept.add(k);
            } else if (r instanceof Record.Grant g) {
                grants.add(g);
            } else if (r instanceof Record.Acceptor a) {
                acceptor = a;
            } else if (r instanceof Record.Restored rs) {
                restored = rs;
            } else if (r instanceof Record.Freed || r instanceof Record.Forget) {
                throw new CorruptStateException("the store returned a deletion record; it should have removed the key");
            }
        }
        if (records.isEmpty()) {
            throw new CorruptStateException("there are no records to recover from: an empty data folder is a new"
                    + " install, start the peer fresh");
        }
        if (self == null) {
            throw new CorruptStateException("the data folder has records but no peer identity: it is not a weft data"
                    + " folder or it is damaged. Move it aside and restart: the peer joins as a new install");
        }
        Peer peer = Peer.blank(config, self, seed);
        if (cluster == null) {
            if (!entries.isEmpty() || !holds.isEmpty() || restored != null) {
                throw new CorruptStateException("the data folder has ring entries or addresses but no cluster record;"
                        + " move it aside and restart: the peer joins as a new install");
            }
        } else {
            if (!cluster.universe().equals(config.universe().range())) {
                throw new CorruptStateException("the data folder belongs to address space " + cluster.universe()
                        + " but this peer is configured for " + config.universe() + ": start it with the space it"
                        + " was created with, or move the data folder aside to join as a new install");
            }
            entries.sort(Comparator.comparingLong(Entry::token));
            RingPiece piece;
            try {
                piece = new RingPiece(cluster.cluster(), cluster.universe(), entries, tombstones, true);
            } catch (BadRingException e) {
                throw new CorruptStateException("the stored ring is damaged: " + e.getMessage()
                        + "; move the data folder aside and restart: the peer joins as a new install");
            }
            Peer.checkPiece(piece);
            peer.restoreRing(Ring.of(piece), cooldowns, removals, restored);
        }
        for (Record.Held h : holds) {
            peer.restoreHold(h.hold());
        }
        for (Record.Kept k : kept) {
            peer.restoreKept(k);
        }
        for (Record.Grant g : grants) {
            peer.restoreGrant(g);
        }
        if (acceptor != null) {
            peer.restoreAcceptor(acceptor);
        }
        return peer;
    }
}
