package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import dev.weft.core.space.Space;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which attachments a release of a container or a GC touches: a pure reading of what a peer holds (in its
 * space, fenced, or waiting for an address). {@link Peer} releases them.
 */
final class Holders {
    private Holders() {}

    /** Everything {@code containerId} holds on {@code network}: held, fenced, or still waiting. */
    static List<Attachment> of(String containerId, String network, Space space, Set<Attachment> fenced,
            Collection<Pending> pending) {
        List<Attachment> all = new ArrayList<>(space.attachmentsOf(containerId, network));
        for (Attachment a : fenced) {
            if (a.of(containerId, network)) {
                all.add(a);
            }
        }
        for (Pending p : pending) {
            if (p.attachment.of(containerId, network) && !all.contains(p.attachment)) {
                all.add(p.attachment);
            }
        }
        return all;
    }

    /** What a GC of {@code gc.network()} releases: every attachment there it does not list as valid. */
    static List<Attachment> doomed(Input.Gc gc, Space space, Set<Attachment> fenced, HandOvers handOvers) {
        List<Attachment> doomed = new ArrayList<>();
        for (Hold h : space.holds()) {
            // A GC speaks for this node's pods only: not for those kept here for a removed install.
            if (h.attachment().network().equals(gc.network()) && !gc.valid().contains(h.attachment())
                    && !handOvers.keeps(h.attachment())) {
                doomed.add(h.attachment());
            }
        }
        for (Attachment a : fenced) {
            if (a.network().equals(gc.network()) && !gc.valid().contains(a) && !handOvers.keeps(a)) {
                doomed.add(a);
            }
        }
        return doomed;
    }

    /**
     * What a readmit releases: this node's holds (held or fenced, not those kept for a removed install) that
     * the runtime does not list at that address. Sorted, so the step is the same on every run.
     */
    static List<Attachment> stale(Map<Attachment, Long> live, Space space, Map<Attachment, Long> fenced,
            HandOvers handOvers) {
        List<Attachment> stale = new ArrayList<>();
        for (Hold h : space.holds()) {
            if (!Long.valueOf(h.address()).equals(live.get(h.attachment())) && !handOvers.keeps(h.attachment())) {
                stale.add(h.attachment());
            }
        }
        fenced.forEach((a, address) -> {
            if (!address.equals(live.get(a)) && !handOvers.keeps(a)) {
                stale.add(a);
            }
        });
        stale.sort(java.util.Comparator.comparing(Attachment::toString));
        return stale;
    }

    /**
     * A range that comes back holds again what fenced pods still hold in it: it is not free just because
     * this peer had lost it for a while (their Held records never left the disk).
     */
    static void readmitFenced(Range gained, Map<Attachment, Long> fenced, Space space) {
        for (Iterator<Map.Entry<Attachment, Long>> it = fenced.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Attachment, Long> f = it.next();
            if (gained.contains(f.getValue())) {
                Space.ClaimResult r = space.restore(f.getKey(), f.getValue());
                if (r == Space.ClaimResult.TAKEN || r == Space.ClaimResult.ALREADY_YOURS) {
                    it.remove();
                }
            }
        }
    }
}
