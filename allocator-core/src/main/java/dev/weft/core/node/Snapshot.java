package dev.weft.core.node;

import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** A peer's durable state written out as the records that make it up (see {@link Peer#snapshot}). */
final class Snapshot {
    private Snapshot() {}

    static List<Record> of(PeerId self, Ring ring, Collection<Hold> holds, Map<Attachment, Long> fenced,
            Cooldowns cooldowns, Collection<Record.Removal> removals, Collection<Record.Grant> grants,
            Collection<Record.Kept> kept, Record.Acceptor acceptor, Record.Restored restored) {
        List<Record> out = new ArrayList<>();
        out.add(new Record.Identity(self));
        if (ring != null) {
            out.add(new Record.Cluster(ring.cluster(), ring.universe()));
            for (int i = 0; i < ring.size(); i++) {
                out.add(new Record.RingEntry(ring.entry(i)));
            }
            for (PeerId t : ring.tombstones()) {
                out.add(new Record.Tombstone(t));
            }
        }
        for (Hold h : holds) {
            out.add(new Record.Held(h));
        }
        fenced.forEach((a, address) -> out.add(new Record.Held(new Hold(a, address))));
        out.addAll(cooldowns.records());
        out.addAll(removals);
        out.addAll(grants);
        out.addAll(kept);
        if (acceptor != null) {
            out.add(acceptor);
        }
        if (restored != null) {
            out.add(restored);
        }
        return out;
    }
}
