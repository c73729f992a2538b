package dev.weft.core.node;

import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import dev.weft.core.space.Space;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
}
